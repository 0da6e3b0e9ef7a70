import { AttributionStatus, AttributionV1, ClickV1 } from '@tracklane/contracts';
import { ServiceProcess, TestStack, createTestStack, waitFor } from '@tracklane/testing';
import Decimal from 'decimal.js';
import { Pool } from 'pg';
import { CATALOG, Publisher, book, click, decision, getJson, projected, statusChange, storeApiKey } from './fixtures';

interface Stats {
  rows: { affiliate_id: number; clicks: number; conversions: number; revenue: string; payout: string }[];
}

const HOUR = 3_600_000;
const START = Date.parse('2025-06-01T00:00:00.000Z');
const PATHS: AttributionStatus[][] = [['approved'], ['pending', 'approved'], ['approved', 'refunded'], ['pending', 'rejected'], ['pending']];

/**
 * Two reporting instances share the projection (the partitions of both
 * topics) and the API. Instances join, leave and are killed mid-window while
 * traffic flows; every click and attribution event still counts exactly once,
 * and both instances answer the same figures, equal to what was sent.
 */
describe('two reporting instances', () => {
  let stack: TestStack;
  let pool: Pool;
  let admin: string;
  let publisher: Publisher;
  const instances: { a?: ServiceProcess; b?: ServiceProcess } = {};
  const clicks: ClickV1[] = [];
  const events: AttributionV1[] = [];

  // A killed member holds its partitions for a session; a short one keeps the test short. Each window is
  // applied in two transactions at once (read-model.int.spec.ts covers the default, one).
  const start = () =>
    ServiceProcess.start({
      app: 'reporting',
      env: { ...stack.env, KAFKA_SESSION_TIMEOUT_MS: '6000', REPORTING_PROJECTOR_WINDOW_TRANSACTIONS: '2' },
      startTimeoutMs: 90_000,
    });
  const count = async (sql: string) => Number((await pool.query(sql)).rows[0].n);

  /** A wave of traffic: clicks, and for every tenth a conversion that goes one of PATHS, booked as attribution books it. */
  async function wave(size: number): Promise<void> {
    const batch: ClickV1[] = [];
    const changes: AttributionV1[] = [];
    for (let index = 0; index < size; index++) {
      const n = clicks.length + batch.length;
      const clicked = click(new Date(START + (n % 30) * HOUR + n).toISOString(), { affiliateId: n % 3 ? 7 : 8, sub1: `s${n % 41}` });
      batch.push(clicked);
      if (n % 10 !== 0) continue;
      const path = PATHS[(n / 10) % PATHS.length];
      const first = decision(clicked, new Date(Date.parse(clicked.occurredAt) + 1_000).toISOString(), {
        revenue: new Decimal(n).plus('0.1234').toFixed(4),
        payout: new Decimal(n).dividedBy(2).toFixed(4),
        status: path[0],
      });
      await book(pool, first);
      changes.push(first);
      let previous = first;
      for (const [step, status] of path.slice(1).entries()) {
        const change = statusChange(previous, status, new Date(Date.parse(first.decidedAt) + (step + 1) * 1_000).toISOString());
        await book(pool, change, previous.status);
        changes.push(change);
        previous = change;
      }
    }
    clicks.push(...batch);
    events.push(...changes);
    for (let from = 0; from < batch.length; from += 100) await publisher.clicks(batch.slice(from, from + 100));
    await publisher.attributions(changes);
  }

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url });
    await pool.query(CATALOG);
    admin = await storeApiKey(pool, 'admin');
    publisher = await Publisher.connect(stack);
  });

  afterAll(async () => {
    await publisher?.close();
    await Promise.all([instances.a?.stop(), instances.b?.stop()]);
    await pool?.end();
    await stack?.destroy();
  });

  it('count every click and event once while instances join, leave and are killed mid-window, and answer alike', async () => {
    instances.a = await start();
    await wave(600);
    // B joins while A is busy: the partitions are shared out again mid-stream.
    const joining = start();
    await wave(600);
    instances.b = await joining;
    await wave(600);
    // A is killed (kill -9) with windows in hand; B takes its partitions once A's session expires.
    const before = await count('SELECT count(*)::int AS n FROM rep_clicks');
    await wave(600);
    await waitFor(async () => (await count('SELECT count(*)::int AS n FROM rep_clicks')) > before, { what: 'the next window' });
    await instances.a.kill();
    await wave(600);
    // A comes back; B leaves cleanly; B comes back.
    instances.a = await start();
    await wave(600);
    await instances.b.stop();
    await wave(600);
    instances.b = await start();
    await wave(600);

    await projected(pool, { clicks: clicks.length, events: events.length });
    for (const table of ['rep_hourly_offer', 'rep_hourly_full', 'rep_daily_affiliate', 'rep_daily_full']) {
      expect([table, await count(`SELECT coalesce(sum(clicks), 0)::int AS n FROM ${table}`)]).toEqual([table, clicks.length]);
    }

    // What both instances must answer, added up here from what was sent.
    const last = new Map(events.map((event) => [event.conversionId, event]));
    const expected = new Map<number, { clicks: number; conversions: number; revenue: Decimal; payout: Decimal }>();
    const of = (affiliate: number) => {
      const row = expected.get(affiliate) ?? { clicks: 0, conversions: 0, revenue: new Decimal(0), payout: new Decimal(0) };
      expected.set(affiliate, row);
      return row;
    };
    for (const one of clicks) of(one.affiliateId).clicks++;
    for (const event of last.values()) {
      if (event.status !== 'approved') continue;
      const row = of(event.affiliateId as number);
      row.conversions++;
      row.revenue = row.revenue.plus(event.revenue);
      row.payout = row.payout.plus(event.payout);
    }
    const wanted = [...expected.entries()]
      .sort(([a], [b]) => a - b)
      .map(([affiliate, row]) => ({
        affiliate_id: affiliate,
        clicks: row.clicks,
        conversions: row.conversions,
        revenue: row.revenue.toFixed(4),
        payout: row.payout.toFixed(4),
      }));
    const query = '/v1/reports/stats?from=2025-06-01&to=2025-06-02&group_by=affiliate&metrics=clicks,conversions,revenue,payout';
    for (const instance of [instances.a, instances.b]) {
      const { status, body } = await getJson<Stats>(`${instance.url}${query}`, admin);
      expect(status).toBe(200);
      const rows = body.rows.map(({ affiliate_id, clicks, conversions, revenue, payout }) => ({ affiliate_id, clicks, conversions, revenue, payout }));
      expect(rows.sort((a, b) => a.affiliate_id - b.affiliate_id)).toEqual(wanted);
      const reconciliation = await getJson<{ balanced: boolean }>(`${instance.url}/v1/reconciliation?from=2025-06-01&to=2025-06-02`, admin);
      expect(reconciliation.body.balanced).toBe(true);
    }
  }, 300_000);
});
