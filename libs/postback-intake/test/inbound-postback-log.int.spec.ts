import { CatalogSnapshot } from '@tracklane/catalog';
import { PrismaService } from '@tracklane/db';
import { createTestDatabase, TestDatabase } from '@tracklane/testing';
import pino from 'pino';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { InboundPostback, InboundPostbackLog, PostbackReceipts, PostbackRetention } from '../src';

function entry(marker: string, receivedAt = new Date()): InboundPostback {
  return {
    receivedAt,
    endpoint: 'postback',
    method: 'GET',
    contentType: undefined,
    size: 300,
    query: {},
    body: undefined,
    snapshot: CatalogSnapshot.empty(),
    params: [['marker', marker]],
    httpStatus: 401,
  };
}

describe('the inbound postback log on Postgres', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const count = async (marker: string) =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_postbacks WHERE params->>'marker' = $1`, [marker])).rows[0].n;

  it('never holds more than its queue: the rest is dropped and counted, the caller never waits', async () => {
    const metrics = new Registry();
    const log = new InboundPostbackLog(pool, { queueSize: 3, queueBytes: 1_000_000, batchSize: 500, flushIntervalMs: 60_000 }, pino({ level: 'silent' }), metrics);
    for (let index = 0; index < 5; index++) log.record(entry('bounded'));
    expect(await count('bounded')).toBe(0); // nothing is written on the caller's turn
    await log.flush();
    expect(await count('bounded')).toBe(3);
    expect(await metrics.getSingleMetricAsString('tracklane_inbound_postback_log_dropped_total')).toMatch(/reason="queue_full"} 2/);
  });

  it('bounds the queue in bytes too: large bodies cannot fill the memory', async () => {
    const metrics = new Registry();
    const log = new InboundPostbackLog(pool, { queueSize: 100, queueBytes: 1000, batchSize: 500, flushIntervalMs: 60_000 }, pino({ level: 'silent' }), metrics);
    for (let index = 0; index < 5; index++) log.record(entry('bytes'));
    await log.flush();
    expect(await count('bytes')).toBe(3);
    expect(await metrics.getSingleMetricAsString('tracklane_inbound_postback_log_dropped_total')).toMatch(/reason="queue_full"} 2/);
    log.record(entry('bytes'));
    await log.flush();
    expect(await count('bytes')).toBe(4); // the budget is given back once written
  });

  it('writes in batches of its size, and counts a batch the database refused instead of failing', async () => {
    const metrics = new Registry();
    const log = new InboundPostbackLog(pool, { queueSize: 100, queueBytes: 1_000_000, batchSize: 4, flushIntervalMs: 10 }, pino({ level: 'silent' }), metrics);
    for (let index = 0; index < 10; index++) log.record(entry('batched'));
    await log.flush();
    expect(await count('batched')).toBe(10);

    const closed = new Pool({ connectionString: database.url, max: 1 });
    await closed.end();
    const failingMetrics = new Registry();
    const failing = new InboundPostbackLog(closed, { queueSize: 100, queueBytes: 1_000_000, batchSize: 4, flushIntervalMs: 10 }, pino({ level: 'silent' }), failingMetrics);
    failing.record(entry('lost'));
    await failing.flush();
    expect(await failingMetrics.getSingleMetricAsString('tracklane_inbound_postback_log_dropped_total')).toMatch(/reason="write_failed"} 1/);
  });

  it("purges the log and the receipts past the network's retention, never a receipt still to publish", async () => {
    const log = new InboundPostbackLog(pool, { queueSize: 100, queueBytes: 1_000_000, batchSize: 100, flushIntervalMs: 10 }, pino({ level: 'silent' }), new Registry());
    const receipts = new PostbackReceipts(pool, { leaseMs: 1_000, maxConcurrentBatches: 1 });
    const prisma = new PrismaService(database.url, 1);
    const retention = new PostbackRetention(prisma, log, receipts, { postbackLogDays: 30, intervalMs: 3_600_000 }, pino({ level: 'silent' }));
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    log.record(entry('old', daysAgo(31)));
    log.record(entry('recent', daysAgo(29)));
    log.record(entry('today', now));
    await log.flush();
    const receipt = (id: string, receivedAt: Date, published: boolean) =>
      pool.query(
        `INSERT INTO postback_receipts (event_id, advertiser_id, kind, goal, order_id, conversion_id, click_id, answer, message, lease_until, received_at, published_at)
         VALUES ($1, 1, 'conversion', '', $1, $1, NULL, '{}', $2, now(), $3, $4)`,
        [id, published ? null : '{}', receivedAt, published ? receivedAt : null],
      );
    await receipt('r-old', daysAgo(400), true);
    await receipt('r-old-unpublished', daysAgo(400), false);
    await receipt('r-recent', daysAgo(100), true);
    const receiptsLeft = async () => (await pool.query('SELECT event_id FROM postback_receipts ORDER BY event_id')).rows.map((row) => row.event_id);

    // The service's default for the log; receipts are kept for ever unless the network says otherwise.
    expect(await retention.run(now)).toEqual({ log: 1, receipts: 0 });
    expect([await count('old'), await count('recent'), await count('today')]).toEqual([0, 1, 1]);
    expect(await receiptsLeft()).toEqual(['r-old', 'r-old-unpublished', 'r-recent']);

    await pool.query('UPDATE network_settings SET postback_log_retention_days = 7, receipt_retention_days = 365 WHERE id = 1');
    expect(await retention.run(now)).toEqual({ log: 1, receipts: 1 });
    expect([await count('recent'), await count('today')]).toEqual([0, 1]);
    expect(await receiptsLeft()).toEqual(['r-old-unpublished', 'r-recent']);
    await pool.query('UPDATE network_settings SET postback_log_retention_days = NULL, receipt_retention_days = NULL WHERE id = 1');
    await prisma.onApplicationShutdown();
  });
});
