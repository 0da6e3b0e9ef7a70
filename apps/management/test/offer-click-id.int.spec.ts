import { ManagementUnderTest, startManagement } from './management-harness';

/**
 * An offer destination without the click id can never get a postback back.
 * The API refuses it (400 naming the field) unless the operator sets the
 * offer's flag, which the audit log records; a check lists existing offers
 * without it.
 */
describe('management API: destinations without the click id', () => {
  let api: ManagementUnderTest;
  let advertiserId: number;
  const offer = (destinationUrl: string, extra: object = {}) =>
    api.admin.post('/v1/offers', { advertiserId, name: 'Offer', destinationUrl, ...extra });

  beforeAll(async () => {
    api = await startManagement();
    advertiserId = (await api.admin.post('/v1/advertisers', { name: 'Acme' })).body.id;
  });
  afterAll(() => api?.close());

  it('refuses a destination without {click_id} or an alias click-ingest fills, naming the field', async () => {
    const refused = await offer('https://shop.example/land?pub={aff_id}');
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'destinationUrl', reason: expect.stringMatching(/has no \{click_id\} \(nor \{transaction_id\}\).*allowDestinationWithoutClickId/) }]);
    expect((await api.pool.query(`SELECT 1 FROM offers WHERE destination_url LIKE 'https://shop.example/land%'`)).rowCount).toBe(0);

    // Every spelling click-ingest substitutes is accepted, aliases of other macros included.
    for (const url of ['https://a.example/?c={click_id}', 'https://a.example/?t={transaction_id}&a={affiliate_id}&s={aff_sub}', 'https://a.example/{click_id}/x']) {
      expect([url, (await offer(url)).status]).toEqual([url, 201]);
    }
  });

  it('takes it when the operator says so on the offer, and the audit log records who did', async () => {
    const created = await offer('https://shop.example/brand-page', { allowDestinationWithoutClickId: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ destinationUrl: 'https://shop.example/brand-page', allowDestinationWithoutClickId: true });
    const audit = await api.admin.get(`/v1/audit-log?entity=offer&entity_id=${created.body.id}`);
    expect(audit.body.data[0]).toMatchObject({ action: 'create', actorRole: 'admin', after: { allowDestinationWithoutClickId: true } });

    // Turning the flag off again while the URL still lacks the click id is refused, naming the flag.
    const off = await api.admin.patch(`/v1/offers/${created.body.id}`, { allowDestinationWithoutClickId: false });
    expect(off.status).toBe(400);
    expect(off.body.errors[0].field).toBe('allowDestinationWithoutClickId');
    const fixed = await api.admin.patch(`/v1/offers/${created.body.id}`, {
      destinationUrl: 'https://shop.example/brand-page?cid={click_id}',
      allowDestinationWithoutClickId: false,
    });
    expect(fixed.body).toMatchObject({ allowDestinationWithoutClickId: false });
    const history = await api.admin.get(`/v1/audit-log?entity=offer&entity_id=${created.body.id}`);
    expect(history.body.data[0]).toMatchObject({
      action: 'update',
      before: { allowDestinationWithoutClickId: true },
      after: { allowDestinationWithoutClickId: false },
    });
  });

  it('refuses a change that drops the click id, from admins and advertisers alike; only admins set the flag', async () => {
    const { body: created } = await offer('https://shop.example/p?c={click_id}');
    const dropped = await api.admin.patch(`/v1/offers/${created.id}`, { destinationUrl: 'https://shop.example/p' });
    expect(dropped.status).toBe(400);
    expect(dropped.body.errors[0].field).toBe('destinationUrl');

    const advertiser = api.as((await api.key('advertiser', { advertiserId })).key);
    expect((await advertiser.patch(`/v1/offers/${created.id}`, { destinationUrl: 'https://shop.example/p' })).status).toBe(400);
    const flag = await advertiser.patch(`/v1/offers/${created.id}`, { destinationUrl: 'https://shop.example/p', allowDestinationWithoutClickId: true });
    expect(flag.status).toBe(403);
    expect(flag.body.detail).toMatch(/may not change allowDestinationWithoutClickId/);
    // Other changes of an offer are not held up by the check.
    expect((await advertiser.patch(`/v1/offers/${created.id}`, { dailyCap: 5 })).status).toBe(200);
  });

  it('lists existing offers without the click id (written before the rule), in any case of the macro', async () => {
    const { rows } = await api.pool.query<{ id: number }>(
      `INSERT INTO offers (advertiser_id, name, destination_url) VALUES
         ($1, 'legacy', 'https://old.example/?sub={sub1}'), ($1, 'upper', 'https://old.example/?c={CLICK_ID}') RETURNING id`,
      [advertiserId],
    );
    const [legacy, upper] = rows.map((row) => row.id);
    const check = await api.admin.get('/v1/offers?missing_click_id=true');
    const listed = check.body.data.map((each: { id: number }) => each.id);
    expect(listed).toContain(legacy);
    expect(listed).not.toContain(upper);
    expect(check.body.data.every((each: { destinationUrl: string }) => !/\{(click_id|transaction_id)\}/i.test(each.destinationUrl))).toBe(true);
    expect(check.body.data.find((each: { id: number }) => each.id === legacy)).toMatchObject({ allowDestinationWithoutClickId: false });

    // An advertiser checks its own; an affiliate, who never sees destinations, may not ask.
    const advertiser = api.as((await api.key('advertiser', { advertiserId })).key);
    expect((await advertiser.get('/v1/offers?missing_click_id=true')).body.data.map((each: { id: number }) => each.id)).toContain(legacy);
    const affiliateId = (await api.admin.post('/v1/affiliates', { name: 'X' })).body.id;
    const affiliate = api.as((await api.key('affiliate', { affiliateId })).key);
    const refused = await affiliate.get('/v1/offers?missing_click_id=true');
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([{ field: 'missing_click_id', reason: expect.any(String) }]);
  });
});
