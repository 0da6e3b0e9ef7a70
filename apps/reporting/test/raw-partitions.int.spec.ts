import { attributionsV1, clicksV1, topicNames } from '@tracklane/contracts';
import { PrismaService } from '@tracklane/db';
import { RawPartitions, utcMonthStart } from '@tracklane/reporting';
import { RunningService, startService } from '@tracklane/observability';
import { TestStack, createTestStack, readTopic, waitFor } from '@tracklane/testing';
import { Pool } from 'pg';
import { ReportingEnv } from '../src/reporting.env';
import { reportingService } from '../src/reporting.service';
import { CATALOG, Publisher, book, click, decision, getJson, projected, statusChange, storeApiKey } from './fixtures';

const DAY = 86_400_000;
const RETENTION_MONTHS = 2;

const monthName = (instant: number) => new Date(instant).toISOString().slice(0, 7).replace('-', '');

/**
 * The raw tables by month: a window makes the months it needs, retention
 * drops old months of clicks and events (never of conversions), and what is
 * older than the rows kept is skipped rather than counted without its replay
 * guard. Times are relative to now, as retention is in production.
 */
describe('the read model by month', () => {
  let stack: TestStack;
  let pool: Pool;
  let admin: string;
  let service: RunningService<ReportingEnv>;
  let publisher: Publisher;

  const partitionsOf = async (table: string) =>
    (
      await pool.query<{ name: string }>(
        `SELECT child.relname AS name FROM pg_inherits JOIN pg_class child ON child.oid = inhrelid WHERE inhparent = $1::regclass ORDER BY 1`,
        [table],
      )
    ).rows.map((row) => row.name);
  const counts = async () =>
    (await pool.query('SELECT (SELECT count(*) FROM rep_clicks)::int AS clicks, (SELECT count(*) FROM rep_attribution_events)::int AS events')).rows[0];
  const expiredMetric = async (stream: string) => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith(`tracklane_reporting_projected_events_total{stream="${stream}",outcome="expired"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url });
    await pool.query(CATALOG);
    admin = await storeApiKey(pool, 'admin');
    publisher = await Publisher.connect(stack);
    service = await startService(
      reportingService,
      Object.assign(new ReportingEnv(), stack.env, { LOG_LEVEL: 'warn', REPORTING_RAW_RETENTION_MONTHS: RETENTION_MONTHS }),
    );
  });

  afterAll(async () => {
    await publisher?.close();
    await service?.close();
    await pool?.end();
    await stack?.destroy();
  });

  it('keeps old months of conversions, so a refund after their clicks left still takes back what they counted', async () => {
    const now = Date.now();
    // The start of the service made this month and the next.
    expect(await partitionsOf('rep_clicks')).toEqual(expect.arrayContaining([`rep_clicks_${monthName(now)}`, `rep_clicks_${monthName(utcMonthStart(now, 1))}`]));

    const lastMonth = utcMonthStart(now, -1) + 9 * DAY + 14 * 3_600_000;
    const clicked = click(new Date(lastMonth).toISOString(), { affiliateId: 8 });
    const sale = decision(clicked, new Date(lastMonth + 120_000).toISOString(), { revenue: '40.1250', payout: '31.0000' });
    await book(pool, sale);
    // A click of this month, so that the service knows this month's partitions are there.
    await publisher.clicks([clicked, click(new Date(now - 60_000).toISOString())]);
    await publisher.attributions([sale]);
    await projected(pool, { clicks: 2, events: 1 });
    for (const table of ['rep_clicks', 'rep_conversions', 'rep_attribution_events']) {
      expect(await partitionsOf(table)).toContain(`${table}_${monthName(lastMonth)}`);
    }

    // Months later, retention has dropped last month's clicks and events (and, in this test, this month's too).
    const later = await new RawPartitions(service.app.get(PrismaService), { months: RETENTION_MONTHS }).maintain(utcMonthStart(now, RETENTION_MONTHS + 1));
    expect(later.dropped).toEqual(expect.arrayContaining([`rep_clicks_${monthName(lastMonth)}`, `rep_attribution_events_${monthName(lastMonth)}`]));
    expect(later.dropped.filter((name) => name.startsWith('rep_conversions'))).toEqual([]);
    expect(await counts()).toEqual({ clicks: 0, events: 0 });

    // The refund's month is gone too, though the service made it and still counts on it: it makes it again, nothing dead-lettered.
    const refund = statusChange(sale, 'refunded', new Date().toISOString());
    await book(pool, refund, 'approved');
    await publisher.attributions([refund]);
    await projected(pool, { clicks: 0, events: 1 });
    const { rows } = await pool.query('SELECT status FROM rep_conversions WHERE conversion_id = $1', [sale.conversionId]);
    expect(rows).toEqual([{ status: 'refunded' }]);

    const day = new Date(lastMonth).toISOString().slice(0, 10);
    const report = await getJson<{ rows: unknown[] }>(
      `${service.url}/v1/reports/stats?from=${day}&to=${day}&metrics=clicks,conversions,refunded_conversions,revenue`,
      admin,
    );
    expect(report.status).toBe(200);
    expect(report.body.rows).toEqual([expect.objectContaining({ clicks: 1, conversions: 0, refunded_conversions: 1, revenue: '0.0000' })]);
    const reconciliation = await getJson<{ balanced: boolean }>(`${service.url}/v1/reconciliation?from=${day}&to=${day}`, admin);
    expect(reconciliation.body.balanced).toBe(true);
    expect(await readTopic(stack.topics.kafka, topicNames(attributionsV1, stack.topics.prefix).deadLetter, { idleMs: 1_000 })).toEqual([]);
  }, 120_000);

  it('skips a click older than the raw rows kept (its replay guard is gone) and counts it as expired', async () => {
    const now = Date.now();
    const before = await counts();
    const stale = click(new Date(utcMonthStart(now, -RETENTION_MONTHS - 1) + DAY).toISOString());
    const fresh = click(new Date(now - 60_000).toISOString());
    await publisher.clicks([stale, fresh]);
    await projected(pool, { clicks: before.clicks + 1, events: before.events });
    await waitFor(async () => (await expiredMetric('clicks')) === 1, { what: 'the stale click counted as expired' });
    const { rows } = await pool.query('SELECT click_id FROM rep_clicks WHERE click_id = ANY($1)', [[stale.clickId, fresh.clickId]]);
    expect(rows).toEqual([{ click_id: fresh.clickId }]);
    expect(await partitionsOf('rep_clicks')).not.toContain(`rep_clicks_${monthName(Date.parse(stale.occurredAt))}`);
    expect(await readTopic(stack.topics.kafka, topicNames(clicksV1, stack.topics.prefix).deadLetter, { idleMs: 1_000 })).toEqual([]);
  }, 60_000);

  it("keeps the months the network sets (raw_report_retention_months), read at each maintenance, else its own", async () => {
    const now = Date.now();
    const partitions = new RawPartitions(service.app.get(PrismaService), { months: RETENTION_MONTHS });
    await pool.query('UPDATE network_settings SET raw_report_retention_months = 5 WHERE id = 1');
    await partitions.maintain(now);
    expect(partitions.keptSince(now)).toBe(utcMonthStart(now, -5));
    await pool.query('UPDATE network_settings SET raw_report_retention_months = NULL WHERE id = 1');
    await partitions.maintain(now);
    expect(partitions.keptSince(now)).toBe(utcMonthStart(now, -RETENTION_MONTHS));
  });
});
