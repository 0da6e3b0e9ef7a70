import { conversionsV1, newId, topicNames } from '@tracklane/contracts';
import { Answer, signPostback } from '@tracklane/postback-intake';
import { createTestStack, readTopic, ServiceProcess, TestStack, waitFor } from '@tracklane/testing';
import { Pool } from 'pg';
import { seedAdvertisers } from './postback-test-kit';

const TOKEN = 'tok-never-in-logs-7f3a';
const SECRET = 'secret-never-in-logs-91c2';

describe('postback-ingest killed with -9', () => {
  let stack: TestStack;
  let pool: Pool;
  const processes: ServiceProcess[] = [];

  const start = async (): Promise<ServiceProcess> => {
    const service = await ServiceProcess.start({
      app: 'postback-ingest',
      env: { ...stack.env, LOG_LEVEL: 'debug', RECEIPT_LEASE_MS: '2000', PUBLISH_TIMEOUT_MS: '3000' },
      startTimeoutMs: 60_000,
    });
    processes.push(service);
    return service;
  };

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url, max: 2 });
    await seedAdvertisers(pool, [{ id: 1, token: TOKEN, signingSecret: SECRET }]);
  });
  afterAll(async () => {
    await Promise.all(processes.map((service) => service.kill()));
    await pool?.end();
    await stack?.destroy();
  });

  it('keeps every acknowledged conversion and its answer, and records each order once after a restart', async () => {
    const orders = Array.from({ length: 600 }, (_, index) => ({ click_id: newId(), order_id: `crash-${index}`, amount: '1.5' }));
    const post = (url: string, params: Record<string, string>) =>
      fetch(`${url}/postback?${new URLSearchParams({ token: TOKEN, ...params })}`);

    const first = await start();
    const acknowledged = new Map<string, Answer>();
    let next = 0;
    let killed: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: 24 }, async () => {
        while (next < orders.length && !killed) {
          const params = orders[next++];
          try {
            const response = await post(first.url, params);
            if (response.status === 200) acknowledged.set(params.order_id, (await response.json()) as Answer);
          } catch {
            // the connection died with the process: the advertiser will retry
          }
          if (acknowledged.size >= 150) killed ??= first.kill();
        }
      }),
    );
    await killed;
    expect(acknowledged.size).toBeGreaterThanOrEqual(150);
    expect(acknowledged.size).toBeLessThan(orders.length);

    const second = await start();
    const retried = new Map<string, Answer>();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (cursor < orders.length) {
          const params = orders[cursor++];
          for (let attempt = 1; ; attempt++) {
            const response = await post(second.url, params);
            if (response.status === 200) {
              retried.set(params.order_id, (await response.json()) as Answer);
              break;
            }
            expect(response.status).toBe(503); // a receipt of the killed process, until its lease runs out
            if (attempt === 30) throw new Error(`${params.order_id} still refused`);
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      }),
    );

    for (const [orderId, answer] of acknowledged) expect(retried.get(orderId)).toEqual(answer);

    const topic = topicNames(conversionsV1, stack.topics.prefix).main;
    const events = (await readTopic(stack.topics.kafka, topic, { expected: orders.length })).map((message) =>
      conversionsV1.decode(message.value),
    );
    const eventIdsByOrder = new Map<string, Set<string>>();
    for (const event of events) {
      const ids = eventIdsByOrder.get(event.orderId as string) ?? new Set<string>();
      eventIdsByOrder.set(event.orderId as string, ids.add(event.eventId));
    }
    expect(eventIdsByOrder.size).toBe(orders.length);
    // An event acknowledged by Kafka just before the kill may be there twice, but always with the same
    // event and conversion id, which consumers deduplicate on: one conversion per order.
    for (const [orderId, ids] of eventIdsByOrder) {
      expect({ orderId, ids: [...ids] }).toEqual({ orderId, ids: [retried.get(orderId)?.eventId] });
    }
  }, 240_000);

  it('never writes a token, secret or signature to its logs', async () => {
    const service = processes[processes.length - 1];
    const timestamp = String(Math.floor(Date.now() / 1000));
    const params = { token: TOKEN, click_id: newId(), timestamp };
    const signature = signPostback(SECRET, { method: 'GET', path: '/postback', params: Object.entries(params), timestamp });
    const ok = await fetch(`${service.url}/postback?${new URLSearchParams({ ...params, signature })}`);
    expect(ok.status).toBe(200);
    const forged = await fetch(`${service.url}/postback?${new URLSearchParams({ ...params, signature: 'f'.repeat(64) })}`, {
      headers: { 'x-tracklane-token': TOKEN },
    });
    expect(forged.status).toBe(401);
    await fetch(`${service.url}/postback?${new URLSearchParams({ token: `${TOKEN}-wrong`, click_id: 'x' })}`);

    // The child writes its log lines asynchronously: wait until the refusals have reached us.
    const logs = await waitFor(
      () => {
        const all = processes.map((each) => each.logs()).join('\n');
        return all.includes('conversion accepted') && all.includes('postback refused') ? all : undefined;
      },
      { timeoutMs: 10_000, what: 'the accepted and refused postbacks in the logs' },
    );
    for (const secret of [TOKEN, SECRET, signature, 'f'.repeat(64)]) expect(logs).not.toContain(secret);
  });
});
