import { newId } from '@tracklane/contracts';
import {
  compilePartnerMapping,
  PostbackReceipts,
  readPostback,
  receiptFor,
  replayOf,
  RequestParam,
  validatePostback,
} from '@tracklane/postback-intake';
import { ManagementUnderTest, startManagement } from './management-harness';

const MAPPING = { params: { tid: 'click_id', cents: 'amount', api_key: 'token' }, transforms: { amount: { scale: 'currency' } } };

/**
 * POST /v1/advertisers/:id/postback-dry-run reads a postback with
 * postback-ingest's own code and says what would be decided, against the
 * receipts postback-ingest keeps, without writing anything.
 */
describe('management API: postback dry run', () => {
  let api: ManagementUnderTest;
  let receipts: PostbackReceipts;
  let advertiser: { id: number; postbackToken: string };
  let other: { id: number; postbackToken: string };

  const dryRun = (body: object, id = advertiser.id, client = api.admin) => client.post(`/v1/advertisers/${id}/postback-dry-run`, body);

  /** A postback postback-ingest already took: its receipt, written by the intake's own code. */
  async function received(params: RequestParam[], replayWindowSeconds = 0): Promise<{ conversionId: string }> {
    const postback = validatePostback(readPostback(params, compilePartnerMapping(MAPPING)), undefined);
    const identity = { kind: 'conversion' as const, eventId: newId(), conversionId: newId(), clickId: postback.clickId };
    const receipt = receiptFor(identity, advertiser.id, postback, new Date(), replayOf(advertiser.id, postback, replayWindowSeconds));
    expect(await receipts.reserve(receipt)).toBe(true);
    return { conversionId: identity.conversionId };
  }

  const count = async (table: string) => Number((await api.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  beforeAll(async () => {
    api = await startManagement();
    receipts = new PostbackReceipts(api.pool, { leaseMs: 60_000, maxConcurrentBatches: 1 });
    advertiser = (await api.admin.post('/v1/advertisers', { name: 'Cents Co', paramMapping: MAPPING })).body;
    other = (await api.admin.post('/v1/advertisers', { name: 'Other' })).body;
    await api.admin.post('/v1/offers', { advertiserId: advertiser.id, name: 'O', destinationUrl: 'https://a.example/?c={click_id}', maxPostbackAmount: '500' });
  });
  afterAll(() => api?.close());

  it('reads a URL as postback-ingest would: the mapping, the fields, the amount scaled; nothing is stored', async () => {
    const clickId = newId();
    const before = [await count('postback_receipts'), await count('inbound_postbacks')];
    const answer = await dryRun({ url: `https://pb.example/postback?api_key=${advertiser.postbackToken}&tid=${clickId}&cents=1999&currency=usd&order_id=A-1&note=x` });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      advertiserId: advertiser.id,
      mapping: { preset: null, document: MAPPING, problems: [] },
      params: { api_key: '[masked]', tid: clickId, cents: '1999', currency: 'usd', order_id: 'A-1', note: 'x' },
      authentication: { token: 'matches', notChecked: ['ip_allowlist', 'signature'] },
      fields: { click_id: { value: clickId, param: 'tid' }, amount: { value: '19.99', param: 'cents', received: '1999' } },
      postback: { clickId, amount: '19.99', currency: 'USD', orderId: 'A-1', raw: { note: 'x' } },
      decision: { outcome: 'accepted', httpStatus: 200, kind: 'conversion', conversionId: null },
    });
    expect(JSON.stringify(answer.body)).not.toContain(advertiser.postbackToken);
    expect([await count('postback_receipts'), await count('inbound_postbacks')]).toEqual(before);
  });

  it('recognises a duplicate of an order already received, and a status change of it', async () => {
    const clickId = newId();
    const { conversionId } = await received([['tid', clickId], ['order_id', 'B-1'], ['cents', '500'], ['currency', 'EUR']]);
    const base = `?api_key=${advertiser.postbackToken}&tid=${clickId}&order_id=B-1`;
    expect((await dryRun({ url: `${base}&cents=500&currency=EUR` })).body.decision).toEqual({ outcome: 'duplicate', httpStatus: 200, kind: 'conversion', conversionId });
    expect((await dryRun({ url: `${base}&status=rejected` })).body.decision).toEqual({
      outcome: 'accepted',
      httpStatus: 200,
      kind: 'status_change',
      conversionId,
    });
    // The same order from another click cannot change it.
    const conflict = await dryRun({ url: `?api_key=${advertiser.postbackToken}&tid=${newId()}&order_id=B-1&status=rejected` });
    expect(conflict.body.decision).toMatchObject({ outcome: 'refused', httpStatus: 409, refusal: { error: 'conflict', reason: 'order_belongs_to_another_click' } });
  });

  it('recognises a replay of an identical postback without order id within the window', async () => {
    const clickId = newId();
    const { conversionId } = await received([['tid', clickId], ['goal', 'install']], 86_400);
    expect((await dryRun({ url: `?api_key=${advertiser.postbackToken}&tid=${clickId}&goal=install` })).body.decision).toEqual({
      outcome: 'replay',
      httpStatus: 200,
      kind: 'conversion',
      conversionId,
    });
    expect((await dryRun({ url: `?api_key=${advertiser.postbackToken}&tid=${clickId}&goal=purchase` })).body.decision.outcome).toBe('accepted');
  });

  it('says why it would be refused, and still shows what it read', async () => {
    const tooMuch = await dryRun({ url: `?api_key=${advertiser.postbackToken}&tid=${newId()}&cents=60000&currency=USD` });
    expect(tooMuch.body.decision).toMatchObject({
      outcome: 'refused',
      httpStatus: 400,
      refusal: { error: 'invalid_parameter', problems: [{ field: 'amount', param: 'cents', rule: 'maxAmount' }] },
    });
    expect(tooMuch.body.fields.amount).toEqual({ value: '600', param: 'cents', received: '60000' });

    const noToken = await dryRun({ url: `?tid=${newId()}&cents=100&currency=USD` });
    expect(noToken.body).toMatchObject({
      authentication: { token: 'missing' },
      fields: { amount: { value: '1' } },
      decision: { outcome: 'refused', httpStatus: 401, refusal: { error: 'unauthorized', reason: 'missing_token' } },
    });
    const viaHeader = await dryRun({ url: `?tid=${newId()}&cents=100&currency=USD`, headers: { 'X-Tracklane-Token': advertiser.postbackToken } });
    expect(viaHeader.body.decision.outcome).toBe('accepted');
    const wrong = await dryRun({ url: `?api_key=${other.postbackToken}&tid=${newId()}` });
    expect(wrong.body).toMatchObject({ authentication: { token: 'does_not_match' }, params: { api_key: '[masked]' }, decision: { refusal: { reason: 'unknown_token' } } });
    expect(JSON.stringify(wrong.body)).not.toContain(other.postbackToken);

    const badClick = await dryRun({ url: `?api_key=${advertiser.postbackToken}&tid=nope` });
    expect(badClick.body.decision).toMatchObject({ outcome: 'refused', httpStatus: 400, refusal: { problems: [{ field: 'click_id', param: 'tid' }] } });
  });

  it('reads JSON and form bodies by the same rules as the endpoint', async () => {
    const clickId = newId();
    const json = await dryRun({
      url: `?api_key=${advertiser.postbackToken}`,
      body: JSON.stringify({ tid: clickId, cents: 250, currency: 'JPY' }),
      contentType: 'application/json',
    });
    expect(json.body).toMatchObject({ postback: { clickId, amount: '250', currency: 'JPY' }, decision: { outcome: 'accepted' } });
    const nested = await dryRun({ url: `?api_key=${advertiser.postbackToken}`, body: JSON.stringify({ tid: clickId, meta: { a: 1 } }), contentType: 'application/json' });
    expect(nested.body.decision.refusal).toMatchObject({ problems: [{ field: 'meta', rule: 'scalar' }] });
    const form = await dryRun({ body: `api_key=${advertiser.postbackToken}&tid=${clickId}&cents=5&currency=KWD`, contentType: 'application/x-www-form-urlencoded' });
    expect(form.body.postback.amount).toBe('0.005');
    expect((await dryRun({ body: '{', contentType: 'application/json' })).body.errors).toEqual([{ field: 'body', reason: expect.stringMatching(/JSON/) }]);
    expect((await dryRun({ body: 'x', contentType: 'text/plain' })).body.errors[0].field).toBe('contentType');
    expect((await dryRun({})).body.errors[0].field).toBe('url');
  });

  it("is the advertiser's own: another advertiser's answers 404, affiliates 403", async () => {
    const own = api.as((await api.key('advertiser', { advertiserId: advertiser.id })).key);
    expect((await dryRun({ url: `?tid=${newId()}` }, advertiser.id, own)).status).toBe(200);
    expect((await dryRun({ url: `?tid=${newId()}` }, other.id, own)).status).toBe(404);
    const affiliateId = (await api.admin.post('/v1/affiliates', { name: 'X' })).body.id;
    const affiliate = api.as((await api.key('affiliate', { affiliateId })).key);
    expect((await dryRun({ url: `?tid=${newId()}` }, advertiser.id, affiliate)).status).toBe(403);

    // An archived advertiser's token is no longer known to postback-ingest.
    const gone = (await api.admin.post('/v1/advertisers', { name: 'Gone' })).body;
    await api.admin.post('/v1/offers', { advertiserId: gone.id, name: 'G', destinationUrl: 'https://g.example/?c={click_id}' });
    await api.pool.query(`INSERT INTO conversions (conversion_id, advertiser_id, status, reason, revenue, payout, currency, converted_at)
                          VALUES ($1, $2, 'approved', 'attributed', 1, 0, 'USD', now())`, [newId(), gone.id]);
    expect((await api.admin.delete(`/v1/advertisers/${gone.id}`)).body.outcome).toBe('archived');
    const archived = await dryRun({ url: `?token=${gone.postbackToken}&click_id=${newId()}` }, gone.id);
    expect(archived.body.decision).toMatchObject({ outcome: 'refused', httpStatus: 401, refusal: { reason: 'unknown_token' } });
  });
});
