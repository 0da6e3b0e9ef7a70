import { InvalidationBus } from '@tracklane/cache';
import { announceCatalogChange, Catalog } from '@tracklane/catalog';
import { RunningService, startService } from '@tracklane/observability';
import { createTestStack, HttpReceiver, Responder, TestStack, waitFor } from '@tracklane/testing';
import { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { DispatchEnv } from '../src/dispatch-env';
import { postbackDispatchService } from '../src/postback-dispatch.service';
import { createAffiliate, decision, deliveryRows, FAST_DISPATCH_ENV, publish, seedOffer, waitForDeliveries } from './support';

const TIMEOUT_MS = 5_000;
const PAUSE_MS = 1_500;

describe('postback-dispatch keeping affiliates from hurting each other', () => {
  let stack: TestStack;
  let pool: Pool;
  let service: RunningService<DispatchEnv>;
  let producer: Producer;
  let stopped = false;
  const receivers: HttpReceiver[] = [];

  const receiver = async (respond?: Responder) => {
    const started = await HttpReceiver.start({ respond });
    receivers.push(started);
    return started;
  };
  const affiliate = async (url: string) => {
    const id = await createAffiliate(pool, { url });
    await announceCatalogChange(service.app.get(InvalidationBus), 'affiliate', id);
    await waitFor(() => service.app.get(Catalog).current().affiliate(id), { what: `affiliate ${id} in the catalogue` });
    return id;
  };

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url, max: 3 });
    await seedOffer(pool);
    service = await startService(
      postbackDispatchService,
      Object.assign(new DispatchEnv(), stack.env, FAST_DISPATCH_ENV, {
        POSTBACK_TIMEOUT_MS: TIMEOUT_MS,
        POSTBACK_PER_HOST_CONCURRENCY: 2,
        POSTBACK_MAX_ATTEMPTS: 10,
        POSTBACK_PAUSE_AFTER_FAILURES: 5,
        POSTBACK_PAUSE_MS: PAUSE_MS,
        POSTBACK_PAUSE_MAX_MS: PAUSE_MS * 4,
      }),
    );
    producer = stack.topics.kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all(receivers.map((started) => started.close()));
    if (!stopped) await service?.close();
    await pool?.end();
    await stack?.destroy();
  });

  it('delivers to a fast host while a slow one holds every request it is allowed', async () => {
    const slow = await receiver(() => 'hang');
    const fast = await receiver();
    const slowAffiliate = await affiliate(`${slow.url}/pb?c={conversion_id}`);
    const fastAffiliate = await affiliate(`${fast.url}/pb?c={conversion_id}`);
    // Same click, so same partition, and the slow host's postbacks are read first.
    const clickId = decision(0).clickId;
    await publish(producer, stack, [
      ...Array.from({ length: 12 }, () => decision(slowAffiliate, { clickId })),
      ...Array.from({ length: 6 }, () => decision(fastAffiliate, { clickId })),
    ]);

    await waitForDeliveries(pool, fastAffiliate, 6, ['delivered'], TIMEOUT_MS - 500);
    // The slow host's first two requests are still hanging: nothing of it has finished, and it never got more than its limit.
    expect(slow.requests).toHaveLength(2);
    expect(slow.open).toBe(2);
    const slowRows = await deliveryRows(pool, slowAffiliate);
    expect(slowRows).toHaveLength(12);
    expect(slowRows.every((row) => row.state === 'pending' && row.last_error === null)).toBe(true);

    await waitFor(() => slow.requests.length >= 4, { timeoutMs: TIMEOUT_MS * 3, what: 'the slow host retried' });
    expect(slow.maxOpen).toBe(2);
  });

  it('pauses an affiliate whose endpoint keeps failing, and resumes it when it recovers', async () => {
    let failing = true;
    const flaky = await receiver(() => (failing ? { status: 503, body: 'down' } : { status: 200 }));
    const id = await affiliate(`${flaky.url}/pb?c={conversion_id}`);
    await publish(producer, stack, Array.from({ length: 8 }, () => decision(id)));

    const paused = await waitFor(
      async () => {
        const { rows } = await pool.query(`SELECT * FROM postback_affiliate_health WHERE affiliate_id = $1 AND state = 'paused'`, [id]);
        return rows[0];
      },
      { what: 'the affiliate paused' },
    );
    expect(paused.consecutive_failures).toBeGreaterThanOrEqual(5);
    expect(paused.last_error).toBe('HTTP 503: down');
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^tracklane_postback_paused_affiliates [1-9]/m);

    const pausedAt = (paused.paused_at as Date).getTime();
    const pausedUntil = pausedAt + PAUSE_MS;
    failing = false;

    const rows = await waitForDeliveries(pool, id, 8, ['delivered'], 20_000);
    // Nothing was sent while paused (a request claimed just before the pause may still land right after it).
    const duringPause = flaky.requests.filter((request) => request.receivedAt > pausedAt + 250 && request.receivedAt < pausedUntil);
    expect(duringPause).toHaveLength(0);
    expect(rows.every((row) => row.attempts <= 3)).toBe(true);
    const keys = flaky.succeeded().map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(8);
    expect(new Set(keys).size).toBe(8);
    const { rows: health } = await pool.query(`SELECT * FROM postback_affiliate_health WHERE affiliate_id = $1`, [id]);
    expect(health[0]).toMatchObject({ state: 'active', consecutive_failures: 0, paused_until: null });
  });

  it('finishes and records the attempts in flight before it stops', async () => {
    const unhurried = await receiver(async () => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      return { status: 200 };
    });
    const id = await affiliate(`${unhurried.url}/pb?c={conversion_id}`);
    await publish(producer, stack, [decision(id), decision(id)]);
    await waitFor(() => unhurried.open === 2, { what: 'two postbacks in flight' });

    stopped = true;
    await service.close();
    expect(unhurried.succeeded()).toHaveLength(2);
    const rows = await deliveryRows(pool, id);
    expect(rows.map((row) => row.state)).toEqual(['delivered', 'delivered']);
  });
});
