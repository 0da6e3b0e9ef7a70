import { createRedis } from '@tracklane/cache';
import { idTime } from '@tracklane/contracts';
import { createTestDatabase, createTestRedis, TestDatabase, TestRedis } from '@tracklane/testing';
import { PrismaService } from '@tracklane/db';
import type { Pool } from 'pg';
import { ClickCache } from '../src/clicks/click-cache';
import { ClickPartitions, utcDay } from '../src/clicks/click-partitions';
import { clickRecordOf } from '../src/clicks/click-record';
import { ClickRepository } from '../src/clicks/click.repository';
import { clickFixture } from '../src/testing';

const DAY = 86_400_000;

describe('click store', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let prisma: PrismaService;
  /** The test's own look at the tables. */
  let pool: Pool;
  let repository: ClickRepository;

  beforeAll(async () => {
    [database, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
    prisma = new PrismaService(database.url, 4);
    pool = prisma.pool;
    repository = new ClickRepository(prisma);
  });
  afterAll(async () => {
    await prisma?.onApplicationShutdown();
    await Promise.all([database?.drop(), redis?.drop()]);
  });

  const partitions = async () =>
    (
      await pool.query<{ name: string }>(
        `SELECT child.relname AS name FROM pg_inherits JOIN pg_class child ON child.oid = inhrelid
         WHERE inhparent = 'clicks'::regclass ORDER BY 1`,
      )
    ).rows.map((row) => row.name);

  it('creates partitions ahead, keeps the longest window of any offer, and drops what is past retention', async () => {
    const store = new ClickPartitions(prisma, { retentionDays: 3, aheadDays: 2 });
    const now = Date.parse('2030-06-15T12:00:00Z');
    await store.ensureFor([now - 10 * DAY, now - 4 * DAY, now - 3 * DAY]);
    await store.maintain(now);
    expect(await partitions()).toEqual(['clicks_20300612', 'clicks_20300615', 'clicks_20300616', 'clicks_20300617']);

    await pool.query(`INSERT INTO advertisers (id, name, postback_token) VALUES (1, 'A', 't')`);
    await pool.query(`INSERT INTO offers (id, advertiser_id, name, destination_url, attribution_window_seconds) VALUES (1, 1, 'O', 'https://x', $1)`, [
      5 * 86_400,
    ]);
    await store.ensureFor([now - 7 * DAY, now - 5 * DAY]);
    const report = await store.maintain(now);
    expect(report.retentionDays).toBe(6);
    expect(report.dropped).toEqual(['clicks_20300608']);
    expect(await partitions()).toContain('clicks_20300610');
    expect(store.keptSince(now)).toBe(Date.parse('2030-06-09T00:00:00Z'));

    // The network's own click retention wins over the default, but never over a window.
    await pool.query('UPDATE network_settings SET click_retention_days = 4 WHERE id = 1');
    expect((await store.maintain(now)).retentionDays).toBe(6);
    await pool.query('UPDATE network_settings SET click_retention_days = 10 WHERE id = 1');
    expect((await store.maintain(now)).retentionDays).toBe(10);
    expect(store.keptSince(now)).toBe(Date.parse('2030-06-05T00:00:00Z'));
    await pool.query('UPDATE network_settings SET click_retention_days = NULL WHERE id = 1');
  });

  it('stores a batch in one statement, on the day of the click id, and skips replays', async () => {
    const at = Date.now() - 2 * DAY;
    const clicks = [clickFixture({ at }), clickFixture({ at: at + 1, params: { lp: 'a' }, flags: ['bot', 'rate_limited'] }), clickFixture()];
    const store = new ClickPartitions(prisma, { retentionDays: 30, aheadDays: 1 });
    await store.ensureFor(clicks.map((click) => idTime(click.clickId)));
    expect(await repository.insert(clicks)).toBe(3);
    expect(await repository.insert(clicks)).toBe(0);
    const { rows } = await pool.query(`SELECT tableoid::regclass::text AS partition, flags, params FROM clicks WHERE click_id = $1`, [
      clicks[1].clickId,
    ]);
    expect(rows).toEqual([{ partition: `clicks_${utcDay(at).replace(/-/g, '')}`, flags: ['bot', 'rate_limited'], params: { lp: 'a' } }]);
  });

  it('finds clicks by id across days, with the fields conversions copy', async () => {
    const clicks = [clickFixture({ at: Date.now() - 5 * DAY }), clickFixture({ sub2: 'two', unique: false })];
    await new ClickPartitions(prisma, { retentionDays: 30, aheadDays: 1 }).ensureFor(clicks.map((click) => idTime(click.clickId)));
    await repository.insert(clicks);
    const found = await repository.find([...clicks.map((click) => click.clickId), clickFixture().clickId]);
    expect([...found.values()]).toEqual(expect.arrayContaining(clicks.map(clickRecordOf)));
    expect(found.size).toBe(2);
  });

  it('keeps click copies in Redis until their window closes', async () => {
    const client = createRedis({ url: redis.url, keyPrefix: redis.prefix });
    const cache = new ClickCache(client);
    const click = clickRecordOf(clickFixture());
    const expired = clickRecordOf(clickFixture());
    await cache.put([
      { click, ttlSeconds: 3_600 },
      { click: expired, ttlSeconds: 0 },
    ]);
    const found = await cache.get([click.clickId, expired.clickId]);
    expect([...found.keys()]).toEqual([click.clickId]);
    expect(found.get(click.clickId)).toEqual(click);
    const ttl = await redis.client.ttl(`attr:click:${click.clickId}`);
    expect(ttl).toBeGreaterThan(3_500);
    expect(ttl).toBeLessThanOrEqual(3_600);
    client.disconnect();
  });

  it('keeps a copy no longer than its keeping time after the click, however long the window', async () => {
    const client = createRedis({ url: redis.url, keyPrefix: redis.prefix });
    const cache = new ClickCache(client, 7_200);
    const fresh = clickRecordOf(clickFixture({ at: Date.now() }));
    const hourOld = clickRecordOf(clickFixture({ at: Date.now() - 3_600_000 }));
    const dayOld = clickRecordOf(clickFixture({ at: Date.now() - 86_400_000 }));
    const window = 30 * 86_400;
    await cache.put([fresh, hourOld, dayOld].map((click) => ({ click, ttlSeconds: window - (Date.now() - click.clickedAt) / 1000 })));
    expect([...(await cache.get([fresh.clickId, hourOld.clickId, dayOld.clickId])).keys()]).toEqual([fresh.clickId, hourOld.clickId]);
    const ttl = (click: typeof fresh) => redis.client.ttl(`attr:click:${click.clickId}`);
    expect(await ttl(fresh)).toBeGreaterThan(7_100);
    expect(await ttl(fresh)).toBeLessThanOrEqual(7_200);
    expect(await ttl(hourOld)).toBeGreaterThan(3_500);
    expect(await ttl(hourOld)).toBeLessThanOrEqual(3_600);
    client.disconnect();
  });
});
