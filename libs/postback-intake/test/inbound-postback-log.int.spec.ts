import { CatalogSnapshot } from '@tracklane/catalog';
import { createTestDatabase, TestDatabase } from '@tracklane/testing';
import pino from 'pino';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { InboundPostback, InboundPostbackLog } from '../src';

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
    const log = new InboundPostbackLog(pool, { queueSize: 3, queueBytes: 1_000_000, batchSize: 500, flushIntervalMs: 60_000, retentionDays: 30, purgeIntervalMs: 3_600_000 }, pino({ level: 'silent' }), metrics);
    for (let index = 0; index < 5; index++) log.record(entry('bounded'));
    expect(await count('bounded')).toBe(0); // nothing is written on the caller's turn
    await log.flush();
    expect(await count('bounded')).toBe(3);
    expect(await metrics.getSingleMetricAsString('tracklane_inbound_postback_log_dropped_total')).toMatch(/reason="queue_full"} 2/);
  });

  it('bounds the queue in bytes too: large bodies cannot fill the memory', async () => {
    const metrics = new Registry();
    const log = new InboundPostbackLog(pool, { queueSize: 100, queueBytes: 1000, batchSize: 500, flushIntervalMs: 60_000, retentionDays: 30, purgeIntervalMs: 3_600_000 }, pino({ level: 'silent' }), metrics);
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
    const log = new InboundPostbackLog(pool, { queueSize: 100, queueBytes: 1_000_000, batchSize: 4, flushIntervalMs: 10, retentionDays: 30, purgeIntervalMs: 3_600_000 }, pino({ level: 'silent' }), metrics);
    for (let index = 0; index < 10; index++) log.record(entry('batched'));
    await log.flush();
    expect(await count('batched')).toBe(10);

    const closed = new Pool({ connectionString: database.url, max: 1 });
    await closed.end();
    const failingMetrics = new Registry();
    const failing = new InboundPostbackLog(closed, { queueSize: 100, queueBytes: 1_000_000, batchSize: 4, flushIntervalMs: 10, retentionDays: 30, purgeIntervalMs: 3_600_000 }, pino({ level: 'silent' }), failingMetrics);
    failing.record(entry('lost'));
    await failing.flush();
    expect(await failingMetrics.getSingleMetricAsString('tracklane_inbound_postback_log_dropped_total')).toMatch(/reason="write_failed"} 1/);
  });

  it('deletes rows past the retention and keeps the rest', async () => {
    const log = new InboundPostbackLog(pool, { queueSize: 100, queueBytes: 1_000_000, batchSize: 100, flushIntervalMs: 10, retentionDays: 30, purgeIntervalMs: 3_600_000 }, pino({ level: 'silent' }), new Registry());
    const now = new Date();
    log.record(entry('old', new Date(now.getTime() - 31 * 86_400_000)));
    log.record(entry('recent', new Date(now.getTime() - 29 * 86_400_000)));
    await log.flush();
    expect(await log.purge(now)).toBeGreaterThanOrEqual(1);
    expect([await count('old'), await count('recent')]).toEqual([0, 1]);
  });
});
