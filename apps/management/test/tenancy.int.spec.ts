import { newId } from '@tracklane/contracts';
import { ApiClient, bookConversion, ManagementUnderTest, startManagement } from './management-harness';

/**
 * Two advertisers (A, B), each with an offer; two affiliates (X approved on
 * A's offer, Y on B's); a public offer of B's. Every role must see and
 * touch its own objects only, and another tenant's must answer 404.
 */
describe('management API: roles and tenancy', () => {
  let api: ManagementUnderTest;
  const ids = { advertiserA: 0, advertiserB: 0, offerA: 0, offerB: 0, publicOfferB: 0, goalA: 0, affiliateX: 0, affiliateY: 0 };
  let advertiserA: ApiClient;
  let affiliateX: ApiClient;
  const conversions = { ofX: newId(), ofY: newId() };

  beforeAll(async () => {
    api = await startManagement();
    const admin = api.admin;
    ids.advertiserA = (await admin.post('/v1/advertisers', { name: 'A' })).body.id;
    ids.advertiserB = (await admin.post('/v1/advertisers', { name: 'B' })).body.id;
    const offer = (advertiserId: number, extra = {}) =>
      admin.post('/v1/offers', { advertiserId, name: 'Offer', destinationUrl: 'https://shop.example/?c={click_id}', ...extra });
    ids.offerA = (await offer(ids.advertiserA)).body.id;
    ids.offerB = (await offer(ids.advertiserB)).body.id;
    ids.publicOfferB = (await offer(ids.advertiserB, { visibility: 'public' })).body.id;
    ids.goalA = (
      await admin.post(`/v1/offers/${ids.offerA}/goals`, {
        code: 'sale',
        name: 'Sale',
        revenue: { type: 'fixed', amount: '10' },
        payout: { type: 'fixed', amount: '6' },
      })
    ).body.id;
    await admin.post(`/v1/offers/${ids.offerB}/goals`, { code: 'sale', name: 'Sale' });
    ids.affiliateX = (await admin.post('/v1/affiliates', { name: 'X' })).body.id;
    ids.affiliateY = (await admin.post('/v1/affiliates', { name: 'Y' })).body.id;
    await admin.put(`/v1/approvals/${ids.offerA}/${ids.affiliateX}`, { status: 'approved', dailyCap: 3 });
    await admin.put(`/v1/approvals/${ids.offerB}/${ids.affiliateY}`, { status: 'approved' });
    await admin.post('/v1/payout-overrides', { offerId: ids.offerA, affiliateId: ids.affiliateX, goalId: ids.goalA, payout: { type: 'fixed', amount: '7' } });
    await bookConversion(api.pool, { conversionId: conversions.ofX, advertiserId: ids.advertiserA, offerId: ids.offerA, affiliateId: ids.affiliateX, revenue: '10', payout: '7' });
    await bookConversion(api.pool, { conversionId: conversions.ofY, advertiserId: ids.advertiserB, offerId: ids.offerB, affiliateId: ids.affiliateY, revenue: '20', payout: '9' });

    advertiserA = api.as((await api.key('advertiser', { advertiserId: ids.advertiserA })).key);
    affiliateX = api.as((await api.key('affiliate', { affiliateId: ids.affiliateX })).key);
  });
  afterAll(() => api?.close());

  describe('an affiliate key', () => {
    it("sees the offers it may run, and another affiliate's answers 404", async () => {
      const list = await affiliateX.get('/v1/offers');
      expect(list.body.data.map((offer: { id: number }) => offer.id)).toEqual([ids.offerA, ids.publicOfferB]);
      const own = await affiliateX.get(`/v1/offers/${ids.offerA}`);
      expect(own.body).toMatchObject({ id: ids.offerA, approvalStatus: 'approved', dailyCap: 3 });
      expect(own.body).not.toHaveProperty('destinationUrl');
      expect(own.body).not.toHaveProperty('advertiserId');

      // Which advertiser is behind an offer is not the affiliate's to ask: 403 naming the filter, as in reporting.
      const filtered = await affiliateX.get(`/v1/offers?advertiser_id=${ids.advertiserB}`);
      expect(filtered.status).toBe(403);
      expect(filtered.body.errors).toEqual([{ field: 'advertiser_id', reason: 'affiliate keys cannot filter by advertiser' }]);

      const foreign = await affiliateX.get(`/v1/offers/${ids.offerB}`);
      expect(foreign.status).toBe(404);
      expect(JSON.stringify(foreign.body)).not.toContain('shop.example');
      expect((await affiliateX.get(`/v1/offers/${ids.offerB}/goals`)).status).toBe(404);
      expect((await affiliateX.get(`/v1/offers/${ids.offerB}/tracking-link`)).status).toBe(404);
      expect((await affiliateX.put(`/v1/affiliates/${ids.affiliateX}/postbacks/${ids.offerB}`, { url: 'https://pb.example/' })).status).toBe(404);
    });

    it('sees its own payout (override applied) and never revenue', async () => {
      const goals = await affiliateX.get(`/v1/offers/${ids.offerA}/goals`);
      expect(goals.body).toEqual([expect.objectContaining({ code: 'sale', payout: { type: 'fixed', amount: '7.0000', percent: '0.0000' } })]);
      expect(goals.body[0]).not.toHaveProperty('revenue');
    });

    it("gets its own tracking link, never another affiliate's", async () => {
      const link = await affiliateX.get(`/v1/offers/${ids.offerA}/tracking-link?sub1=x`);
      expect(link.body.url).toContain(`/c/${ids.offerA}?aff_id=${ids.affiliateX}&sub1=x&`);
      expect((await affiliateX.get(`/v1/offers/${ids.offerA}/tracking-link?affiliate_id=${ids.affiliateY}`)).status).toBe(404);
    });

    it("reads its own conversions without revenue; another affiliate's answer 404", async () => {
      const list = await affiliateX.get('/v1/conversions');
      expect(list.body.data.map((conversion: { conversionId: string }) => conversion.conversionId)).toEqual([conversions.ofX]);
      expect(list.body.data[0]).toMatchObject({ payout: '7.0000', sub1: 'their-sub', status: 'approved' });
      for (const hidden of ['revenue', 'saleAmount', 'orderId', 'advertiserId', 'advSub1']) expect(list.body.data[0]).not.toHaveProperty(hidden);
      expect((await affiliateX.get(`/v1/conversions/${conversions.ofY}`)).status).toBe(404);
      // Another affiliate is refused by name (403, as in reporting), not answered with an empty page.
      expect((await affiliateX.get(`/v1/conversions?affiliate_id=${ids.affiliateY}`)).body.errors).toEqual([
        { field: 'affiliate_id', reason: `affiliate keys read only affiliate ${ids.affiliateX}` },
      ]);
      expect((await affiliateX.get(`/v1/conversions?offer_id=${ids.offerA}`)).body.data).toHaveLength(1);
    });

    it('changes its own postback settings only, and nothing of anyone else', async () => {
      const own = await affiliateX.patch(`/v1/affiliates/${ids.affiliateX}`, { postbackUrl: 'https://x.example/pb?c={click_id}' });
      expect(own.body.postbackUrl).toBe('https://x.example/pb?c={click_id}');
      const name = await affiliateX.patch(`/v1/affiliates/${ids.affiliateX}`, { name: 'X Prime' });
      expect(name.status).toBe(403);
      expect(name.body).toMatchObject({ type: 'urn:tracklane:problem:forbidden', status: 403 });
      expect(name.body.detail).toMatch(/may not change name/);
      expect((await affiliateX.patch(`/v1/affiliates/${ids.affiliateY}`, { postbackUrl: null })).status).toBe(404);
      expect((await affiliateX.get(`/v1/affiliates/${ids.affiliateY}`)).status).toBe(404);
      expect((await affiliateX.get('/v1/affiliates')).body.data.map((each: { id: number }) => each.id)).toEqual([ids.affiliateX]);
    });

    it('cannot use admin or advertiser endpoints', async () => {
      for (const [method, path] of [
        ['GET', '/v1/advertisers'],
        ['POST', '/v1/offers'],
        ['PATCH', `/v1/offers/${ids.offerA}`],
        ['PUT', `/v1/approvals/${ids.offerA}/${ids.affiliateX}`],
        ['GET', '/v1/payout-overrides'],
        ['GET', '/v1/audit-log'],
        ['GET', '/v1/network-settings'],
        ['GET', `/v1/offers/${ids.offerA}/direct-link`],
      ]) {
        expect([method, path, (await affiliateX.request(method, path, method === 'GET' ? undefined : {})).status]).toEqual([method, path, 403]);
      }
    });

    it('loses a public offer when blocked from it', async () => {
      await api.admin.put(`/v1/approvals/${ids.publicOfferB}/${ids.affiliateX}`, { status: 'blocked' });
      expect((await affiliateX.get(`/v1/offers/${ids.publicOfferB}`)).status).toBe(404);
      await api.admin.delete(`/v1/approvals/${ids.publicOfferB}/${ids.affiliateX}`);
      expect((await affiliateX.get(`/v1/offers/${ids.publicOfferB}`)).status).toBe(200);
    });
  });

  describe('an advertiser key', () => {
    it("manages its own offers and cannot touch another advertiser's", async () => {
      expect((await advertiserA.get('/v1/offers')).body.data.map((offer: { id: number }) => offer.id)).toEqual([ids.offerA]);
      const own = await advertiserA.patch(`/v1/offers/${ids.offerA}`, { destinationUrl: 'https://a.example/new?c={click_id}', dailyCap: 50 });
      expect(own.body).toMatchObject({ destinationUrl: 'https://a.example/new?c={click_id}', dailyCap: 50 });

      const foreign = await advertiserA.patch(`/v1/offers/${ids.offerB}`, { status: 'paused' });
      expect(foreign.status).toBe(404);
      expect((await api.admin.get(`/v1/offers/${ids.offerB}`)).body.status).toBe('active');
      expect((await advertiserA.get(`/v1/offers/${ids.offerB}`)).status).toBe(404);
      expect((await advertiserA.get(`/v1/offers/${ids.offerB}/goals`)).status).toBe(404);
      expect((await advertiserA.delete(`/v1/offers/${ids.offerA}`)).status).toBe(403);
    });

    it("gets its own offer's direct-link script, naming the landing page's host, never another advertiser's", async () => {
      await advertiserA.patch(`/v1/offers/${ids.offerA}`, { destinationUrl: 'https://www.a.example/new?c={click_id}' });
      const own = await advertiserA.get(`/v1/offers/${ids.offerA}/direct-link`);
      expect(own.body).toMatchObject({ offerId: ids.offerA, scriptUrl: 'http://127.0.0.1:8080/dl.js', landingHost: 'a.example' });
      expect(own.body.parameters).toHaveProperty('aff_id');
      expect((await advertiserA.get(`/v1/offers/${ids.offerB}/direct-link`)).status).toBe(404);
    });

    it("may not change the network's commercial terms of its offers", async () => {
      const answer = await advertiserA.patch(`/v1/offers/${ids.offerA}`, { visibility: 'public' });
      expect(answer.status).toBe(403);
      expect(answer.body.detail).toMatch(/may not change visibility/);
      expect((await advertiserA.post(`/v1/offers/${ids.offerA}/goals`, { code: 'x', name: 'x' })).status).toBe(403);
    });

    it('sees revenue, and payouts only when the network allows it', async () => {
      const hidden = await advertiserA.get(`/v1/offers/${ids.offerA}/goals`);
      expect(hidden.body[0]).toMatchObject({ revenue: { amount: '10.0000' } });
      expect(hidden.body[0]).not.toHaveProperty('payout');
      const conversion = await advertiserA.get(`/v1/conversions/${conversions.ofX}`);
      // One policy with reporting (libs/api-auth): advertisers see affiliate ids and sub ids, never payouts unless allowed.
      expect(conversion.body).toMatchObject({ revenue: '10.0000', orderId: `order-${conversions.ofX}`, affiliateId: ids.affiliateX, sub1: 'their-sub' });
      expect(conversion.body).not.toHaveProperty('payout');

      await api.admin.patch('/v1/network-settings', { advertisersSeePayouts: true });
      expect((await advertiserA.get(`/v1/offers/${ids.offerA}/goals`)).body[0].payout.amount).toBe('6.0000');
      expect((await advertiserA.get(`/v1/conversions/${conversions.ofX}`)).body.payout).toBe('7.0000');
      await api.admin.patch('/v1/network-settings', { advertisersSeePayouts: false });
    });

    it("reads its own conversions; another advertiser's answer 404", async () => {
      const list = await advertiserA.get('/v1/conversions');
      expect(list.body.data.map((conversion: { conversionId: string }) => conversion.conversionId)).toEqual([conversions.ofX]);
      expect((await advertiserA.get(`/v1/conversions?affiliate_id=${ids.affiliateX}`)).body.data).toHaveLength(1);
      expect((await advertiserA.get(`/v1/conversions?affiliate_id=${ids.affiliateY}`)).body.data).toHaveLength(0);
      expect((await advertiserA.get(`/v1/conversions/${conversions.ofY}`)).status).toBe(404);
      // Another advertiser's offer is refused by name, as in reporting, not answered with an empty page.
      const foreign = await advertiserA.get(`/v1/conversions?offer_id=${ids.offerB}`);
      expect(foreign.status).toBe(403);
      expect(foreign.body.errors).toEqual([{ field: 'offer_id', reason: expect.stringMatching(/not one of advertiser \d+'s offers/) }]);
      expect((await advertiserA.get(`/v1/offers?advertiser_id=${ids.advertiserB}`)).status).toBe(403);
    });

    it("changes its own postback settings, never another advertiser's", async () => {
      const own = await advertiserA.patch(`/v1/advertisers/${ids.advertiserA}`, { ipAllowlist: ['203.0.113.0/24'], requireSignature: true });
      expect(own.body).toMatchObject({ ipAllowlist: ['203.0.113.0/24'], requireSignature: true });
      expect((await advertiserA.patch(`/v1/advertisers/${ids.advertiserA}`, { name: 'A2' })).status).toBe(403);
      expect((await advertiserA.patch(`/v1/advertisers/${ids.advertiserB}`, { ipAllowlist: [] })).status).toBe(404);
      expect((await advertiserA.post(`/v1/advertisers/${ids.advertiserB}/postback-token`)).status).toBe(404);
      expect((await advertiserA.get(`/v1/advertisers/${ids.advertiserB}/postback-url`)).status).toBe(404);
      expect((await advertiserA.get(`/v1/advertisers/${ids.advertiserA}/postback-url`)).status).toBe(200);
    });
  });

  describe('API keys', () => {
    it('stop working the moment they are revoked', async () => {
      const issued = await api.admin.post('/v1/api-keys', { name: 'short-lived', role: 'affiliate', affiliateId: ids.affiliateX });
      const client = api.as(issued.body.key);
      expect((await client.get('/v1/offers')).status).toBe(200);
      await api.admin.delete(`/v1/api-keys/${issued.body.id}`);
      const refused = await client.get('/v1/offers');
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ type: 'urn:tracklane:problem:unauthenticated', status: 401, reason: 'revoked' });
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="tracklane"');
    });

    it('are refused when missing, malformed or unknown, in either header', async () => {
      expect((await api.as().get('/v1/offers')).body.reason).toBe('missing');
      expect((await api.as('letmein').get('/v1/offers')).body.reason).toBe('malformed');
      expect((await api.as('tl_abcdefgh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').get('/v1/offers')).body.reason).toBe('unknown');
      const key = (await api.key('admin')).key;
      expect((await fetch(`${api.url}/v1/me`, { headers: { 'x-api-key': key } })).status).toBe(200);
    });

    it('may be read-only: reads pass, writes are refused', async () => {
      const readOnly = api.as((await api.key('admin', { readOnly: true })).key);
      expect((await readOnly.get('/v1/offers')).status).toBe(200);
      const write = await readOnly.post('/v1/advertisers', { name: 'Nope' });
      expect(write.status).toBe(403);
      expect(write.body).toMatchObject({ status: 403, detail: 'this API key is read-only' });
    });

    it('are issued by tenants for themselves only, and listed per tenant', async () => {
      const own = await advertiserA.post('/v1/api-keys', { name: 'BI', readOnly: true });
      expect(own.body).toMatchObject({ role: 'advertiser', advertiserId: ids.advertiserA, readOnly: true, key: expect.any(String) });
      expect((await advertiserA.post('/v1/api-keys', { name: 'root', role: 'admin' })).status).toBe(403);
      expect((await advertiserA.post('/v1/api-keys', { name: 'theirs', advertiserId: ids.advertiserB })).status).toBe(403);
      const theirs = await affiliateX.post('/v1/api-keys', { name: 'mine' });
      expect(theirs.body).toMatchObject({ role: 'affiliate', affiliateId: ids.affiliateX });

      const listed = await advertiserA.get('/v1/api-keys');
      expect(listed.body.data.every((key: { advertiserId: number }) => key.advertiserId === ids.advertiserA)).toBe(true);
      expect((await advertiserA.get(`/v1/api-keys/${theirs.body.id}`)).status).toBe(404);
      expect((await advertiserA.delete(`/v1/api-keys/${theirs.body.id}`)).status).toBe(404);
      expect((await api.as(theirs.body.key).get('/v1/me')).status).toBe(200);
    });

    it('of an archived affiliate stop working', async () => {
      const { body: affiliate } = await api.admin.post('/v1/affiliates', { name: 'Leaving' });
      const key = await api.admin.post('/v1/api-keys', { name: 'k', role: 'affiliate', affiliateId: affiliate.id });
      expect((await api.admin.delete(`/v1/affiliates/${affiliate.id}`)).body).toMatchObject({ outcome: 'archived', reason: 'it has API keys' });
      expect((await api.as(key.body.key).get('/v1/me')).body.reason).toBe('revoked');
    });
  });
});
