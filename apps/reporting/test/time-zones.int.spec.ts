import { RunningService, startService } from '@tracklane/observability';
import { PrismaService } from '@tracklane/db';
import { TestStack, createTestStack } from '@tracklane/testing';
import { Pool } from 'pg';
import { ReportingEnv } from '../src/reporting.env';
import { reportingService } from '../src/reporting.service';
import { MEASURE_COLUMNS, allRollupTables, inReadModelTransaction, rebuildRollups } from '@tracklane/reporting';
import { CATALOG, Publisher, click, decision, getJson, projected, storeApiKey } from './fixtures';

type Row = Record<string, string | number>;
interface Stats {
  rows: Row[];
  meta: { read_from: { daily_rollups: boolean; hourly_spans: number; raw_ranges: number } };
}

/*
 * Clicks placed around the edges that time zones move:
 *   New York springs forward on 2025-03-09 at 07:00 UTC (that day has 23 hours)
 *   and falls back on 2025-11-02 at 06:00 UTC (01:00-02:00 happens twice);
 *   Kolkata is UTC+05:30, so its days and hours start in the middle of UTC hours.
 */
const spring = ['2025-03-09T04:30:00Z', '2025-03-09T05:00:00Z', '2025-03-09T06:30:00Z', '2025-03-09T07:30:00Z', '2025-03-10T03:59:00Z', '2025-03-10T04:00:00Z'];
const kolkata = ['2025-03-03T18:20:00Z', '2025-03-03T18:40:00Z', '2025-03-03T19:10:00Z'];
const fall = ['2025-11-02T04:30:00Z', '2025-11-02T05:30:00Z', '2025-11-02T06:30:00Z'];

describe('time zones', () => {
  let stack: TestStack;
  let projector: RunningService<ReportingEnv>;
  let withDailyZones: RunningService<ReportingEnv>;
  let pool: Pool;
  let publisher: Publisher;
  let admin: string;

  const clicks = [...spring, ...kolkata, ...fall].map((at) => click(at.replace('Z', '.000Z')));
  const [k1, k2] = clicks.slice(spring.length, spring.length + 2);
  const conversions = [
    decision(k1, '2025-03-03T18:25:00.000Z', { revenue: '4.0000', payout: '2.0000' }), // 23:55 in Kolkata
    decision(k2, '2025-03-03T18:45:00.000Z', { revenue: '10.0000', payout: '5.0000' }), // 00:15 the next day in Kolkata
  ];

  const stats = async (service: RunningService<ReportingEnv>, query: string) =>
    (await getJson<Stats>(`${service.url}/v1/reports/stats?metrics=clicks,conversions,revenue&${query}`, admin)).body;
  const counts = (body: Stats, key: string) => body.rows.map((row) => [row[key], row.clicks]);

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url });
    await pool.query(CATALOG);
    admin = await storeApiKey(pool, 'admin');
    projector = await startService(reportingService, Object.assign(new ReportingEnv(), stack.env, { LOG_LEVEL: 'warn' }));
    publisher = await Publisher.connect(stack);
    await publisher.clicks(clicks);
    await publisher.attributions(conversions);
    await projected(pool, { clicks: clicks.length, events: conversions.length });
  });

  afterAll(async () => {
    await publisher?.close();
    await withDailyZones?.close();
    await projector?.close();
    await pool?.end();
    await stack?.destroy();
  });

  it('cuts days where the zone does, across the spring DST change', async () => {
    const newYork = await stats(projector, 'from=2025-03-08&to=2025-03-10&group_by=day&timezone=America/New_York');
    expect(counts(newYork, 'day')).toEqual([
      ['2025-03-08', 1],
      ['2025-03-09', 4],
      ['2025-03-10', 1],
    ]);
    expect(newYork.meta.read_from).toMatchObject({ daily_rollups: false, hourly_spans: 1, raw_ranges: 0 });
    const utc = await stats(projector, 'from=2025-03-08&to=2025-03-10&group_by=day');
    expect(counts(utc, 'day')).toEqual([
      ['2025-03-09', 4],
      ['2025-03-10', 2],
    ]);
  });

  it('labels hours with their offset: the skipped hour is absent and the repeated hour appears twice', async () => {
    const spring = await stats(projector, 'from=2025-03-09&to=2025-03-09&group_by=hour&timezone=America/New_York');
    expect(counts(spring, 'hour')).toEqual([
      ['2025-03-09T00:00:00-05:00', 1],
      ['2025-03-09T01:00:00-05:00', 1],
      ['2025-03-09T03:00:00-04:00', 1],
      ['2025-03-09T23:00:00-04:00', 1],
    ]);
    const fall = await stats(projector, 'from=2025-11-02&to=2025-11-02&group_by=hour&timezone=America/New_York');
    expect(counts(fall, 'hour')).toEqual([
      ['2025-11-02T00:00:00-04:00', 1],
      ['2025-11-02T01:00:00-04:00', 1],
      ['2025-11-02T01:00:00-05:00', 1],
    ]);
  });

  it('is exact in a zone half an hour off UTC, reading the cut hours from raw rows', async () => {
    const days = await stats(projector, 'from=2025-03-03&to=2025-03-04&group_by=day&timezone=Asia/Kolkata');
    expect(days.rows).toEqual([
      { day: '2025-03-03', currency: 'USD', clicks: 1, conversions: 1, revenue: '4.0000' },
      { day: '2025-03-04', currency: 'USD', clicks: 2, conversions: 1, revenue: '10.0000' },
    ]);
    expect(days.meta.read_from.raw_ranges).toBeGreaterThan(0);
    const hours = await stats(projector, 'from=2025-03-03T23:00&to=2025-03-04T01:00&group_by=hour&timezone=Asia/Kolkata');
    expect(hours.rows).toEqual([
      { hour: '2025-03-03T23:00:00+05:30', currency: 'USD', clicks: 1, conversions: 1, revenue: '4.0000' },
      { hour: '2025-03-04T00:00:00+05:30', currency: 'USD', clicks: 2, conversions: 1, revenue: '10.0000' },
    ]);
  });

  it('reads a range that does not start on the hour from raw rows at its ends', async () => {
    const partial = await stats(projector, 'from=2025-03-09T04:45:00Z&to=2025-03-09T07:45:00Z&group_by=hour');
    expect(counts(partial, 'hour')).toEqual([
      ['2025-03-09T05:00:00+00:00', 1],
      ['2025-03-09T06:00:00+00:00', 1],
      ['2025-03-09T07:00:00+00:00', 1],
    ]);
    expect(partial.meta.read_from).toMatchObject({ hourly_spans: 1, raw_ranges: 2 });
  });

  it('groups by week (starting Monday) and month in the zone', async () => {
    const weeks = await stats(projector, 'from=2025-03-01&to=2025-03-31&group_by=week&timezone=America/New_York');
    expect(counts(weeks, 'week')).toEqual([
      ['2025-03-03', 8],
      ['2025-03-10', 1],
    ]);
    const months = await stats(projector, 'from=2025-01-01&to=2025-12-31&group_by=month&timezone=America/New_York');
    expect(months.rows.map((row) => [row.month, row.clicks, row.conversions])).toEqual([
      ['2025-03-01', 9, 2],
      ['2025-11-01', 3, 0],
    ]);
  });

  it('answers the same from daily rollups once a zone has them, backfilled and then kept up to date', async () => {
    const queries = [
      'from=2025-03-08&to=2025-03-10&group_by=day&timezone=America/New_York',
      'from=2025-03-01&to=2025-03-31&group_by=week&timezone=America/New_York',
      'from=2025-01-01&to=2025-12-31&group_by=month&timezone=America/New_York',
      'from=2025-11-01&to=2025-11-03&group_by=day&timezone=America/New_York',
      'from=2025-03-03&to=2025-03-04&group_by=day&timezone=Asia/Kolkata',
    ];
    const before = await Promise.all(queries.map((query) => stats(projector, query)));
    withDailyZones = await startService(
      reportingService,
      Object.assign(new ReportingEnv(), stack.env, {
        LOG_LEVEL: 'warn',
        REPORTING_PROJECTOR: 'false',
        REPORTING_DAY_ZONES: 'UTC,America/New_York,Asia/Kolkata',
      }),
    );
    const after = await Promise.all(queries.map((query) => stats(withDailyZones, query)));
    for (const [index, body] of after.entries()) {
      expect(body.meta.read_from.daily_rollups).toBe(true);
      expect(body.meta.read_from.raw_ranges).toBe(0);
      expect(body.rows).toEqual(before[index].rows);
    }

    // The projector now writes the new zones' days too.
    const late = click('2025-03-09T12:00:00.000Z');
    await publisher.clicks([late]);
    await projected(pool, { clicks: clicks.length + 1, events: conversions.length });
    const fromDaily = await stats(withDailyZones, queries[0]);
    expect(counts(fromDaily, 'day')).toEqual([
      ['2025-03-08', 1],
      ['2025-03-09', 5],
      ['2025-03-10', 1],
    ]);
    expect((await stats(projector, queries[0])).rows).toEqual(fromDaily.rows);
  });

  it('rebuilds to the very rollups the projector maintained, from hourly rows for whole-hour zones and raw rows for Kolkata', async () => {
    const snapshot = async () => {
      const tables: Record<string, unknown[]> = {};
      for (const table of allRollupTables()) {
        const nonZero = MEASURE_COLUMNS.map((column) => `${column} <> 0`).join(' OR ');
        tables[table] = (await pool.query(`SELECT * FROM ${table} WHERE ${nonZero} ORDER BY 1, 2, 3`)).rows;
      }
      return tables;
    };
    const maintained = await snapshot();
    expect(maintained.rep_daily_offer.length).toBeGreaterThan(0);
    const prisma = new PrismaService(stack.database.url, 1);
    await inReadModelTransaction(prisma, 'exclusive', (tx) => rebuildRollups(tx)).finally(() => prisma.onApplicationShutdown());
    expect(await snapshot()).toEqual(maintained);
  });
});

