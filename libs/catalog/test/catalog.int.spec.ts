import { Module } from '@nestjs/common';
import { CacheModule, InvalidationBus } from '@tracklane/cache';
import { ServiceEnv } from '@tracklane/config';
import { DbModule } from '@tracklane/db';
import { RunningService, startService } from '@tracklane/observability';
import { createTestStack, TestStack, waitFor } from '@tracklane/testing';
import { Pool } from 'pg';
import { announceCatalogChange, Catalog, CatalogModule } from '../src';

@Module({ imports: [DbModule.forRoot(), CacheModule.forRoot(), CatalogModule.forRoot({ refreshIntervalMs: 600_000 })] })
class CatalogReaderModule {}

describe('catalogue cache', () => {
  let stack: TestStack;
  let service: RunningService<ServiceEnv>;
  let pool: Pool;
  let catalog: Catalog;

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url });
    await pool.query(`
      INSERT INTO advertisers (id, name, postback_token) VALUES (1, 'Acme', 'tok-acme');
      INSERT INTO offers (id, advertiser_id, name, destination_url) VALUES (10, 1, 'Shoes', 'https://acme.example/?cid={click_id}');
      INSERT INTO goals (offer_id, code, name, is_default, revenue_amount, payout_percent) VALUES (10, 'sale', 'Sale', true, '5.5000', '12.5');
      INSERT INTO affiliates (id, name) VALUES (7, 'Pub');
      INSERT INTO offer_affiliates (offer_id, affiliate_id, status) VALUES (10, 7, 'approved');
    `);
    const env = Object.assign(new ServiceEnv(), stack.env, { LOG_LEVEL: 'warn' });
    service = await startService({ name: 'catalog-test', envClass: ServiceEnv, module: () => CatalogReaderModule }, env);
    catalog = service.app.get(Catalog);
  });

  afterAll(async () => {
    await service?.close();
    await pool?.end();
    await stack?.destroy();
  });

  it('is loaded before the service listens', () => {
    const snapshot = catalog.current();
    const offer = snapshot.offer(10);
    expect(offer?.destinationUrl).toBe('https://acme.example/?cid={click_id}');
    expect(offer?.defaultGoal?.code).toBe('sale');
    expect(offer?.defaultGoal?.revenue).toEqual({ type: 'fixed', amount: '5.5000', percent: '0.0000' });
    expect(snapshot.approval(10, 7)?.status).toBe('approved');
    expect(snapshot.advertiserByToken('tok-acme')?.id).toBe(1);
    expect(snapshot.goal(10, 'SALE')?.payout.percent).toBe('12.5000');
  });

  it('sees a change within a second of its announcement', async () => {
    await pool.query(`UPDATE offers SET status = 'paused', destination_url = 'https://acme.example/v2?c={click_id}' WHERE id = 10`);
    const announced = Date.now();
    await announceCatalogChange(service.app.get(InvalidationBus), 'offer', 10);
    await waitFor(() => catalog.current().offer(10)?.status === 'paused', { timeoutMs: 1_000, intervalMs: 10, what: 'paused offer' });
    expect(Date.now() - announced).toBeLessThan(1_000);
    expect(catalog.current().offer(10)?.destinationUrl).toBe('https://acme.example/v2?c={click_id}');
  });

  describe('a snapshot loaded after a message that names something it lacks', () => {
    it('is the current one, without a load, when that was loaded clearly after the message', async () => {
      const current = catalog.current();
      expect(await catalog.loadedAfter(current.loadedAt - 60_000)).toBe(current);
    });

    it('is loaded again for a newer message, no sooner than a second after the last load, and holds what was made unannounced', async () => {
      await catalog.reload();
      const before = catalog.current();
      await pool.query(`INSERT INTO affiliates (id, name) VALUES (8, 'Unannounced')`);
      const loaded = await catalog.loadedAfter(Date.now());
      expect(loaded).not.toBe(before);
      expect(loaded.affiliate(8)?.name).toBe('Unannounced');
      expect(loaded.loadedAt - before.loadedAt).toBeGreaterThanOrEqual(1_000);
    });

    it('is refused when the catalogue cannot be loaded, so that the batch is retried', async () => {
      await pool.query('ALTER TABLE affiliates RENAME TO affiliates_away');
      try {
        await expect(catalog.loadedAfter(Date.now())).rejects.toThrow('could not be loaded');
      } finally {
        await pool.query('ALTER TABLE affiliates_away RENAME TO affiliates');
      }
    });
  });

  it('drops archived offers', async () => {
    await pool.query(`UPDATE offers SET status = 'archived' WHERE id = 10`);
    await announceCatalogChange(service.app.get(InvalidationBus), 'offer', 10);
    await waitFor(() => catalog.current().offer(10) === undefined, { timeoutMs: 1_000, what: 'archived offer gone' });
  });
});
