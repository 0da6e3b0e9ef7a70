import { Module } from '@nestjs/common';
import { CacheModule } from '@tracklane/cache';
import { Catalog, CatalogModule } from '@tracklane/catalog';
import { ServiceEnv } from '@tracklane/config';
import { DbModule } from '@tracklane/db';
import { RunningService, startService } from '@tracklane/observability';
import { waitFor } from '@tracklane/testing';
import { ManagementUnderTest, startManagement } from './management-harness';

/** What click-ingest, postback-ingest and attribution run: the real catalogue reader, nothing else. */
@Module({ imports: [DbModule.forRoot({ poolSize: 2 }), CacheModule.forRoot(), CatalogModule.forRoot({ refreshIntervalMs: 600_000 })] })
class CatalogReaderModule {}

describe('management API: changes reach every service within a second, and are audited', () => {
  let api: ManagementUnderTest;
  let reader: RunningService<ServiceEnv>;
  let catalog: Catalog;

  beforeAll(async () => {
    api = await startManagement();
    // A second service on the same database and Redis prefix, as click-ingest runs it (its periodic reload is
    // pushed out of the test's reach, so only the management API's announcements can make it see a change).
    const env = Object.assign(new ServiceEnv(), {
      DATABASE_URL: api.database.url,
      REDIS_URL: api.redis.url,
      REDIS_KEY_PREFIX: api.redis.prefix,
      LOG_LEVEL: 'warn',
    });
    reader = await startService({ name: 'catalogue-reader', envClass: ServiceEnv, module: () => CatalogReaderModule }, env);
    catalog = reader.app.get(Catalog);
  });
  afterAll(async () => {
    await reader?.close();
    await api?.close();
  });

  /** Makes a change through the API and measures how long until the reader's catalogue shows it. */
  async function visibleWithin(change: () => Promise<{ status: number }>, seen: () => boolean, what: string): Promise<number> {
    const answer = await change();
    expect(answer.status).toBeLessThan(300);
    const answered = Date.now();
    await waitFor(seen, { timeoutMs: 1_000, intervalMs: 5, what: `${what} in the catalogue` });
    return Date.now() - answered;
  }

  it('shows a new offer, a changed one, approvals, payouts and an archived one in the reader within 1 s', async () => {
    const advertiserId = (await api.admin.post('/v1/advertisers', { name: 'Live' })).body.id;
    let offerId = 0;
    const lags = [
      await visibleWithin(
        async () => {
          const created = await api.admin.post('/v1/offers', { advertiserId, name: 'Live offer', destinationUrl: 'https://live.example/?c={click_id}' });
          offerId = created.body.id;
          return created;
        },
        () => catalog.current().offer(offerId) !== undefined,
        'new offer',
      ),
      await visibleWithin(
        () => api.admin.patch(`/v1/offers/${offerId}`, { destinationUrl: 'https://live.example/v2?c={click_id}', status: 'paused' }),
        () => catalog.current().offer(offerId)?.destinationUrl === 'https://live.example/v2?c={click_id}',
        'changed destination',
      ),
      await visibleWithin(
        () => api.admin.post(`/v1/offers/${offerId}/goals`, { code: 'sale', name: 'Sale', payout: { type: 'fixed', amount: '4.2' } }),
        () => catalog.current().goal(offerId, null)?.payout.amount === '4.2000',
        'default goal',
      ),
    ];
    const affiliateId = (await api.admin.post('/v1/affiliates', { name: 'Live affiliate' })).body.id;
    lags.push(
      await visibleWithin(
        () => api.admin.put(`/v1/approvals/${offerId}/${affiliateId}`, { status: 'approved' }),
        () => catalog.current().approval(offerId, affiliateId)?.status === 'approved',
        'approval',
      ),
      await visibleWithin(
        () => api.admin.post('/v1/payout-overrides', { offerId, affiliateId, payout: { type: 'percent', percent: '12.5' } }),
        () => catalog.current().payoutOverride(offerId, affiliateId, 1)?.payout.percent === '12.5000',
        'payout override',
      ),
      await visibleWithin(
        () => api.admin.put(`/v1/affiliates/${affiliateId}/postbacks/${offerId}`, { url: 'https://pb.example/?c={click_id}' }),
        () => catalog.current().postbackTarget(affiliateId, offerId)?.url === 'https://pb.example/?c={click_id}',
        'affiliate postback',
      ),
      await visibleWithin(() => api.admin.delete(`/v1/offers/${offerId}`), () => catalog.current().offer(offerId) === undefined, 'archived offer'),
    );
    expect(Math.max(...lags)).toBeLessThan(1_000);
  });

  it('shows a rotated postback token at once, so the old one stops being accepted', async () => {
    const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Rotates' });
    await waitFor(() => catalog.current().advertiserByToken(advertiser.postbackToken)?.id === advertiser.id, { timeoutMs: 1_000, what: 'token' });
    let rotated = '';
    await visibleWithin(
      async () => {
        const answer = await api.admin.post(`/v1/advertisers/${advertiser.id}/postback-token`);
        rotated = answer.body.postbackToken;
        return answer;
      },
      () => catalog.current().advertiserByToken(rotated)?.id === advertiser.id,
      'new token',
    );
    expect(catalog.current().advertiserByToken(advertiser.postbackToken)).toBeUndefined();
  });

  it('writes who changed what, with the state before and after, credentials redacted', async () => {
    const keyId = (await api.admin.get('/v1/me')).body.keyId;
    const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Audited' });
    await api.admin.patch(`/v1/advertisers/${advertiser.id}`, { name: 'Audited & renamed' });
    await api.admin.post(`/v1/advertisers/${advertiser.id}/signing-secret`);

    const log = await api.admin.get(`/v1/audit-log?entity=advertiser&entity_id=${advertiser.id}`);
    expect(log.body.data.map((entry: { action: string }) => entry.action)).toEqual(['rotate_signing_secret', 'update', 'create']);
    const [rotation, update, creation] = log.body.data;
    expect(creation).toMatchObject({ actorKeyId: keyId, actorRole: 'admin', entity: 'advertiser', entityId: String(advertiser.id), before: null });
    expect(creation.after).toMatchObject({ name: 'Audited', postbackToken: '[redacted]', signingSecret: '[redacted]' });
    expect(update.before.name).toBe('Audited');
    expect(update.after.name).toBe('Audited & renamed');
    expect(JSON.stringify(log.body)).not.toContain(advertiser.postbackToken);
    expect(JSON.stringify(log.body)).not.toContain(advertiser.signingSecret);
    expect(rotation.after.updatedAt).not.toBe(rotation.before.updatedAt);
  });

  it('audits every kind of change, including tenants acting on themselves', async () => {
    const { body: affiliate } = await api.admin.post('/v1/affiliates', { name: 'Self-service' });
    const own = await api.key('affiliate', { affiliateId: affiliate.id });
    await api.as(own.key).patch(`/v1/affiliates/${affiliate.id}`, { postbackStatuses: ['approved', 'rejected'] });
    const issued = await api.as(own.key).post('/v1/api-keys', { name: 'mine' });
    await api.as(own.key).delete(`/v1/api-keys/${issued.body.id}`);

    const entries = (await api.admin.get(`/v1/audit-log?actor_key_id=${own.id}`)).body.data;
    expect(entries.map((entry: { action: string; entity: string }) => `${entry.action} ${entry.entity}`)).toEqual([
      'revoke api_key',
      'create api_key',
      'update affiliate',
    ]);
    expect(entries[2]).toMatchObject({ actorRole: 'affiliate', before: { postbackStatuses: ['approved'] }, after: { postbackStatuses: ['approved', 'rejected'] } });
    expect(entries[1].after).toMatchObject({ keyHash: '[redacted]', role: 'affiliate' });
  });

  it('writes nothing for a refused change, and no change without its audit row', async () => {
    const before = Number((await api.pool.query('SELECT count(*) FROM audit_log')).rows[0].count);
    expect((await api.admin.post('/v1/advertisers', { name: '' })).status).toBe(400);
    expect((await api.admin.post('/v1/offers', { advertiserId: 999_999, name: 'x', destinationUrl: 'https://a.example/' })).status).toBe(400);
    expect(Number((await api.pool.query('SELECT count(*) FROM audit_log')).rows[0].count)).toBe(before);

    // Make the audit insert fail: the change it belongs to must roll back with it.
    await api.pool.query(`
      CREATE FUNCTION refuse_offer_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.entity = 'offer' THEN RAISE EXCEPTION 'audit unavailable'; END IF; RETURN NEW; END; $$;
      CREATE TRIGGER refuse_offer_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_offer_audit();
    `);
    try {
      const { body: advertiser } = await api.admin.post('/v1/advertisers', { name: 'Half' });
      const answer = await api.admin.post('/v1/offers', { advertiserId: advertiser.id, name: 'Never', destinationUrl: 'https://a.example/?c={click_id}' });
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({ type: 'urn:tracklane:problem:internal', status: 500, detail: 'something went wrong on our side' });
      expect((await api.pool.query(`SELECT 1 FROM offers WHERE name = 'Never'`)).rowCount).toBe(0);
    } finally {
      await api.pool.query('DROP TRIGGER refuse_offer_audit ON audit_log; DROP FUNCTION refuse_offer_audit()');
    }
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await expect(api.pool.query(`UPDATE audit_log SET action = 'nothing'`)).rejects.toThrow(/append-only/);
    await expect(api.pool.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});
