import { ManagementUnderTest, startManagement } from './management-harness';

/**
 * Which visitors an offer takes, set through the API: checked by the rules
 * click-ingest applies (400 naming the list and the entry), stored on the
 * offer, shown to its advertiser and to affiliates (who send only those
 * visitors), changed by admins and the offer's advertiser, audited.
 */
describe('management API: offer targeting', () => {
  let api: ManagementUnderTest;
  let advertiserId: number;

  beforeAll(async () => {
    api = await startManagement();
    advertiserId = (await api.admin.post('/v1/advertisers', { name: 'Acme' })).body.id;
  });
  afterAll(() => api?.close());

  const create = (targeting: unknown) =>
    api.admin.post('/v1/offers', { advertiserId, name: 'Targeted', destinationUrl: 'https://shop.example/?cid={click_id}', visibility: 'public', targeting });

  it('stores the lists and shows them; an offer without targeting shows null', async () => {
    const targeting = { countries: ['DE', 'AT'], excludedCountries: ['CH'], devices: ['mobile'], operatingSystems: ['ios', 'android'], browsers: ['safari'] };
    const created = await create(targeting);
    expect(created.status).toBe(201);
    expect(created.body.targeting).toEqual(targeting);
    expect((await api.admin.get(`/v1/offers/${created.body.id}`)).body.targeting).toEqual(targeting);
    const { rows } = await api.pool.query('SELECT targeting FROM offers WHERE id = $1', [created.body.id]);
    expect(rows[0].targeting).toEqual(targeting);

    const plain = await api.admin.post('/v1/offers', { advertiserId, name: 'Plain', destinationUrl: 'https://shop.example/?cid={click_id}' });
    expect(plain.body.targeting).toBeNull();
  });

  it.each([
    [{ countries: ['Germany'] }, 'countries[0] must be an ISO 3166-1 alpha-2 country code in capitals (e.g. "DE")'],
    [{ countries: [] }, 'countries must name at least one value, or be left out'],
    [{ devices: ['smartwatch'] }, 'devices[0] must be one of mobile, tablet, desktop'],
    [{ regions: ['EU'] }, 'regions is not a targeting list (countries, excludedCountries, devices, operatingSystems, browsers)'],
    [['DE'], 'must be an object of lists (countries, excludedCountries, devices, operatingSystems, browsers)'],
  ])('refuses %j with a 400 naming the list and the entry, and stores nothing', async (targeting, reason) => {
    const before = (await api.pool.query('SELECT count(*)::int AS n FROM offers')).rows[0].n;
    const refused = await create(targeting);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'targeting', reason }]);
    expect((await api.pool.query('SELECT count(*)::int AS n FROM offers')).rows[0].n).toBe(before);
  });

  it('lets the advertiser change its offer targeting, shows it to affiliates, clears it with null, audits each change', async () => {
    const { body: offer } = await create({ countries: ['DE'] });
    const advertiser = api.as((await api.key('advertiser', { advertiserId })).key);
    const changed = await advertiser.patch(`/v1/offers/${offer.id}`, { targeting: { countries: ['DE', 'FR'], devices: ['desktop'] } });
    expect(changed.status).toBe(200);
    expect(changed.body.targeting).toEqual({ countries: ['DE', 'FR'], devices: ['desktop'] });

    const affiliateId = (await api.admin.post('/v1/affiliates', { name: 'Pub' })).body.id;
    const affiliate = api.as((await api.key('affiliate', { affiliateId })).key);
    expect((await affiliate.get(`/v1/offers/${offer.id}`)).body.targeting).toEqual({ countries: ['DE', 'FR'], devices: ['desktop'] });

    // Leaving the field out keeps it; null clears it.
    expect((await api.admin.patch(`/v1/offers/${offer.id}`, { dailyCap: 10 })).body.targeting).toEqual({ countries: ['DE', 'FR'], devices: ['desktop'] });
    const cleared = await api.admin.patch(`/v1/offers/${offer.id}`, { targeting: null });
    expect(cleared.body.targeting).toBeNull();
    expect((await api.pool.query('SELECT targeting FROM offers WHERE id = $1', [offer.id])).rows[0].targeting).toBeNull();

    const audit = await api.admin.get(`/v1/audit-log?entity=offer&entity_id=${offer.id}`);
    expect(audit.body.data.map((entry: { before: { targeting: unknown } | null; after: { targeting: unknown } }) => [entry.before?.targeting ?? null, entry.after.targeting])).toEqual([
      [{ countries: ['DE', 'FR'], devices: ['desktop'] }, null],
      [{ countries: ['DE', 'FR'], devices: ['desktop'] }, { countries: ['DE', 'FR'], devices: ['desktop'] }],
      [{ countries: ['DE'] }, { countries: ['DE', 'FR'], devices: ['desktop'] }],
      [null, { countries: ['DE'] }],
    ]);
  });

  it("names an alternative offer for the visitors the targeting does not take: admins only, another offer that is not archived", async () => {
    const { body: offer } = await create({ countries: ['DE'] });
    const { body: other } = await create(null);
    const set = await api.admin.patch(`/v1/offers/${offer.id}`, { alternativeOfferId: other.id });
    expect(set.status).toBe(200);
    expect(set.body.alternativeOfferId).toBe(other.id);
    expect((await api.pool.query('SELECT alternative_offer_id FROM offers WHERE id = $1', [offer.id])).rows[0].alternative_offer_id).toBe(other.id);

    const refusals = [
      [offer.id, 'names the offer itself'],
      [999_999, 'names no offer (999999)'],
    ] as const;
    for (const [alternativeOfferId, reason] of refusals) {
      const refused = await api.admin.patch(`/v1/offers/${offer.id}`, { alternativeOfferId });
      expect([refused.status, refused.body.errors]).toEqual([400, [{ field: 'alternativeOfferId', reason }]]);
    }
    const { body: archived } = await create(null);
    await api.pool.query(`UPDATE offers SET status = 'archived', archived_at = now() WHERE id = $1`, [archived.id]);
    expect((await api.admin.patch(`/v1/offers/${offer.id}`, { alternativeOfferId: archived.id })).body.errors).toEqual([
      { field: 'alternativeOfferId', reason: `names an archived offer (${archived.id})` },
    ]);
    // The network decides where traffic goes, not the offer's advertiser.
    const advertiser = api.as((await api.key('advertiser', { advertiserId })).key);
    expect((await advertiser.patch(`/v1/offers/${offer.id}`, { alternativeOfferId: null })).status).toBe(403);
    const affiliateId = (await api.admin.post('/v1/affiliates', { name: 'Alt pub' })).body.id;
    const affiliate = api.as((await api.key('affiliate', { affiliateId })).key);
    expect((await affiliate.get(`/v1/offers/${offer.id}`)).body).not.toHaveProperty('alternativeOfferId');

    // Deleting the alternative (it has no history) leaves the offer on its fallback, audited.
    expect((await api.admin.delete(`/v1/offers/${other.id}`)).body).toMatchObject({ outcome: 'deleted' });
    expect((await api.admin.get(`/v1/offers/${offer.id}`)).body.alternativeOfferId).toBeNull();
    const audit = await api.admin.get(`/v1/audit-log?entity=offer&entity_id=${offer.id}`);
    expect(audit.body.data[0]).toMatchObject({ action: 'update', before: { alternativeOfferId: other.id }, after: { alternativeOfferId: null } });
  });
});
