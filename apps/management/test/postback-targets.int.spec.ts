import { ManagementUnderTest, startManagement } from './management-harness';

/**
 * Affiliates type their own postback URLs. A URL at one of our internal
 * services, in any spelling, is refused when it is saved (and again by
 * postback-dispatch at send time); only the target the operator listed
 * (here the demo receiver's scheme, address and port) gets through.
 */
describe('management API: where affiliate postback URLs may point', () => {
  let api: ManagementUnderTest;
  let offerId: number;
  let affiliateId: number;
  let affiliateKey: string;

  beforeAll(async () => {
    api = await startManagement({ POSTBACK_ALLOWED_TARGETS: 'http://127.0.0.1:8086' });
    const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Targets' });
    offerId = (await api.admin.post('/v1/offers', { advertiserId: advertiser.id, name: 'Offer', destinationUrl: 'https://shop.example/?c={click_id}', visibility: 'public' })).body.id;
    affiliateId = (await api.admin.post('/v1/affiliates', { name: 'Publisher', postbackUrl: 'https://tracker.example.com/pb?c={click_id}' })).body.id;
    affiliateKey = (await api.key('affiliate', { affiliateId })).key;
  });
  afterAll(() => api?.close());

  const internal: ReadonlyArray<readonly [url: string, reason: RegExp]> = [
    ['http://127.0.0.1:6379/pb?c={click_id}', /^127\.0\.0\.1 is a loopback address; /],
    ['http://127.0.0.1:8085/pb', /^127\.0\.0\.1 is a loopback address/],
    ['https://127.0.0.1:8086/pb', /^127\.0\.0\.1 is a loopback address/],
    ['http://localhost:8086/pb', /^localhost is a loopback name/],
    ['http://127.1:8082/v1/api-keys', /^127\.0\.0\.1 is a loopback address/],
    ['http://2130706433:8082/', /^127\.0\.0\.1 is a loopback address/],
    ['http://0x7f000001:8082/', /^127\.0\.0\.1 is a loopback address/],
    ['http://0177.0.0.1:8082/', /^127\.0\.0\.1 is a loopback address/],
    ['http://127.0.0.1.:8082/', /^127\.0\.0\.1 is a loopback address/],
    ['http://[::1]:8082/', /^::1 is a loopback address/],
    ['http://[::ffff:127.0.0.1]:8082/', /^::ffff:7f00:1 is a loopback address/],
    ['http://169.254.169.254/latest/meta-data/', /cloud metadata address/],
    ['http://10.0.0.8:9200/', /private address/],
    ['http://100.64.0.1/', /shared \(CGNAT\) address/],
    ['http://[fd00::1]/', /unique-local address/],
    ['http://[fe80::1]/', /link-local address/],
    ['http://[2001::5efe:a00:1]/', /Teredo address/],
    ['http://[2002:a00:1::1]/', /6to4 address/],
    ['http://[64:ff9b::a00:1]/', /private address/],
    ['http://198.18.0.1/', /benchmarking address/],
    ['http://192.0.2.1/', /documentation address/],
    ['http://224.0.0.1/', /multicast address/],
    ['http://0.0.0.0:8082/', /unspecified address/],
    ['https://redis.internal/', /local-network name/],
  ];

  it.each(internal)('an admin creating an affiliate with %s gets a 400 naming postbackUrl', async (url, reason) => {
    const answer = await api.admin.post('/v1/affiliates', { name: 'Prober', postbackUrl: url });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: 'urn:tracklane:problem:invalid-request' });
    expect(answer.body.errors).toEqual([{ field: 'postbackUrl', reason: expect.stringMatching(reason) }]);
  });

  it('an affiliate changing its own global postback URL, or an offer override, to an internal target gets a 400 and nothing changes', async () => {
    const affiliate = api.as(affiliateKey);
    for (const [url, reason] of internal) {
      const global = await affiliate.patch(`/v1/affiliates/${affiliateId}`, { postbackUrl: url });
      expect([global.status, global.body.errors]).toEqual([400, [{ field: 'postbackUrl', reason: expect.stringMatching(reason) }]]);
      const override = await affiliate.put(`/v1/affiliates/${affiliateId}/postbacks/${offerId}`, { url });
      expect([override.status, override.body.errors]).toEqual([400, [{ field: 'url', reason: expect.stringMatching(reason) }]]);
    }
    const { rows } = await api.pool.query('SELECT postback_url FROM affiliates WHERE id = $1', [affiliateId]);
    expect(rows[0].postback_url).toBe('https://tracker.example.com/pb?c={click_id}');
    expect((await api.pool.query('SELECT 1 FROM affiliate_postbacks WHERE affiliate_id = $1', [affiliateId])).rowCount).toBe(0);
  });

  it('takes public hosts, and exactly the listed internal target in any spelling', async () => {
    const affiliate = api.as(affiliateKey);
    for (const url of ['https://tracker.example.com/pb?c={click_id}', 'http://8.8.8.8/pb', 'http://127.0.0.1:8086/postback?c={click_id}', 'http://127.1:8086/pb']) {
      expect((await affiliate.patch(`/v1/affiliates/${affiliateId}`, { postbackUrl: url })).status).toBe(200);
    }
    const override = await affiliate.put(`/v1/affiliates/${affiliateId}/postbacks/${offerId}`, { url: 'http://[::ffff:127.0.0.1]:8086/pb?c={click_id}' });
    expect(override.status).toBe(200);
  });
});
