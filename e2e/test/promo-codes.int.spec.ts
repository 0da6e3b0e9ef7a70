import { dataOf, managementClient, ManagementClient, reportingClient, ReportingClient } from '@tracklane/api-client';
import { waitFor } from '@tracklane/testing';
import { Pool } from 'pg';
import { createSaleOffer, redirectedClick } from '../support/network';
import { startWholePlatform, WholePlatform } from '../support/whole-platform';

interface ConversionRow {
  conversion_id: string;
  click_id: string | null;
  affiliate_id: number | null;
  status: string;
  reason: string;
  payout: string;
  coupon_code: string | null;
}

interface CouponStatsRow {
  coupon_code: string | null;
  affiliate_id: number;
  conversions: number;
  refunded_conversions: number;
  payout: string;
}

/**
 * Promo codes through every service, as a network runs them: codes created in
 * bulk for one affiliate, an advertiser posting a code with no click id, a
 * code beside another affiliate's click under both precedences, an unknown
 * code, a refund — then reports grouped by code, equal to the ledger.
 */
describe('promo codes end to end', () => {
  let world: WholePlatform;
  let admin: ManagementClient;
  let reports: ReportingClient;
  let token: string;
  let offerId: number;
  /** Sends traffic through tracking links. */
  let linkAffiliate: number;
  /** Hands out promo codes; its server hears of its conversions. */
  let codeAffiliate: number;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const period = { from: day(-1), to: day(1) };

  beforeAll(async () => {
    world = await startWholePlatform();
    admin = managementClient({ baseUrl: world.url('management'), apiKey: world.adminKey });
    reports = reportingClient({ baseUrl: world.url('reporting'), apiKey: world.adminKey });

    ({ token, id: offerId } = await createSaleOffer(admin));
    linkAffiliate = dataOf(await admin.POST('/v1/affiliates', { body: { name: 'Link Traffic' } })).id;
    codeAffiliate = dataOf(
      await admin.POST('/v1/affiliates', {
        body: {
          name: 'Coupon Heroes',
          postbackUrl: `${world.affiliateServer.url}/pb?cid={click_id}&code={coupon_code}&status={status}&payout={payout}`,
          postbackStatuses: ['approved', 'refunded'],
        },
      }),
    ).id;
    for (const affiliateId of [linkAffiliate, codeAffiliate]) {
      dataOf(await admin.PUT('/v1/approvals/{offerId}/{affiliateId}', { params: { path: { offerId, affiliateId } }, body: { status: 'approved' } }));
    }
  });
  afterAll(() => world?.stop());

  const postback = (query: Record<string, string>) =>
    fetch(`${world.url('postback-ingest')}/postback?${new URLSearchParams({ token, goal: 'sale', amount: '100.00', currency: 'USD', ...query })}`);
  const answerOf = async (response: Response) => (await response.json()) as { ok: boolean; conversionId: string; kind: string; clickId: string | null };

  async function conversion(conversionId: string): Promise<ConversionRow> {
    return waitFor(
      async () => {
        const log = dataOf(await reports.GET('/v1/reports/conversions', { params: { query: period } }));
        return (log.rows as unknown as ConversionRow[]).find((each) => each.conversion_id === conversionId);
      },
      { timeoutMs: 30_000, what: `conversion ${conversionId} in the reports` },
    );
  }

  it('creates codes in bulk for one affiliate, and refuses the batch whole when one code is taken', async () => {
    const created = dataOf(await admin.POST('/v1/coupon-codes/bulk', { body: { affiliateId: codeAffiliate, offerId, codes: ['SPRING10', 'Summer-20'] } }));
    expect(created.map((code) => code.code)).toEqual(['SPRING10', 'Summer-20']);
    const refused = await admin.POST('/v1/coupon-codes/bulk', { body: { affiliateId: linkAffiliate, offerId, codes: ['AUTUMN', 'spring10'] } });
    expect(refused.response.status).toBe(409);
    const autumn = dataOf(await admin.GET('/v1/coupon-codes', { params: { query: { code: 'autumn' } } }));
    expect(autumn.data).toEqual([]);
  });

  it("books a postback with only a promo code to the code's affiliate and tells its server", async () => {
    const response = await postback({ promo_code: ' spring10 ', order_id: 'C-1' });
    expect(response.status).toBe(200);
    const answer = await answerOf(response);
    expect(answer).toMatchObject({ ok: true, kind: 'conversion', clickId: null });

    const row = await conversion(answer.conversionId);
    expect(row).toMatchObject({ click_id: null, affiliate_id: codeAffiliate, status: 'approved', reason: 'coupon', payout: '2.5000', coupon_code: 'SPRING10' });
    const received = await waitFor(
      () => world.affiliateServer.succeeded().find((request) => request.url.includes('status=approved')),
      { timeoutMs: 30_000, what: "the code affiliate's postback" },
    );
    expect(Object.fromEntries(new URL(received.url, 'http://x').searchParams)).toEqual({ cid: '', code: 'SPRING10', status: 'approved', payout: '2.5000' });
  });

  it('needs an order id beside a code, and books a code nobody holds as rejected', async () => {
    const refused = await postback({ coupon_code: 'SPRING10' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ field: 'order_id', rule: 'isDefined' });

    const unknown = await postback({ coupon: 'NOBODY', order_id: 'C-2' });
    expect(unknown.status).toBe(200);
    const row = await conversion((await answerOf(unknown)).conversionId);
    expect(row).toMatchObject({ affiliate_id: null, status: 'rejected', reason: 'coupon_not_found', payout: '0.0000', coupon_code: 'NOBODY' });
  });

  it("gives the click's affiliate the sale by default, and the code's once the offer says codes win", async () => {
    const linkClick = () => redirectedClick(world.url('click-ingest'), offerId, linkAffiliate);
    const byClick = await postback({ click_id: await linkClick(), coupon_code: 'summer-20', order_id: 'C-3' });
    expect(byClick.status).toBe(200);
    expect(await conversion((await answerOf(byClick)).conversionId)).toMatchObject({
      affiliate_id: linkAffiliate,
      reason: 'attributed',
      coupon_code: 'Summer-20',
    });

    const changed = dataOf(await admin.PATCH('/v1/offers/{offerId}', { params: { path: { offerId } }, body: { couponPrecedence: 'coupon' } }));
    expect(changed.couponPrecedence).toBe('coupon');
    // The catalogue reaches attribution through the invalidation: post until the code wins (each post a new order).
    let order = 0;
    const won = await waitFor(
      async () => {
        const response = await postback({ click_id: await linkClick(), coupon_code: 'SUMMER-20', order_id: `C-4-${++order}` });
        const row = await conversion((await answerOf(response)).conversionId);
        return row.reason === 'coupon' ? row : undefined;
      },
      { timeoutMs: 30_000, what: 'the code winning over the click' },
    );
    expect(won).toMatchObject({ affiliate_id: codeAffiliate, coupon_code: 'Summer-20' });
    expect(won.click_id).toBeNull();
  });

  it('refunds a code conversion by its order and code, and reports by code equal the ledger', async () => {
    const refund = await postback({ coupon_code: 'SPRING10', order_id: 'C-1', status: 'refunded' });
    expect(refund.status).toBe(200);
    expect(await refund.json()).toMatchObject({ ok: true, kind: 'status_change' });
    await waitFor(
      () => world.affiliateServer.succeeded().find((request) => request.url.includes('status=refunded')),
      { timeoutMs: 30_000, what: 'the refund postback' },
    );

    // The ledger's word, per code and affiliate: each conversion in its current status.
    const pool = new Pool({ connectionString: world.stack.database.url, max: 1 });
    const ledger = await pool
      .query<{ key: string; conversions: number; refunded: number; payout_e4: number }>(
        `SELECT c.coupon_code || ':' || coalesce(c.affiliate_id::text, 'null') AS key,
                count(*) FILTER (WHERE s.status IN ('approved', 'pending'))::int AS conversions,
                count(*) FILTER (WHERE s.status = 'refunded')::int AS refunded,
                coalesce(sum(c.payout * 10000) FILTER (WHERE s.status IN ('approved', 'pending')), 0)::int AS payout_e4
         FROM conversions c
         CROSS JOIN LATERAL (SELECT coalesce((SELECT to_status FROM conversion_status_changes x
                                              WHERE x.conversion_id = c.conversion_id ORDER BY seq DESC LIMIT 1), c.status) AS status) s
         WHERE c.coupon_code IS NOT NULL
         GROUP BY 1`,
      )
      .finally(() => pool.end());
    const expected = new Map(ledger.rows.map((row) => [row.key, { conversions: row.conversions, refunded: row.refunded, payout: row.payout_e4 }]));
    expect(expected.get(`SPRING10:${codeAffiliate}`)).toEqual({ conversions: 0, refunded: 1, payout: 0 });

    const byCode = async () => {
      const stats = dataOf(
        await reports.GET('/v1/reports/stats', {
          params: { query: { ...period, group_by: 'coupon_code,affiliate', metrics: 'conversions,refunded_conversions,payout' } },
        }),
      );
      expect(stats.meta.read_from?.rollup).toBeNull();
      const rows = (stats.rows as unknown as CouponStatsRow[]).filter((row) => row.coupon_code !== null);
      return new Map(
        rows.map((row) => [
          `${row.coupon_code}:${row.affiliate_id}`,
          { conversions: row.conversions, refunded: row.refunded_conversions, payout: Math.round(Number(row.payout) * 10_000) },
        ]),
      );
    };
    // The refund reaches the reports a moment after the ledger.
    const actual = await waitFor(async () => {
      const current = await byCode();
      return current.get(`SPRING10:${codeAffiliate}`)?.refunded === 1 ? current : undefined;
    }, { timeoutMs: 30_000, what: 'the refund in the report by code' });
    expect(actual).toEqual(expected);

    const filtered = dataOf(await reports.GET('/v1/reports/stats', { params: { query: { ...period, coupon_code: ['Summer-20'], group_by: 'affiliate' } } }));
    expect((filtered.rows as unknown as CouponStatsRow[]).map((row) => row.affiliate_id).sort()).toEqual([linkAffiliate, codeAffiliate].sort());
    const reconciliation = dataOf(await reports.GET('/v1/reconciliation', { params: { query: period } }));
    expect(reconciliation.balanced).toBe(true);
  });
});
