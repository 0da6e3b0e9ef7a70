import { RunningService, startService } from '@tracklane/observability';
import { TestStack, createTestStack } from '@tracklane/testing';
import { Pool } from 'pg';
import { ReportingEnv } from '../src/reporting.env';
import { reportingService } from '../src/reporting.service';
import { CATALOG, Publisher, click, decision, getJson, projected, storeApiKey } from './fixtures';

type Row = Record<string, unknown>;
interface Page {
  rows: Row[];
  totals?: Row[];
}

/*
 * Advertiser 1 owns offer 10, advertiser 2 owns offer 20. Affiliate 7 sent
 * c1 (offer 10) and c3 (offer 20), affiliate 8 sent c2 (offer 10); each
 * converted once. Every endpoint must show each key only its own share.
 */
describe('tenancy', () => {
  let stack: TestStack;
  let service: RunningService<ReportingEnv>;
  let pool: Pool;
  const keys: Record<string, string> = {};

  const c1 = click('2025-04-01T10:00:00.000Z', { sub1: 'seven-secret' });
  const c2 = click('2025-04-01T11:00:00.000Z', { affiliateId: 8, sub1: 'eight-secret' });
  const c3 = click('2025-04-01T12:00:00.000Z', { offerId: 20, advertiserId: 2, sub1: 'seven-eur' });
  const v1 = decision(c1, '2025-04-01T10:30:00.000Z', { revenue: '10.0000', payout: '7.0000' });
  const v2 = decision(c2, '2025-04-01T11:30:00.000Z', { revenue: '8.0000', payout: '6.0000' });
  const v3 = decision(c3, '2025-04-01T12:30:00.000Z', { revenue: '20.0000', payout: '15.0000', goalId: 200, currency: 'EUR' });
  const window = 'from=2025-04-01&to=2025-04-01';

  const get = (path: string, key: string) => getJson<Page>(`${service.url}${path}${path.includes('?') ? '&' : '?'}${window}`, keys[key]);

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url });
    await pool.query(CATALOG);
    keys.admin = await storeApiKey(pool, 'admin');
    keys.advertiser1 = await storeApiKey(pool, 'advertiser', 1);
    keys.advertiser2 = await storeApiKey(pool, 'advertiser', 2);
    keys.affiliate7 = await storeApiKey(pool, 'affiliate', 7);
    keys.affiliate8 = await storeApiKey(pool, 'affiliate', 8, false);
    for (const [affiliate, conversion, at] of [
      [7, v1.conversionId, '2025-04-01T10:31:00Z'],
      [8, v2.conversionId, '2025-04-01T11:31:00Z'],
      [7, v3.conversionId, '2025-04-01T12:31:00Z'],
    ] as const) {
      await pool.query(
        `INSERT INTO postback_deliveries (delivery_key, conversion_id, event_id, affiliate_id, offer_id, status, method, url_masked, state, attempts, created_at)
         VALUES ($1, $2, $2, $3, 10, 'approved', 'GET', 'https://pub.example/pb?token=***', 'delivered', 1, $4)`,
        [`${conversion}:approved`, conversion, affiliate, at],
      );
    }
    service = await startService(reportingService, Object.assign(new ReportingEnv(), stack.env, { LOG_LEVEL: 'warn' }));
    const publisher = await Publisher.connect(stack);
    await publisher.clicks([c1, c2, c3]);
    await publisher.attributions([v1, v2, v3]);
    await publisher.close();
    await projected(pool, { clicks: 3, events: 3 });
  });

  afterAll(async () => {
    await service?.close();
    await pool?.end();
    await stack?.destroy();
  });

  describe('an affiliate key', () => {
    it('sees its own stats and sub ids, with payouts but never revenue or profit', async () => {
      const { status, body } = await get('/v1/reports/stats?group_by=affiliate,sub1', 'affiliate7');
      expect(status).toBe(200);
      expect(body.rows.map((row) => [row.affiliate_id, row.sub1, row.currency, row.payout])).toEqual([
        [7, 'seven-eur', 'EUR', '15.0000'],
        [7, 'seven-secret', 'USD', '7.0000'],
      ]);
      for (const row of [...body.rows, ...(body.totals ?? [])]) {
        for (const hidden of ['revenue', 'pending_revenue', 'profit', 'rpc']) expect(row).not.toHaveProperty(hidden);
      }
      expect(body.rows[0]).toHaveProperty('epc');
      expect(JSON.stringify(body)).not.toContain('eight-secret');
    });

    it.each([
      ['metrics=clicks,revenue', 'metrics'],
      ['metrics=profit', 'metrics'],
      ['sort=-revenue', 'sort'],
      ['group_by=advertiser', 'group_by'],
      ['advertiser_id=1', 'advertiser_id'],
      ['affiliate_id=8', 'affiliate_id'],
      ['affiliate_id=7,8', 'affiliate_id'],
    ])('is refused %s (403 naming %s)', async (query, parameter) => {
      const { status, body } = await get(`/v1/reports/stats?${query}`, 'affiliate7');
      expect(status).toBe(403);
      expect(body).toMatchObject({ type: 'urn:tracklane:problem:forbidden', status: 403, errors: [{ field: parameter }] });
    });

    it('reads only its own clicks, conversions and postbacks, without revenue, order ids or advertisers', async () => {
      const clickLog = await get('/v1/reports/clicks', 'affiliate7');
      expect(clickLog.body.rows.map((row) => row.click_id).sort()).toEqual([c1.clickId, c3.clickId].sort());
      expect(clickLog.body.rows[0]).not.toHaveProperty('advertiser_id');

      const conversionLog = await get('/v1/reports/conversions', 'affiliate8');
      expect(conversionLog.body.rows).toEqual([expect.objectContaining({ conversion_id: v2.conversionId, payout: '6.0000', affiliate_id: 8 })]);
      // The management API hides the sale from the same key: one policy (libs/api-auth), so reporting does too.
      for (const hidden of ['revenue', 'sale_amount', 'order_id', 'advertiser_id']) expect(conversionLog.body.rows[0]).not.toHaveProperty(hidden);
      const csv = await (await fetch(`${service.url}/v1/reports/conversions?${window}&format=csv&api_key=${keys.affiliate8}`)).text();
      expect(csv.split('\r\n')[0]).not.toMatch(/sale_amount|revenue|order_id/);

      const postbacks = await get('/v1/reports/postbacks', 'affiliate7');
      expect(postbacks.body.rows.map((row) => row.conversion_id).sort()).toEqual([v1.conversionId, v3.conversionId].sort());
      expect((await get('/v1/reports/postbacks?affiliate_id=8', 'affiliate7')).status).toBe(403);
      expect((await get('/v1/reports/clicks?affiliate_id=8', 'affiliate7')).status).toBe(403);
    });

    it('gets the same scope in CSV', async () => {
      const response = await fetch(`${service.url}/v1/reports/stats?${window}&group_by=sub1&format=csv&api_key=${keys.affiliate7}`);
      const csv = await response.text();
      expect(csv.split('\r\n')[0]).toBe(
        'sub1,currency,clicks,unique_clicks,invalid_clicks,conversions,pending_conversions,rejected_conversions,refunded_conversions,total_conversions,payout,pending_payout,cr,epc',
      );
      expect(csv).toContain('seven-secret');
      expect(csv).not.toContain('eight-secret');
    });
  });

  describe('an advertiser key', () => {
    it('sees its own offers with revenue, affiliate ids without names, and no payouts', async () => {
      const { body } = await get('/v1/reports/stats?group_by=offer,affiliate', 'advertiser1');
      expect(body.rows.map((row) => [row.offer_id, row.affiliate_id, row.revenue])).toEqual([
        [10, 7, '10.0000'],
        [10, 8, '8.0000'],
      ]);
      expect(body.rows[0]).toHaveProperty('offer_name', 'Acme Shoes');
      for (const hidden of ['affiliate_name', 'payout', 'pending_payout', 'profit', 'epc']) expect(body.rows[0]).not.toHaveProperty(hidden);
      expect((await get('/v1/reports/stats?metrics=payout', 'advertiser1')).status).toBe(403);
      expect((await get('/v1/reports/stats?advertiser_id=2', 'advertiser1')).status).toBe(403);
    });

    it("is refused (403 naming it) a filter on another advertiser's offer or goal, not answered with empty rows", async () => {
      for (const [path, parameter] of [
        ['/v1/reports/stats?offer_id=20', 'offer_id'],
        ['/v1/reports/stats?offer_id=10,20', 'offer_id'],
        ['/v1/reports/conversions?offer_id=20', 'offer_id'],
        ['/v1/reports/clicks?offer_id=999', 'offer_id'],
        ['/v1/reports/stats?goal_id=200', 'goal_id'],
      ]) {
        const { status, body } = await get(path, 'advertiser1');
        expect([path, status, body]).toEqual([path, 403, expect.objectContaining({ type: 'urn:tracklane:problem:forbidden', errors: [expect.objectContaining({ field: parameter })] })]);
      }
      // Its own offer without traffic is simply empty.
      expect((await get('/v1/reports/stats?offer_id=11', 'advertiser1')).body.rows).toEqual([]);
      expect((await get('/v1/reports/stats?offer_id=10&goal_id=100', 'advertiser1')).status).toBe(200);
      expect((await get('/v1/reports/stats?offer_id=20', 'admin')).status).toBe(200);
    });

    it('sees payouts once the network allows it', async () => {
      await pool.query('UPDATE network_settings SET advertisers_see_payouts = true');
      try {
        const { body } = await get('/v1/reports/stats?group_by=offer&metrics=revenue,payout,profit', 'advertiser2');
        expect(body.rows).toEqual([{ offer_id: 20, offer_name: 'Globex Loans', currency: 'EUR', revenue: '20.0000', payout: '15.0000', profit: '5.0000' }]);
      } finally {
        await pool.query('UPDATE network_settings SET advertisers_see_payouts = false');
      }
    });

    it('reads only its own clicks and conversions, and no postback log', async () => {
      const clickLog = await get('/v1/reports/clicks', 'advertiser2');
      expect(clickLog.body.rows.map((row) => row.click_id)).toEqual([c3.clickId]);
      const conversionLog = await get('/v1/reports/conversions', 'advertiser1');
      expect(conversionLog.body.rows.map((row) => row.conversion_id).sort()).toEqual([v1.conversionId, v2.conversionId].sort());
      expect(conversionLog.body.rows[0]).toHaveProperty('revenue');
      expect(conversionLog.body.rows[0]).not.toHaveProperty('payout');
      const postbacks = await get('/v1/reports/postbacks', 'advertiser1');
      expect(postbacks.status).toBe(403);
      expect((await get('/v1/reconciliation', 'advertiser1')).status).toBe(403);
    });
  });

  describe('an admin key', () => {
    it('sees every row of every endpoint', async () => {
      expect((await get('/v1/reports/clicks', 'admin')).body.rows).toHaveLength(3);
      expect((await get('/v1/reports/conversions', 'admin')).body.rows).toHaveLength(3);
      expect((await get('/v1/reports/postbacks', 'admin')).body.rows).toHaveLength(3);
      const { body } = await get('/v1/reports/stats?group_by=affiliate&metrics=clicks,revenue,payout,profit', 'admin');
      expect(body.rows.map((row) => [row.affiliate_id, row.currency, row.profit])).toEqual([
        [7, 'EUR', '5.0000'],
        [7, 'USD', '3.0000'],
        [8, 'USD', '2.0000'],
      ]);
    });
  });

  it('stops accepting a key the moment it is revoked', async () => {
    await pool.query(`UPDATE api_keys SET revoked_at = now() WHERE role = 'affiliate' AND affiliate_id = 8`);
    const { status, body } = await get('/v1/reports/stats', 'affiliate8');
    expect(status).toBe(401);
    expect(body).toMatchObject({ type: 'urn:tracklane:problem:unauthenticated', status: 401, reason: 'revoked', detail: 'the API key has been revoked' });
  });
});
