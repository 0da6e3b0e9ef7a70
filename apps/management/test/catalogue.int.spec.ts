import { newId } from '@tracklane/contracts';
import { bookConversion, ManagementUnderTest, startManagement } from './management-harness';

describe('management API: the catalogue, round trip', () => {
  let api: ManagementUnderTest;

  beforeAll(async () => {
    api = await startManagement();
  });
  afterAll(() => api?.close());

  const offerBody = (advertiserId: number, extra: object = {}) => ({
    advertiserId,
    name: 'Sneakers',
    destinationUrl: 'https://shop.example/landing?cid={click_id}&pub={aff_id}&s={sub1}',
    ...extra,
  });

  describe('text no store could hold (the storable-text rule)', () => {
    it('is refused with a 400 naming every field, nested fields and keys included, and nothing is written', async () => {
      const before = (await api.admin.get('/v1/advertisers?limit=500')).body.data.length;
      const refused = await api.admin.post('/v1/advertisers', {
        name: 'Acme\u0000',
        paramMapping: { params: { 'tx\u0001n': 'click_id' }, values: { status: { sale: 'approved\ud800' } } },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual([
        'name',
        'paramMapping.params.tx\\u0001n',
        'paramMapping.values.status.sale',
      ]);
      expect(refused.body.errors[0].reason).toMatch(/^must not contain NUL/);
      expect((await api.admin.get('/v1/advertisers?limit=500')).body.data).toHaveLength(before);
    });

    it('is refused in query parameters too, before any query runs', async () => {
      const refused = await api.admin.get('/v1/offers?name=%00');
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ field: 'name', reason: expect.stringMatching(/^must not contain NUL/) }]);
    });

    it('is accepted when merely unusual: emoji, tabs, formula characters, invalid percent-encoding', async () => {
      const name = '=SUM(1) 😀\tRock & "Roll" %ZZ';
      const created = await api.admin.post('/v1/advertisers', { name });
      expect(created.status).toBe(201);
      expect((await api.admin.get(`/v1/advertisers/${created.body.id}`)).body.name).toBe(name);
    });
  });

  describe('advertisers', () => {
    it('are created with a random postback token and a signing secret shown once', async () => {
      const created = await api.admin.post('/v1/advertisers', {
        name: 'Acme',
        ipAllowlist: ['203.0.113.7', '198.51.100.0/24'],
        paramMapping: { params: { txn: 'click_id' }, values: { status: { sale: 'approved' } } },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Acme', status: 'active', requireSignature: false, hasSigningSecret: true });
      expect(created.body.postbackToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(created.body.signingSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const other = await api.admin.post('/v1/advertisers', { name: 'Other' });
      expect(other.body.postbackToken).not.toBe(created.body.postbackToken);
      expect(other.body.signingSecret).not.toBe(created.body.signingSecret);

      const read = await api.admin.get(`/v1/advertisers/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ ...created.body, signingSecret: undefined });
      expect(read.body).not.toHaveProperty('signingSecret');
      expect(read.headers.get('cache-control')).toBe('no-store');
    });

    it('are listed, changed, and have their credentials rotated', async () => {
      const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Rotating' });
      const list = await api.admin.get('/v1/advertisers?limit=500');
      expect(list.body.data.map((each: { id: number }) => each.id)).toContain(advertiser.id);

      const changed = await api.admin.patch(`/v1/advertisers/${advertiser.id}`, { requireSignature: true, ipAllowlist: ['2001:db8::/32'] });
      expect(changed.body).toMatchObject({ requireSignature: true, ipAllowlist: ['2001:db8::/32'] });

      const rotated = await api.admin.post(`/v1/advertisers/${advertiser.id}/postback-token`);
      expect(rotated.status).toBe(200);
      expect(rotated.body.postbackToken).not.toBe(advertiser.postbackToken);

      const secret = await api.admin.post(`/v1/advertisers/${advertiser.id}/signing-secret`);
      expect(secret.body).toEqual({ advertiserId: advertiser.id, signingSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      expect(secret.body.signingSecret).not.toBe(advertiser.signingSecret);
    });

    it('give the advertiser its postback URL template with its token and goal codes', async () => {
      const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Templated' });
      const { body: offer } = await api.admin.post('/v1/offers', offerBody(advertiser.id));
      await api.admin.post(`/v1/offers/${offer.id}/goals`, { code: 'purchase', name: 'Purchase' });
      const template = await api.admin.get(`/v1/advertisers/${advertiser.id}/postback-url`);
      expect(template.body.url).toBe(
        `http://127.0.0.1:8081/postback?click_id={click_id}&token=${advertiser.postbackToken}` +
          '&goal={goal}&amount={amount}&currency={currency}&order_id={order_id}&status={status}',
      );
      expect(template.body.goals).toEqual([{ offerId: offer.id, offerName: 'Sneakers', code: 'purchase', name: 'Purchase', isDefault: true }]);
      expect(template.body.preset).toBeNull();
    });

    it('give an advertiser on a partner preset the call in that partner’s format, and list the presets to choose from', async () => {
      const presets = await api.admin.get('/v1/partner-presets');
      expect(presets.status).toBe(200);
      expect(presets.body.map((preset: { name: string }) => preset.name)).toEqual(expect.arrayContaining(['tune', 'everflow', 'appsflyer', 'shopify']));
      expect(presets.body.find((preset: { name: string }) => preset.name === 'tune')).toEqual({
        name: 'tune',
        title: expect.stringContaining('TUNE'),
        sources: expect.arrayContaining([expect.stringMatching(/^https:\/\//)]),
        statusChanges: expect.any(String),
      });

      const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'On TUNE', paramMapping: { preset: 'tune' } });
      const template = await api.admin.get(`/v1/advertisers/${advertiser.id}/postback-url`);
      expect(template.body.preset).toMatchObject({
        name: 'tune',
        method: 'GET',
        url: `http://127.0.0.1:8081/postback?security_token=${advertiser.postbackToken}&transaction_id=TRANSACTION_ID&amount=AMOUNT&adv_sub=ORDER_ID&goal_id=GOAL_ID&currency=CURRENCY`,
        body: null,
      });
    });

    it('are deleted when nothing refers to them, archived with their offers and keys when something does', async () => {
      const { body: unused } = await api.admin.post('/v1/advertisers', { name: 'Unused' });
      expect((await api.admin.delete(`/v1/advertisers/${unused.id}`)).body).toEqual({ id: unused.id, outcome: 'deleted', reason: null });
      expect((await api.admin.get(`/v1/advertisers/${unused.id}`)).status).toBe(404);

      const { body: used } = await api.admin.post('/v1/advertisers', { name: 'Used' });
      const { body: offer } = await api.admin.post('/v1/offers', offerBody(used.id));
      const key = await api.admin.post('/v1/api-keys', { name: 'theirs', role: 'advertiser', advertiserId: used.id });
      const removal = await api.admin.delete(`/v1/advertisers/${used.id}`);
      expect(removal.body).toEqual({ id: used.id, outcome: 'archived', reason: 'it has offers' });
      expect((await api.admin.get(`/v1/advertisers/${used.id}`)).body).toMatchObject({ status: 'archived', archivedAt: expect.any(String) });
      expect((await api.admin.get(`/v1/offers/${offer.id}`)).body.status).toBe('archived');
      expect((await api.as(key.body.key).get('/v1/me')).status).toBe(401);
      expect((await api.admin.get('/v1/advertisers?limit=500')).body.data.map((each: { id: number }) => each.id)).not.toContain(used.id);
      expect((await api.admin.get('/v1/advertisers?status=archived')).body.data.map((each: { id: number }) => each.id)).toContain(used.id);

      const restored = await api.admin.patch(`/v1/advertisers/${used.id}`, { status: 'active' });
      expect(restored.body).toMatchObject({ status: 'active', archivedAt: null });
    });
  });

  describe('offers and goals', () => {
    let advertiserId: number;
    beforeAll(async () => {
      advertiserId = (await api.admin.post('/v1/advertisers', { name: 'Offer owner' })).body.id;
    });

    it('round-trip every setting', async () => {
      const created = await api.admin.post(
        '/v1/offers',
        offerBody(advertiserId, {
          status: 'paused',
          visibility: 'public',
          fallbackUrl: 'https://shop.example/sold-out',
          expiresAt: '2030-01-01T00:00:00Z',
          timeZone: 'America/New_York',
          currency: 'EUR',
          attributionWindowSeconds: 86_400,
          minClickToConversionSeconds: 30,
          dailyCap: 100,
          monthlyCap: 2000,
          affiliateDailyCap: 10,
          affiliateMonthlyCap: null,
          onBot: 'pending',
          onRateLimited: 'reject',
          onNonUnique: 'pending',
        }),
      );
      expect(created.status).toBe(201);
      const read = await api.admin.get(`/v1/offers/${created.body.id}`);
      expect(read.body).toEqual(created.body);
      expect(read.body).toMatchObject({
        advertiserId,
        status: 'paused',
        visibility: 'public',
        expiresAt: '2030-01-01T00:00:00.000Z',
        timeZone: 'America/New_York',
        currency: 'EUR',
        attributionWindowSeconds: 86_400,
        minClickToConversionSeconds: 30,
        dailyCap: 100,
        affiliateMonthlyCap: null,
        onBot: 'pending',
      });

      const changed = await api.admin.patch(`/v1/offers/${created.body.id}`, { status: 'active', dailyCap: null, fallbackUrl: null });
      expect(changed.body).toMatchObject({ status: 'active', dailyCap: null, fallbackUrl: null, monthlyCap: 2000 });
    });

    it('keep goals exact, with one default and codes unique regardless of case', async () => {
      const { body: offer } = await api.admin.post('/v1/offers', offerBody(advertiserId));
      const sale = await api.admin.post(`/v1/offers/${offer.id}/goals`, {
        code: 'sale',
        name: 'Sale',
        revenue: { type: 'fixed_plus_percent', amount: '0.1', percent: '12.3456' },
        payout: { type: 'percent', percent: '7.5' },
      });
      expect(sale.status).toBe(201);
      expect(sale.body).toMatchObject({
        isDefault: true,
        revenue: { type: 'fixed_plus_percent', amount: '0.1000', percent: '12.3456' },
        payout: { type: 'percent', amount: '0.0000', percent: '7.5000' },
      });
      const { rows } = await api.pool.query('SELECT revenue_amount::text, payout_percent::text FROM goals WHERE id = $1', [sale.body.id]);
      expect(rows[0]).toEqual({ revenue_amount: '0.1000', payout_percent: '7.5000' });

      const lead = await api.admin.post(`/v1/offers/${offer.id}/goals`, { code: 'lead', name: 'Lead', isDefault: true, allowMultiple: true });
      expect(lead.body.isDefault).toBe(true);
      expect((await api.admin.get(`/v1/offers/${offer.id}/goals/${sale.body.id}`)).body.isDefault).toBe(false);

      const clash = await api.admin.post(`/v1/offers/${offer.id}/goals`, { code: 'SALE', name: 'Again' });
      expect(clash.status).toBe(409);
      expect(clash.body.errors).toEqual([{ field: 'code', reason: `"SALE" is already used by goal ${sale.body.id} of offer ${offer.id}` }]);

      const goals = await api.admin.get(`/v1/offers/${offer.id}/goals`);
      expect(goals.body.map((goal: { code: string }) => goal.code)).toEqual(['sale', 'lead']);
    });

    it('delete a goal without history, archive one with conversions, and restore it', async () => {
      const { body: offer } = await api.admin.post('/v1/offers', offerBody(advertiserId));
      const { body: fresh } = await api.admin.post(`/v1/offers/${offer.id}/goals`, { code: 'fresh', name: 'Fresh' });
      const { body: booked } = await api.admin.post(`/v1/offers/${offer.id}/goals`, { code: 'booked', name: 'Booked', isDefault: true });
      await bookConversion(api.pool, { conversionId: newId(), advertiserId, offerId: offer.id, affiliateId: 999_999, goalId: booked.id, revenue: '1', payout: '0.5' });

      expect((await api.admin.delete(`/v1/offers/${offer.id}/goals/${fresh.id}`)).body.outcome).toBe('deleted');
      expect((await api.admin.delete(`/v1/offers/${offer.id}/goals/${booked.id}`)).body).toEqual({
        id: booked.id,
        outcome: 'archived',
        reason: 'it has conversions',
      });
      expect((await api.admin.get(`/v1/offers/${offer.id}/goals/${booked.id}`)).body).toMatchObject({ status: 'archived', isDefault: false });
      const restored = await api.admin.patch(`/v1/offers/${offer.id}/goals/${booked.id}`, { status: 'active' });
      expect(restored.body).toMatchObject({ status: 'active', archivedAt: null });
      // The offer has history now (a conversion): it is archived, not deleted.
      expect((await api.admin.delete(`/v1/offers/${offer.id}`)).body).toMatchObject({ outcome: 'archived', reason: 'it has conversions' });
    });

    it('delete an offer without history together with its goals', async () => {
      const { body: offer } = await api.admin.post('/v1/offers', offerBody(advertiserId));
      const { body: goal } = await api.admin.post(`/v1/offers/${offer.id}/goals`, { code: 'sale', name: 'Sale' });
      expect((await api.admin.delete(`/v1/offers/${offer.id}`)).body.outcome).toBe('deleted');
      expect((await api.admin.get(`/v1/offers/${offer.id}`)).status).toBe(404);
      expect((await api.pool.query('SELECT 1 FROM goals WHERE id = $1', [goal.id])).rowCount).toBe(0);
    });
  });

  describe('affiliates, approvals, payouts and postbacks', () => {
    let offerId: number;
    let goalId: number;
    beforeAll(async () => {
      const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Payer' });
      offerId = (await api.admin.post('/v1/offers', offerBody(advertiser.id))).body.id;
      goalId = (await api.admin.post(`/v1/offers/${offerId}/goals`, { code: 'sale', name: 'Sale', payout: { type: 'fixed', amount: '5' } })).body.id;
    });

    it('create an affiliate with a postback secret shown once, and change its postback settings', async () => {
      const created = await api.admin.post('/v1/affiliates', {
        name: 'Coupon Heroes',
        postbackUrl: 'https://tracker.example/pb?c={aff_click_id}&p={payout}&s={status}',
        postbackStatuses: ['approved', 'refunded'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'active', postbackMethod: 'GET', postbackStatuses: ['approved', 'refunded'], hasPostbackSecret: true });
      expect(created.body.postbackSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await api.admin.get(`/v1/affiliates/${created.body.id}`)).body).not.toHaveProperty('postbackSecret');

      const changed = await api.admin.patch(`/v1/affiliates/${created.body.id}`, { postbackMethod: 'POST', postbackUrl: null });
      expect(changed.body).toMatchObject({ postbackMethod: 'POST', postbackUrl: null });
      const rotated = await api.admin.post(`/v1/affiliates/${created.body.id}/postback-secret`);
      expect(rotated.body.postbackSecret).not.toBe(created.body.postbackSecret);
      expect((await api.admin.delete(`/v1/affiliates/${created.body.id}`)).body.outcome).toBe('deleted');
    });

    it('register the sites an affiliate sends visitors from without a tracking link, one affiliate per domain', async () => {
      const created = await api.admin.post('/v1/affiliates', { name: 'Deal Blog', referrerDomains: ['Deals.example', 'www.blog.deals.example', 'deals.example'] });
      expect(created.status).toBe(201);
      expect(created.body.referrerDomains).toEqual(['deals.example', 'blog.deals.example']);
      const other = (await api.admin.post('/v1/affiliates', { name: 'Copycat' })).body;
      const taken = await api.admin.patch(`/v1/affiliates/${other.id}`, { referrerDomains: ['elsewhere.example', 'DEALS.example'] });
      expect(taken.status).toBe(409);
      expect(taken.body.errors).toEqual([{ field: 'referrerDomains', reason: `deals.example already names affiliate ${created.body.id}` }]);
      const bad = await api.admin.patch(`/v1/affiliates/${other.id}`, { referrerDomains: ['https://deals.example/'] });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('referrerDomains');
      // The affiliate itself may not claim sites: that decides whose clicks they are.
      const own = api.as((await api.key('affiliate', { affiliateId: other.id })).key);
      expect((await own.patch(`/v1/affiliates/${other.id}`, { referrerDomains: ['mine.example'] })).status).toBe(403);
      // Released by its holder, the domain is free to take.
      await api.admin.patch(`/v1/affiliates/${created.body.id}`, { referrerDomains: ['blog.deals.example'] });
      expect((await api.admin.patch(`/v1/affiliates/${other.id}`, { referrerDomains: ['deals.example'] })).body.referrerDomains).toEqual(['deals.example']);
    });

    it('approve an affiliate with its own caps, then withdraw the approval', async () => {
      const { body: affiliate } = await api.admin.post('/v1/affiliates', { name: 'Approved' });
      const approval = await api.admin.put(`/v1/approvals/${offerId}/${affiliate.id}`, { status: 'approved', dailyCap: 5 });
      expect(approval.body).toMatchObject({ offerId, affiliateId: affiliate.id, status: 'approved', dailyCap: 5, monthlyCap: null });
      const blocked = await api.admin.put(`/v1/approvals/${offerId}/${affiliate.id}`, { status: 'blocked' });
      expect(blocked.body).toMatchObject({ status: 'blocked', dailyCap: null });
      expect((await api.admin.get(`/v1/approvals?offer_id=${offerId}`)).body.data).toHaveLength(1);
      // Approved for an offer: that is history, so the affiliate is archived, not deleted.
      expect((await api.admin.delete(`/v1/affiliates/${affiliate.id}`)).body).toEqual({
        id: affiliate.id,
        outcome: 'archived',
        reason: 'it was approved for offers',
      });
      expect((await api.admin.delete(`/v1/approvals/${offerId}/${affiliate.id}`)).body.outcome).toBe('deleted');
      expect((await api.admin.get(`/v1/approvals/${offerId}/${affiliate.id}`)).status).toBe(404);
    });

    it('override an affiliate payout per goal or for the whole offer, one of each', async () => {
      const { body: affiliate } = await api.admin.post('/v1/affiliates', { name: 'Better paid' });
      const perGoal = await api.admin.post('/v1/payout-overrides', { offerId, affiliateId: affiliate.id, goalId, payout: { type: 'fixed', amount: '6.25' } });
      expect(perGoal.status).toBe(201);
      expect(perGoal.body).toMatchObject({ goalId, payout: { type: 'fixed', amount: '6.2500', percent: '0.0000' } });
      const offerWide = await api.admin.post('/v1/payout-overrides', { offerId, affiliateId: affiliate.id, payout: { type: 'percent', percent: '10' } });
      expect(offerWide.body.goalId).toBeNull();

      const again = await api.admin.post('/v1/payout-overrides', { offerId, affiliateId: affiliate.id, goalId, payout: { type: 'fixed', amount: '7' } });
      expect(again.status).toBe(409);
      expect(again.body.errors[0].field).toBe('goalId');

      const changed = await api.admin.patch(`/v1/payout-overrides/${perGoal.body.id}`, { payout: { type: 'fixed', amount: '6.5' } });
      expect(changed.body.payout.amount).toBe('6.5000');
      expect((await api.admin.get(`/v1/payout-overrides?affiliate_id=${affiliate.id}`)).body.data).toHaveLength(2);
      expect((await api.admin.delete(`/v1/payout-overrides/${offerWide.body.id}`)).body.outcome).toBe('deleted');

      const foreignGoal = await api.admin.post('/v1/payout-overrides', { offerId: offerId + 1000, affiliateId: affiliate.id, payout: { type: 'fixed', amount: '1' } });
      expect(foreignGoal.body.errors).toEqual([{ field: 'offerId', reason: `names no offer (${offerId + 1000})` }]);
    });

    it("set an affiliate's postback for one offer", async () => {
      const { body: affiliate } = await api.admin.post('/v1/affiliates', { name: 'Per-offer postbacks' });
      const put = await api.admin.put(`/v1/affiliates/${affiliate.id}/postbacks/${offerId}`, { url: 'https://pb.example/?c={click_id}&g={goal}', method: 'POST' });
      expect(put.body).toMatchObject({ affiliateId: affiliate.id, offerId, url: 'https://pb.example/?c={click_id}&g={goal}', method: 'POST' });
      expect((await api.admin.get(`/v1/affiliates/${affiliate.id}/postbacks`)).body).toHaveLength(1);
      expect((await api.admin.delete(`/v1/affiliates/${affiliate.id}/postbacks/${offerId}`)).body.outcome).toBe('deleted');
      expect((await api.admin.get(`/v1/affiliates/${affiliate.id}/postbacks/${offerId}`)).status).toBe(404);
    });

    it('build tracking links with sub-id placeholders', async () => {
      const { body: affiliate } = await api.admin.post('/v1/affiliates', { name: 'Linker' });
      const link = await api.admin.get(`/v1/offers/${offerId}/tracking-link?affiliate_id=${affiliate.id}&sub1=spring%20sale`);
      expect(link.body).toMatchObject({ offerId, affiliateId: affiliate.id, approvalStatus: null });
      expect(link.body.url).toBe(
        `http://127.0.0.1:8080/c/${offerId}?aff_id=${affiliate.id}&sub1=spring%20sale&sub2={sub2}&sub3={sub3}&sub4={sub4}&sub5={sub5}&source={source}&aff_click_id={aff_click_id}`,
      );
      expect((await api.admin.get(`/v1/offers/${offerId}/tracking-link`)).body.errors).toEqual([
        { field: 'affiliate_id', reason: 'is required with an admin key' },
      ]);
    });
  });

  describe('API keys and settings', () => {
    it('issue a key shown once and stored only as a hash; list and revoke it', async () => {
      const created = await api.admin.post('/v1/api-keys', { name: 'ops', role: 'admin', readOnly: true });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^tl_[0-9a-z]{8}_/);
      expect(created.body.key.startsWith(`tl_${created.body.prefix}_`)).toBe(true);
      const { rows } = await api.pool.query('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
      expect(rows[0].key_hash).not.toContain(created.body.key.slice(12));

      const read = await api.admin.get(`/v1/api-keys/${created.body.id}`);
      expect(read.body).not.toHaveProperty('key');
      expect(read.body).toMatchObject({ name: 'ops', role: 'admin', readOnly: true, revokedAt: null });

      expect((await api.as(created.body.key).get('/v1/me')).body).toMatchObject({ keyId: created.body.id, role: 'admin', readOnly: true });
      const revoked = await api.admin.delete(`/v1/api-keys/${created.body.id}`);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      expect((await api.admin.get('/v1/api-keys')).body.data.map((key: { id: number }) => key.id)).not.toContain(created.body.id);
      expect((await api.admin.get('/v1/api-keys?include_revoked=true')).body.data.map((key: { id: number }) => key.id)).toContain(created.body.id);
    });

    it('change the network settings', async () => {
      const changed = await api.admin.patch('/v1/network-settings', { name: 'Acme Network', advertisersSeePayouts: true, defaultFallbackUrl: 'https://acme.example/' });
      expect(changed.body).toMatchObject({ name: 'Acme Network', advertisersSeePayouts: true, defaultFallbackUrl: 'https://acme.example/' });
      expect((await api.admin.get('/v1/network-settings')).body).toEqual(changed.body);
      await api.admin.patch('/v1/network-settings', { advertisersSeePayouts: false });
    });

    it("choose how visitors' IPs and user agents are stored; the hash key is never shown, not even in the audit log", async () => {
      expect((await api.admin.get('/v1/network-settings')).body).toMatchObject({ visitorIpStorage: 'full', userAgentStorage: 'full' });
      const changed = await api.admin.patch('/v1/network-settings', { visitorIpStorage: 'hashed', userAgentStorage: 'normalised' });
      expect(changed.body).toMatchObject({ visitorIpStorage: 'hashed', userAgentStorage: 'normalised' });
      expect(JSON.stringify(changed.body)).not.toMatch(/secret/i);
      const { rows } = await api.pool.query<{ visitor_hash_secret: string }>('SELECT visitor_hash_secret FROM network_settings');
      expect(rows[0].visitor_hash_secret).toMatch(/^[0-9a-f]{64}$/);
      const audit = await api.admin.get('/v1/audit-log?entity=network_settings');
      expect(audit.body.data[0]).toMatchObject({ before: { visitorIpStorage: 'full', visitorHashSecret: '[redacted]' }, after: { visitorIpStorage: 'hashed', visitorHashSecret: '[redacted]' } });
      expect(JSON.stringify(audit.body)).not.toContain(rows[0].visitor_hash_secret);
      for (const [body, field] of [
        [{ visitorIpStorage: 'anonymised' }, 'visitorIpStorage'],
        [{ userAgentStorage: 'none' }, 'userAgentStorage'],
      ] as const) {
        const refused = await api.admin.patch('/v1/network-settings', body);
        expect([refused.status, refused.body.errors?.[0]?.field]).toEqual([400, field]);
      }
      await api.admin.patch('/v1/network-settings', { visitorIpStorage: 'full', userAgentStorage: 'full' });
    });

    it('set the postback replay window and the amount bounds, network-wide and per offer', async () => {
      expect((await api.admin.get('/v1/network-settings')).body).toMatchObject({ postbackReplayWindowSeconds: 86400, maxPostbackAmount: '1000000.0000' });
      const changed = await api.admin.patch('/v1/network-settings', { postbackReplayWindowSeconds: 600, maxPostbackAmount: '25000.50' });
      expect(changed.body).toMatchObject({ postbackReplayWindowSeconds: 600, maxPostbackAmount: '25000.5000' });
      for (const [body, field] of [
        [{ postbackReplayWindowSeconds: -1 }, 'postbackReplayWindowSeconds'],
        [{ postbackReplayWindowSeconds: 2_592_001 }, 'postbackReplayWindowSeconds'],
        [{ maxPostbackAmount: '100000000000000' }, 'maxPostbackAmount'],
      ] as const) {
        const refused = await api.admin.patch('/v1/network-settings', body);
        expect([refused.status, refused.body.errors?.[0]?.field]).toEqual([400, field]);
      }
      await api.admin.patch('/v1/network-settings', { postbackReplayWindowSeconds: 86400, maxPostbackAmount: '1000000' });

      const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Bounded', paramMapping: { preset: 'stripe', unmapped: 'keep' } });
      expect(advertiser.paramMapping).toEqual({ preset: 'stripe', unmapped: 'keep' });
      const { body: offer } = await api.admin.post('/v1/offers', offerBody(advertiser.id, { currency: 'JPY', maxPostbackAmount: '150000000' }));
      expect(offer.maxPostbackAmount).toBe('150000000.0000');
      const cleared = await api.admin.patch(`/v1/offers/${offer.id}`, { maxPostbackAmount: null });
      expect(cleared.body.maxPostbackAmount).toBeNull();
    });

    it('set retention per data family, checked against the attribution windows that depend on it', async () => {
      const unset = { clickRetentionDays: null, receiptRetentionDays: null, postbackLogRetentionDays: null, rawReportRetentionMonths: null };
      expect((await api.admin.get('/v1/network-settings')).body).toMatchObject(unset);
      const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Kept' });
      const { body: offer } = await api.admin.post('/v1/offers', offerBody(advertiser.id, { attributionWindowSeconds: 45 * 86_400 }));
      // No live offer may have a longer window than this one here (other tests' offers have the 30-day default or less).
      const tooShort = await api.admin.patch('/v1/network-settings', { clickRetentionDays: 45 });
      expect([tooShort.status, tooShort.body.errors?.[0]]).toEqual([
        400,
        { field: 'clickRetentionDays', reason: expect.stringMatching(new RegExp(`^must be at least 46: offer ${offer.id} attributes`)) },
      ]);
      const set = await api.admin.patch('/v1/network-settings', { clickRetentionDays: 46, receiptRetentionDays: 400, postbackLogRetentionDays: 7, rawReportRetentionMonths: 6 });
      expect(set.body).toMatchObject({ clickRetentionDays: 46, receiptRetentionDays: 400, postbackLogRetentionDays: 7, rawReportRetentionMonths: 6 });

      // A window that would outlive the clicks kept is refused until the retention grows.
      const longer = await api.admin.patch(`/v1/offers/${offer.id}`, { attributionWindowSeconds: 60 * 86_400 });
      expect([longer.status, longer.body.errors?.[0]?.field, longer.body.errors?.[0]?.reason]).toEqual([
        400,
        'attributionWindowSeconds',
        'needs 61 days of clicks, and the network keeps 46 (clickRetentionDays); raise that first',
      ]);
      expect((await api.admin.post('/v1/offers', offerBody(advertiser.id, { attributionWindowSeconds: 50 * 86_400 }))).status).toBe(400);
      expect((await api.admin.patch(`/v1/offers/${offer.id}`, { attributionWindowSeconds: 40 * 86_400 })).status).toBe(200);

      for (const [body, field] of [
        [{ receiptRetentionDays: 29 }, 'receiptRetentionDays'],
        [{ clickRetentionDays: 0 }, 'clickRetentionDays'],
        [{ rawReportRetentionMonths: 121 }, 'rawReportRetentionMonths'],
        [{ postbackLogRetentionDays: 1.5 }, 'postbackLogRetentionDays'],
      ] as const) {
        const refused = await api.admin.patch('/v1/network-settings', body);
        expect([refused.status, refused.body.errors?.[0]?.field]).toEqual([400, field]);
      }
      expect((await api.admin.patch('/v1/network-settings', unset)).body).toMatchObject(unset);
    });
  });

  describe('bad input', () => {
    it.each([
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'https://{sub1}.example/' }, 'destinationUrl', /host/],
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/?c={clickid}' }, 'destinationUrl', /unknown macro \{clickid\}/],
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'ftp://a.example/' }, 'destinationUrl', /http/],
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/', timeZone: 'Mars/Base' }, 'timeZone', /IANA/],
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/', currency: 'XYZ' }, 'currency', /ISO 4217/],
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/', dailyCap: -1 }, 'dailyCap', /less than 0/],
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/', expiresAt: '2030-01-01' }, 'expiresAt', /offset/],
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/', onBot: 'drop' }, 'onBot', /one of/],
      ['/v1/offers', { advertiserId: 999_999, name: 'x', destinationUrl: 'https://a.example/' }, 'advertiserId', /names no advertiser/],
      [
        '/v1/offers',
        { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/', minClickToConversionSeconds: 90, attributionWindowSeconds: 60 },
        'minClickToConversionSeconds',
        /less than attributionWindowSeconds/,
      ],
      ['/v1/advertisers', { name: 'x', ipAllowlist: ['300.1.1.1'] }, 'ipAllowlist', /not an IP address/],
      ['/v1/advertisers', { name: 'x', paramMapping: { params: { t: 'nope' } } }, 'paramMapping', /params.t: "nope" is not a postback field/],
      ['/v1/advertisers', { name: 'x', paramMapping: { preset: 'nonesuch' } }, 'paramMapping', /preset: "nonesuch" is not a preset; use one of tune/],
      ['/v1/advertisers', { name: 'x', paramMapping: { transforms: { amount: { scale: 'cents' } } } }, 'paramMapping', /transforms.amount: scale must be/],
      ['/v1/advertisers', { name: 'x', paramMapping: { identity: { '*': 'session' } } }, 'paramMapping', /identity.\*: must be "order_id", "click_id"/],
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/', maxPostbackAmount: '0' }, 'maxPostbackAmount', /more than 0/],
      ['/v1/offers', { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/', maxPostbackAmount: 500 }, 'maxPostbackAmount', /decimal string/],
      ['/v1/advertisers', { name: '' }, 'name', /longer than or equal to 1/],
      ['/v1/advertisers', { name: 'x', status: 'archived' }, 'status', /one of/],
      ['/v1/affiliates', { name: 'x', postbackUrl: 'https://pb.example/?r={revenue}' }, 'postbackUrl', /unknown macro \{revenue\}/],
      ['/v1/affiliates', { name: 'x', postbackStatuses: ['paid'] }, 'postbackStatuses', /one of/],
      ['/v1/api-keys', { name: 'x', role: 'advertiser' }, 'advertiserId', /required for an advertiser key/],
      ['/v1/api-keys', { name: 'x', role: 'root' }, 'role', /one of/],
    ])('POST %s %j → 400 naming %s', async (path, body, field, reason) => {
      const answer = await api.admin.post(path, body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([{ field, reason: expect.stringMatching(reason) }]);
      expect(answer.body).toMatchObject({ type: 'urn:tracklane:problem:invalid-request', status: 400 });
      expect(answer.body.detail).toContain(field);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('refuses money that is not an exact decimal string', async () => {
      const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Exact' });
      const { body: offer } = await api.admin.post('/v1/offers', offerBody(advertiser.id));
      for (const [rule, field] of [
        [{ type: 'fixed', amount: 2.5 }, 'revenue.amount'],
        [{ type: 'fixed', amount: '2.50001' }, 'revenue.amount'],
        [{ type: 'fixed', amount: '-1' }, 'revenue.amount'],
        [{ type: 'percent', percent: '100.5' }, 'revenue.percent'],
        [{ type: 'fixed', amount: '1', percent: '3' }, 'revenue.percent'],
        [{ type: 'bonus' }, 'revenue.type'],
      ] as const) {
        const answer = await api.admin.post(`/v1/offers/${offer.id}/goals`, { code: 'sale', name: 'Sale', revenue: rule });
        expect([answer.status, answer.body.errors?.[0]?.field]).toEqual([400, field]);
      }
      expect((await api.pool.query('SELECT 1 FROM goals WHERE offer_id = $1', [offer.id])).rowCount).toBe(0);
    });

    it('refuses unknown fields, malformed ids and non-JSON bodies with a 4xx, never a 5xx', async () => {
      expect((await api.admin.post('/v1/advertisers', { name: 'x', colour: 'red' })).body.errors).toEqual([
        { field: 'colour', reason: 'is not a known field' },
      ]);
      expect((await api.admin.get('/v1/offers/abc')).body.errors).toEqual([{ field: 'offerId', reason: 'must be a positive integer id' }]);
      expect((await api.admin.get('/v1/offers/99999999999')).status).toBe(400);
      expect((await api.admin.get('/v1/offers?limit=0')).body.errors[0].field).toBe('limit');
      expect((await api.admin.get('/v1/offers?after=x')).body.errors[0].field).toBe('after');
      const adminKey = (await api.key('admin')).key;
      for (const [type, body] of [
        ['application/json', '{"name": '],
        ['application/json', '[1, 2]'],
        ['text/plain', 'name=x'],
        ['application/xml', '<a/>'],
      ]) {
        const answer = await fetch(`${api.url}/v1/advertisers`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': type }, body });
        expect([type, answer.status]).toEqual([type, expect.any(Number)]);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
      }
    });
  });
});
