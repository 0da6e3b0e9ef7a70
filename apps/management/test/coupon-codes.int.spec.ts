import { createRedis, Invalidation, InvalidationBus, Redis } from '@tracklane/cache';
import { COUPON_CODE_REASON } from '@tracklane/contracts';
import { waitFor } from '@tracklane/testing';
import { ApiClient, Json, ManagementUnderTest, startManagement } from './management-harness';

/**
 * Promo codes: advertisers A (two offers) and B (one offer), affiliates X
 * and Y. A code is unique per advertiser among offer codes and among
 * network-wide codes, regardless of case; only admins write them.
 */
describe('management API: coupon codes', () => {
  let api: ManagementUnderTest;
  const ids = { advertiserA: 0, advertiserB: 0, offerA1: 0, offerA2: 0, offerB: 0, affiliateX: 0, affiliateY: 0 };

  const offer = async (advertiserId: number, extra: object = {}) =>
    (await api.admin.post('/v1/offers', { advertiserId, name: 'Offer', destinationUrl: 'https://shop.example/?c={click_id}', ...extra })).body;
  const codesOf = async (affiliateId: number): Promise<string[]> =>
    (await api.pool.query<{ code: string }>('SELECT code FROM coupon_codes WHERE affiliate_id = $1 ORDER BY id', [affiliateId])).rows.map((row) => row.code);
  const listed = (answer: { body: Json }): string[] => answer.body.data.map((each: { code: string }) => each.code);

  beforeAll(async () => {
    api = await startManagement();
    ids.advertiserA = (await api.admin.post('/v1/advertisers', { name: 'A' })).body.id;
    ids.advertiserB = (await api.admin.post('/v1/advertisers', { name: 'B' })).body.id;
    ids.offerA1 = (await offer(ids.advertiserA)).id;
    ids.offerA2 = (await offer(ids.advertiserA)).id;
    ids.offerB = (await offer(ids.advertiserB)).id;
    ids.affiliateX = (await api.admin.post('/v1/affiliates', { name: 'X' })).body.id;
    ids.affiliateY = (await api.admin.post('/v1/affiliates', { name: 'Y' })).body.id;
  });
  afterAll(() => api?.close());

  describe('one at a time', () => {
    let save10: Json;

    it('is created trimmed, as entered, with its matching form beside it, and announced to every service', async () => {
      const subscriber: Redis = createRedis({ url: api.redis.url });
      const heard: Invalidation[] = [];
      try {
        await new InvalidationBus(subscriber, subscriber, api.redis.prefix).subscribe((invalidation) => heard.push(invalidation));
        const created = await api.admin.post('/v1/coupon-codes', { code: ' SAVE10 ', affiliateId: ids.affiliateX, offerId: ids.offerA1 });
        expect(created.status).toBe(201);
        expect(created.body).toEqual({ id: expect.any(Number), code: 'SAVE10', affiliateId: ids.affiliateX, offerId: ids.offerA1, createdAt: expect.any(String) });
        save10 = created.body;
        expect((await api.admin.get(`/v1/coupon-codes/${save10.id}`)).body).toEqual(save10);
        const { rows } = await api.pool.query('SELECT code_key, advertiser_id FROM coupon_codes WHERE id = $1', [save10.id]);
        expect(rows[0]).toEqual({ code_key: 'save10', advertiser_id: ids.advertiserA });
        await waitFor(() => heard.some((each) => each.entity === 'coupon_code' && each.id === save10.id), { timeoutMs: 2_000, what: 'the announcement' });
      } finally {
        subscriber.disconnect();
      }
    });

    it('refuses the same code in another case on any offer of the same advertiser (409 naming code)', async () => {
      const clash = await api.admin.post('/v1/coupon-codes', { code: 'save10', affiliateId: ids.affiliateY, offerId: ids.offerA2 });
      expect(clash.status).toBe(409);
      expect(clash.body).toMatchObject({ type: 'urn:tracklane:problem:conflict', status: 409 });
      expect(clash.body.errors).toEqual([{ field: 'code', reason: expect.stringContaining(`"save10" is already coupon code ${save10.id} (affiliate ${ids.affiliateX}, offer ${ids.offerA1})`) }]);
      expect(await codesOf(ids.affiliateY)).toEqual([]);
    });

    it('takes a code of the longest length whose lower-case form is longer still, and finds it again', async () => {
      const long = 'İ'.repeat(64);
      const created = await api.admin.post('/v1/coupon-codes', { code: long, affiliateId: ids.affiliateY, offerId: ids.offerB });
      expect([created.status, created.body.code]).toEqual([201, long]);
      const found = await api.admin.get(`/v1/coupon-codes?code=${encodeURIComponent(long)}`);
      expect(found.body.data.map((code: { id: number }) => code.id)).toEqual([created.body.id]);
      expect((await api.admin.delete(`/v1/coupon-codes/${created.body.id}`)).status).toBe(200);
    });

    it('takes the same code on an offer of another advertiser', async () => {
      const other = await api.admin.post('/v1/coupon-codes', { code: 'Save10', affiliateId: ids.affiliateY, offerId: ids.offerB });
      expect([other.status, other.body.offerId]).toEqual([201, ids.offerB]);
    });

    it('keeps network-wide codes unique among themselves, beside offer codes of the same key', async () => {
      const wide = await api.admin.post('/v1/coupon-codes', { code: 'sAvE10', affiliateId: ids.affiliateY });
      expect(wide.status).toBe(201);
      expect(wide.body).toMatchObject({ code: 'sAvE10', offerId: null });
      expect((await api.pool.query('SELECT advertiser_id FROM coupon_codes WHERE id = $1', [wide.body.id])).rows[0].advertiser_id).toBeNull();

      const again = await api.admin.post('/v1/coupon-codes', { code: 'SAVE10', affiliateId: ids.affiliateX, offerId: null });
      expect(again.status).toBe(409);
      expect(again.body.errors).toEqual([{ field: 'code', reason: expect.stringContaining(`coupon code ${wide.body.id} (affiliate ${ids.affiliateY}, network-wide)`) }]);
    });

    it('answers 409, never 500, when requests race for the same code: one wins', async () => {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => api.admin.post('/v1/coupon-codes', { code: 'RACE', affiliateId: ids.affiliateX, offerId: ids.offerA1 })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      // Whether a loser saw the winner's row or ran into the unique index, its answer names the code.
      for (const lost of answers.filter((answer) => answer.status === 409)) expect(lost.body.errors).toEqual([{ field: 'code', reason: expect.any(String) }]);
      expect((await api.pool.query("SELECT 1 FROM coupon_codes WHERE code_key = 'race'")).rowCount).toBe(1);
    });

    it.each([
      [{ code: 'has space', affiliateId: 1 }, 'code', COUPON_CODE_REASON],
      [{ code: '', affiliateId: 1 }, 'code', COUPON_CODE_REASON],
      [{ code: 'x'.repeat(65), affiliateId: 1 }, 'code', COUPON_CODE_REASON],
      [{ code: 10, affiliateId: 1 }, 'code', 'must be a string'],
      [{ code: 'OK', affiliateId: 999_999 }, 'affiliateId', 'names no affiliate (999999)'],
      [{ code: 'OK', affiliateId: 1, offerId: 999_999 }, 'offerId', 'names no offer (999999)'],
      [{ code: 'OK', affiliateId: 1, offerId: 1.5 }, 'offerId', 'must be an integer number'],
    ])('refuses %j with a 400 naming %s', async (body, field, reason) => {
      const refused = await api.admin.post('/v1/coupon-codes', body);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ field, reason }]);
    });

    it('count as history of their offer and affiliate (archived, not deleted), and are refused for archived ones', async () => {
      const archivedOffer = await offer(ids.advertiserA);
      await api.admin.post('/v1/coupon-codes', { code: 'EARLY', affiliateId: ids.affiliateX, offerId: archivedOffer.id });
      expect((await api.admin.delete(`/v1/offers/${archivedOffer.id}`)).body).toEqual({ id: archivedOffer.id, outcome: 'archived', reason: 'it has coupon codes' });
      const onArchivedOffer = await api.admin.post('/v1/coupon-codes', { code: 'LATE', affiliateId: ids.affiliateX, offerId: archivedOffer.id });
      expect([onArchivedOffer.status, onArchivedOffer.body.errors]).toEqual([400, [{ field: 'offerId', reason: `names an archived offer (${archivedOffer.id})` }]]);

      const leaving = (await api.admin.post('/v1/affiliates', { name: 'Leaving' })).body;
      await api.admin.post('/v1/coupon-codes', { code: 'BYE', affiliateId: leaving.id });
      expect((await api.admin.delete(`/v1/affiliates/${leaving.id}`)).body).toEqual({ id: leaving.id, outcome: 'archived', reason: 'it has coupon codes' });
      const forArchived = await api.admin.post('/v1/coupon-codes', { code: 'HELLO', affiliateId: leaving.id });
      expect([forArchived.status, forArchived.body.errors]).toEqual([400, [{ field: 'affiliateId', reason: `names an archived affiliate (${leaving.id})` }]]);
    });
  });

  describe('in bulk, all or nothing', () => {
    it('refuses every invalid code by its index with a 400, and creates none', async () => {
      const refused = await api.admin.post('/v1/coupon-codes/bulk', {
        affiliateId: ids.affiliateX,
        offerId: ids.offerA2,
        codes: ['GOOD1', 'two words', 'GOOD2', '  ', 'GOOD3\u0000'],
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ field: 'codes[4]', reason: expect.stringMatching(/^must not contain NUL/) }]);

      const invalid = await api.admin.post('/v1/coupon-codes/bulk', { affiliateId: ids.affiliateX, offerId: ids.offerA2, codes: ['GOOD1', 'two words', 'GOOD2', '  '] });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors).toEqual([
        { field: 'codes[1]', reason: COUPON_CODE_REASON },
        { field: 'codes[3]', reason: COUPON_CODE_REASON },
      ]);
      expect(await codesOf(ids.affiliateX)).not.toContain('GOOD1');
    });

    it('refuses codes that exist in the scope or repeat within the request with a 409 naming each, and creates none', async () => {
      const taken = await api.admin.post('/v1/coupon-codes/bulk', { affiliateId: ids.affiliateX, offerId: ids.offerA2, codes: ['FRESH1', 'save10', 'FRESH2'] });
      expect(taken.status).toBe(409);
      expect(taken.body.errors).toEqual([{ field: 'codes[1]', reason: expect.stringContaining('"save10" is already coupon code') }]);

      const repeated = await api.admin.post('/v1/coupon-codes/bulk', { affiliateId: ids.affiliateX, offerId: ids.offerA2, codes: ['FRESH1', 'Twice', 'FRESH2', 'TWICE'] });
      expect(repeated.status).toBe(409);
      expect(repeated.body.errors).toEqual([{ field: 'codes[3]', reason: '"TWICE" repeats codes[1] ("Twice"); codes match regardless of case' }]);
      expect(await codesOf(ids.affiliateX)).not.toContain('FRESH1');
    });

    it('creates every code in one go, in the order given', async () => {
      const created = await api.admin.post('/v1/coupon-codes/bulk', { affiliateId: ids.affiliateX, offerId: ids.offerA2, codes: ['SPRING', 'Summer', 'autumn'] });
      expect(created.status).toBe(201);
      expect(created.body).toEqual(
        ['SPRING', 'Summer', 'autumn'].map((code) => ({ id: expect.any(Number), code, affiliateId: ids.affiliateX, offerId: ids.offerA2, createdAt: expect.any(String) })),
      );
      expect(listed(await api.admin.get(`/v1/coupon-codes?offer_id=${ids.offerA2}`))).toEqual(['SPRING', 'Summer', 'autumn']);
      expect(listed(await api.admin.get('/v1/coupon-codes?code=summer'))).toEqual(['Summer']);
      expect(listed(await api.admin.get('/v1/coupon-codes?code=SAVE10'))).toEqual(['SAVE10', 'Save10', 'sAvE10']);
    });

    it('refuses an empty list and more than 1000 codes', async () => {
      const empty = await api.admin.post('/v1/coupon-codes/bulk', { affiliateId: ids.affiliateX, codes: [] });
      expect([empty.status, empty.body.errors[0].field]).toEqual([400, 'codes']);
      const many = await api.admin.post('/v1/coupon-codes/bulk', { affiliateId: ids.affiliateX, codes: Array.from({ length: 1001 }, (_, i) => `C${i}`) });
      expect([many.status, many.body.errors[0].field]).toEqual([400, 'codes']);
    });
  });

  describe('who sees and changes what', () => {
    let affiliateX: ApiClient;
    let advertiserA: ApiClient;

    beforeAll(async () => {
      affiliateX = api.as((await api.key('affiliate', { affiliateId: ids.affiliateX })).key);
      advertiserA = api.as((await api.key('advertiser', { advertiserId: ids.advertiserA })).key);
    });

    it('shows an affiliate its own codes only', async () => {
      const all = (await api.admin.get('/v1/coupon-codes?limit=500')).body.data as Json[];
      const own = all.filter((each) => each.affiliateId === ids.affiliateX);
      expect(own.length).toBeGreaterThan(0);
      expect((await affiliateX.get('/v1/coupon-codes?limit=500')).body.data).toEqual(own);
      const foreign = all.find((each) => each.affiliateId === ids.affiliateY);
      expect((await affiliateX.get(`/v1/coupon-codes/${foreign.id}`)).status).toBe(404);
      const filtered = await affiliateX.get(`/v1/coupon-codes?affiliate_id=${ids.affiliateY}`);
      expect([filtered.status, filtered.body.errors]).toEqual([403, [{ field: 'affiliate_id', reason: `affiliate keys read only affiliate ${ids.affiliateX}` }]]);
    });

    it("shows an advertiser the codes of its offers, never network-wide ones or another advertiser's", async () => {
      const all = (await api.admin.get('/v1/coupon-codes?limit=500')).body.data as Json[];
      const ofA = all.filter((each) => each.offerId !== null && each.offerId !== ids.offerB);
      expect(ofA.map((each) => each.code)).toEqual(expect.arrayContaining(['SAVE10', 'SPRING']));
      expect((await advertiserA.get('/v1/coupon-codes?limit=500')).body.data).toEqual(ofA);
      const wide = all.find((each) => each.offerId === null);
      const ofB = all.find((each) => each.offerId === ids.offerB);
      expect((await advertiserA.get(`/v1/coupon-codes/${wide.id}`)).status).toBe(404);
      expect((await advertiserA.get(`/v1/coupon-codes/${ofB.id}`)).status).toBe(404);
      expect((await advertiserA.get(`/v1/coupon-codes?offer_id=${ids.offerB}`)).status).toBe(403);
    });

    it('lets only admin keys create and delete', async () => {
      const code = (await api.admin.get('/v1/coupon-codes?code=spring')).body.data[0];
      for (const client of [affiliateX, advertiserA]) {
        expect((await client.post('/v1/coupon-codes', { code: 'MINE', affiliateId: ids.affiliateX, offerId: ids.offerA1 })).status).toBe(403);
        expect((await client.post('/v1/coupon-codes/bulk', { affiliateId: ids.affiliateX, codes: ['MINE'] })).status).toBe(403);
        expect((await client.delete(`/v1/coupon-codes/${code.id}`)).status).toBe(403);
      }
      expect((await api.pool.query("SELECT 1 FROM coupon_codes WHERE code_key = 'mine'")).rowCount).toBe(0);
    });

    it('deletes a code, and the audit log keeps what was removed', async () => {
      const code = (await api.admin.get('/v1/coupon-codes?code=autumn')).body.data[0];
      expect((await api.admin.delete(`/v1/coupon-codes/${code.id}`)).body).toEqual({ id: code.id, outcome: 'deleted', reason: null });
      expect((await api.admin.get(`/v1/coupon-codes/${code.id}`)).status).toBe(404);
      expect((await api.admin.delete(`/v1/coupon-codes/${code.id}`)).status).toBe(404);
      const audit = await api.admin.get(`/v1/audit-log?entity=coupon_code&entity_id=${code.id}`);
      expect(audit.body.data.map((entry: { action: string }) => entry.action)).toEqual(['delete', 'create']);
      expect(audit.body.data[0]).toMatchObject({ actorRole: 'admin', before: { code: 'autumn', codeKey: 'autumn', affiliateId: ids.affiliateX, offerId: ids.offerA2 }, after: null });
    });
  });

  describe("an offer's coupon precedence", () => {
    it('is click unless set, round-trips, is set by admins only, and takes click or coupon only', async () => {
      const created = await offer(ids.advertiserA);
      expect(created.couponPrecedence).toBe('click');
      const explicit = await offer(ids.advertiserA, { couponPrecedence: 'coupon' });
      expect((await api.admin.get(`/v1/offers/${explicit.id}`)).body.couponPrecedence).toBe('coupon');

      const changed = await api.admin.patch(`/v1/offers/${created.id}`, { couponPrecedence: 'coupon' });
      expect(changed.body.couponPrecedence).toBe('coupon');
      expect((await api.pool.query('SELECT coupon_precedence FROM offers WHERE id = $1', [created.id])).rows[0].coupon_precedence).toBe('coupon');

      const refused = await api.admin.patch(`/v1/offers/${created.id}`, { couponPrecedence: 'affiliate' });
      expect([refused.status, refused.body.errors]).toEqual([400, [{ field: 'couponPrecedence', reason: 'must be one of the following values: click, coupon' }]]);
      const advertiser = api.as((await api.key('advertiser', { advertiserId: ids.advertiserA })).key);
      expect((await advertiser.patch(`/v1/offers/${created.id}`, { couponPrecedence: 'click' })).status).toBe(403);
      expect((await api.admin.get(`/v1/offers/${created.id}`)).body.couponPrecedence).toBe('coupon');
    });
  });
});
