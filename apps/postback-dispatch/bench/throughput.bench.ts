/**
 * Postbacks delivered per second, end to end: attributions.v1 messages in,
 * HTTP requests out to local receivers, each delivery recorded in Postgres.
 * Baseline (same run, same receivers, same concurrency): bare keep-alive
 * HTTP requests with nothing recorded, the ceiling of this machine.
 * The service runs as its own process with its local defaults (only loopback
 * receivers allowed), on a database with synchronous_commit on, as in
 * production; every postback is checked by its sub1 at the receivers.
 *
 *   KAFKA_BROKERS=… DATABASE_URL=… REDIS_URL=… \
 *   node -r @swc-node/register apps/postback-dispatch/bench/throughput.bench.ts [postbacks] [hosts]
 */
import { attributionsV1, newId } from '@tracklane/contracts';
import { createTestStack, defaultToLocalServices, HttpReceiver, loadLine, machineLine, ServiceProcess, waitFor } from '@tracklane/testing';
import { Agent, request } from 'node:http';
import { Pool } from 'pg';

const POSTBACKS = Number(process.argv[2] ?? 4000);
const HOSTS = Number(process.argv[3] ?? 4);
/** postback-dispatch's default POSTBACK_PER_HOST_CONCURRENCY, which the baseline matches. */
const PER_HOST = 8;

async function baseline(receivers: HttpReceiver[], total: number): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  const get = (url: string) =>
    new Promise<void>((resolve, reject) => {
      request(url, { agent }, (response) => response.resume().on('end', resolve)).on('error', reject).end();
    });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    receivers.flatMap((receiver) =>
      Array.from({ length: PER_HOST }, async () => {
        while (next < total) {
          next++;
          await get(`${receiver.url}/pb?c=${next}`);
        }
      }),
    ),
  );
  agent.destroy();
  return total / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  defaultToLocalServices();
  const loadBefore = loadLine();
  const stack = await createTestStack({ partitions: 3 });
  const pool = new Pool({ connectionString: stack.database.url, max: 2 });
  const receivers = await Promise.all(Array.from({ length: HOSTS }, () => HttpReceiver.start()));
  let service: ServiceProcess | undefined;
  try {
    // Test databases skip the commit flush for speed; deliveries are measured as production records them.
    await pool.query(`ALTER DATABASE "${stack.database.name}" SET synchronous_commit = on`);
    await pool.query(`
      INSERT INTO advertisers (id, name, postback_token) VALUES (1, 'Acme', 'tok');
      INSERT INTO offers (id, advertiser_id, name, destination_url) VALUES (10, 1, 'Shoes', 'https://acme.example/');`);
    const affiliates: number[] = [];
    for (const receiver of receivers) {
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO affiliates (name, postback_url, postback_secret) VALUES ('Pub', $1, 'secret') RETURNING id`,
        [`${receiver.url}/pb?click={click_id}&payout={payout}&status={status}&sub1={sub1}`],
      );
      affiliates.push(rows[0].id);
    }
    // Started after the catalogue is written, so it loads the affiliates at boot.
    service = await ServiceProcess.start({
      app: 'postback-dispatch',
      env: { ...stack.env, LOG_LEVEL: 'info', POSTBACK_ALLOWED_TARGETS: 'http://127.0.0.1:*' }, // info: its "listening" line says it is up
      startTimeoutMs: 120_000,
    });

    const bare = await baseline(receivers, POSTBACKS);
    for (const receiver of receivers) receiver.requests.length = 0;

    const producer = stack.topics.kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: POSTBACKS }, (_, index) => {
      const clickId = newId();
      const value = {
        v: 1 as const,
        kind: 'decision' as const,
        eventId: newId(),
        conversionId: newId(),
        clickId,
        advertiserId: 1,
        offerId: 10,
        affiliateId: affiliates[index % affiliates.length],
        goalId: null,
        goalCode: 'sale',
        status: 'approved' as const,
        previousStatus: null,
        reason: 'attributed',
        revenue: '10.0000',
        payout: '7.5000',
        currency: 'USD',
        saleAmount: null,
        orderId: null,
        clickAt: null,
        convertedAt: new Date().toISOString(),
        decidedAt: new Date().toISOString(),
        sub1: `s${index}`,
        sub2: null,
        sub3: null,
        sub4: null,
        sub5: null,
        source: null,
        affClickId: null,
        country: null,
        device: null,
      };
      return { key: clickId, value: attributionsV1.encode(value) };
    });
    const started = performance.now();
    for (let offset = 0; offset < messages.length; offset += 1000) {
      await producer.send({ topic: `${stack.topics.prefix}attributions.v1`, messages: messages.slice(offset, offset + 1000) });
    }
    await waitFor(
      async () => {
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM postback_deliveries WHERE state = 'delivered'`);
        return rows[0].n === POSTBACKS;
      },
      { timeoutMs: 600_000, intervalMs: 100, what: 'every postback delivered' },
    );
    const seconds = (performance.now() - started) / 1000;
    await producer.disconnect();
    const sent = receivers.reduce((sum, receiver) => sum + receiver.requests.length, 0);
    const received = new Set(receivers.flatMap((receiver) => receiver.succeeded().map((each) => new URL(each.url, 'http://x').searchParams.get('sub1'))));
    const missing = messages.length - Array.from({ length: POSTBACKS }, (_, index) => `s${index}`).filter((sub1) => received.has(sub1)).length;
    const dispatch = POSTBACKS / seconds;
    console.log(machineLine());
    console.log(`load average before: ${loadBefore}; after: ${loadLine()}`);
    console.log(`postbacks: ${POSTBACKS} to ${HOSTS} hosts (${PER_HOST} in flight per host), ${sent} requests received, ${missing} missing by id`);
    console.log(`postback-dispatch: ${dispatch.toFixed(0)} deliveries/s (${seconds.toFixed(2)} s, Kafka in → HTTP out → Postgres recorded)`);
    console.log(`baseline (bare HTTP, nothing recorded): ${bare.toFixed(0)} requests/s`);
    console.log(`ratio dispatch/baseline: ${dispatch.toFixed(0)} / ${bare.toFixed(0)} = ${(dispatch / bare).toFixed(2)}`);
    if (missing > 0) process.exitCode = 1;
  } finally {
    await service?.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await pool.end();
    await stack.destroy();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
