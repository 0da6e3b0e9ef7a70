import { dataOf, managementClient, ManagementClient, reportingClient, ReportingClient } from '@tracklane/api-client';
import { waitFor } from '@tracklane/testing';
import { Pool } from 'pg';
import { createSaleOffer, redirectedClick } from '../support/network';
import { startWholePlatform, WholePlatform } from '../support/whole-platform';

interface SubRow {
  sub1: string | null;
  currency: string;
  clicks: number;
  conversions: number;
  refunded_conversions: number;
  payout: string;
}

/** The full rollups' dimensions, in the order their dims_key hashes them (rollup-levels.ts DIMENSION_COLUMNS). */
const FULL_DIMENSIONS = 'advertiser_id, offer_id, affiliate_id, goal_id, currency, country, device, source, sub1, sub2, sub3, sub4, sub5';

/**
 * A visitor asks to be forgotten by the affiliate's own id for them (sub1):
 * the value goes from every store, the reports keep every figure under
 * "(erased)", and a later refund still lands on the rewritten rows — the
 * rollups stay what the projector itself would have built.
 */
describe('erasing a sub id end to end', () => {
  let world: WholePlatform;
  let admin: ManagementClient;
  let reports: ReportingClient;
  let pool: Pool;
  let token: string;
  let offerId: number;
  let affiliateId: number;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const period = { from: day(-1), to: day(1) };
  // Instants: hourly rollups and raw edges rather than whole days.
  const window = () => ({ from: new Date(Date.now() - 2 * 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() });

  beforeAll(async () => {
    world = await startWholePlatform();
    admin = managementClient({ baseUrl: world.url('management'), apiKey: world.adminKey });
    reports = reportingClient({ baseUrl: world.url('reporting'), apiKey: world.adminKey });
    pool = new Pool({ connectionString: world.stack.database.url, max: 2 });
    ({ token, id: offerId } = await createSaleOffer(admin));
    affiliateId = dataOf(await admin.POST('/v1/affiliates', { body: { name: 'Publisher' } })).id;
    dataOf(await admin.PUT('/v1/approvals/{offerId}/{affiliateId}', { params: { path: { offerId, affiliateId } }, body: { status: 'approved' } }));
  });
  afterAll(async () => {
    await pool?.end();
    await world?.stop();
  });

  const postback = async (query: Record<string, string>) => {
    const response = await fetch(`${world.url('postback-ingest')}/postback?${new URLSearchParams({ token, goal: 'sale', ...query })}`);
    expect(response.status).toBe(200);
  };

  async function bySub1(range: { from: string; to: string }): Promise<Map<string | null, Omit<SubRow, 'sub1' | 'currency'>>> {
    const report = dataOf(
      await reports.GET('/v1/reports/stats', { params: { query: { ...range, group_by: 'sub1', metrics: 'clicks,conversions,refunded_conversions,payout' } } }),
    );
    // One offer, one currency: a row per sub1.
    return new Map((report.rows as unknown as SubRow[]).map(({ sub1, currency: _currency, ...measures }) => [sub1, measures]));
  }

  /** Rollup rows whose key is not what the projector computes from their dimensions, or that repeat a key's dimensions. */
  async function strayRollupRows(): Promise<number> {
    const { rows } = await pool.query<{ stray: number }>(
      `SELECT (SELECT count(*) FROM rep_hourly_full WHERE dims_key <> sha256(convert_to(json_build_array(${FULL_DIMENSIONS})::text, 'UTF8')))
            + (SELECT count(*) FROM rep_daily_full WHERE dims_key <> sha256(convert_to(json_build_array(${FULL_DIMENSIONS})::text, 'UTF8')))
            + (SELECT count(*) - count(DISTINCT (hour, ${FULL_DIMENSIONS})) FROM rep_hourly_full)
            + (SELECT count(*) - count(DISTINCT (zone, day, ${FULL_DIMENSIONS})) FROM rep_daily_full) AS stray`,
    );
    return Number(rows[0].stray);
  }

  it("replaces the value everywhere, keeps every figure under (erased), and a later refund lands on the rewritten rows", async () => {
    const click = (sub1: string) => redirectedClick(world.url('click-ingest'), offerId, affiliateId, { sub1, sub2: 'spring' });
    const [first, second] = [await click('user-4711'), await click('user-4711')];
    await click('user-4712');
    await postback({ click_id: first, order_id: 'E-1' });
    const before = await waitFor(
      async () => {
        const current = await bySub1(period);
        return current.get('user-4711')?.conversions === 1 && current.get('user-4712')?.clicks === 1 ? current : undefined;
      },
      { timeoutMs: 30_000, what: 'the clicks and the conversion in the report' },
    );
    const beforeWindow = await bySub1(window());
    expect(await world.stack.redis.client.exists(`attr:click:${first}`)).toBe(1);

    const erasure = await admin.POST('/v1/erasures', { body: { affiliateId, subId: 'user-4711' } });
    const erased = dataOf(erasure);
    // A visit answered "not available" before click-ingest had the approval is the visitor's click too.
    expect(erased.clickIds).toEqual(expect.arrayContaining([first, second]));
    expect(erased.subIdRows).toBeGreaterThanOrEqual(2 + 2 + 1 + 1); // clicks, report clicks, the conversion in the ledger and the read model, rollup rows

    for (const range of [period, window()]) {
      const after = await bySub1(range);
      expect(after.has('user-4711')).toBe(false);
      expect(after.get('(erased)')).toEqual((range === period ? before : beforeWindow).get('user-4711'));
      expect(after.get('user-4712')).toEqual((range === period ? before : beforeWindow).get('user-4712'));
    }
    const { rows: stored } = await pool.query(
      `SELECT sub1, sub2 FROM clicks WHERE click_id = ANY($1)
       UNION ALL SELECT sub1, sub2 FROM rep_clicks WHERE click_id = ANY($1)
       UNION ALL SELECT sub1, sub2 FROM conversions WHERE click_id = ANY($1)
       UNION ALL SELECT sub1, sub2 FROM rep_conversions WHERE click_id = ANY($1)`,
      [[first, second]],
    );
    expect(stored).toEqual(Array(6).fill({ sub1: '(erased)', sub2: 'spring' }));
    const { rows: anywhere } = await pool.query(
      `SELECT (SELECT count(*) FROM rep_hourly_full WHERE sub1 = 'user-4711') + (SELECT count(*) FROM rep_daily_full WHERE sub1 = 'user-4711') AS n`,
    );
    expect(Number(anywhere[0].n)).toBe(0);
    expect(await world.stack.redis.client.exists(`attr:click:${first}`)).toBe(0);
    expect(await strayRollupRows()).toBe(0);

    // After the erasure the conversion's state moves on: the projector takes it back from the rewritten rows.
    await postback({ click_id: first, order_id: 'E-1', status: 'refunded' });
    const refunded = await waitFor(
      async () => {
        const current = await bySub1(period);
        return current.get('(erased)')?.refunded_conversions === 1 ? current : undefined;
      },
      { timeoutMs: 30_000, what: 'the refund in the report' },
    );
    expect(refunded.get('(erased)')).toEqual({ clicks: before.get('user-4711')?.clicks, conversions: 0, refunded_conversions: 1, payout: '0.0000' });
    expect(await strayRollupRows()).toBe(0);
    const reconciliation = dataOf(await reports.GET('/v1/reconciliation', { params: { query: period } }));
    expect(reconciliation.balanced).toBe(true);
  });
});
