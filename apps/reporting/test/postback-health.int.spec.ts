import { RunningService, startService } from '@tracklane/observability';
import { TestStack, createTestStack } from '@tracklane/testing';
import { Pool } from 'pg';
import { ReportingEnv } from '../src/reporting.env';
import { reportingService } from '../src/reporting.service';
import { CATALOG, getJson, storeApiKey } from './fixtures';

interface Health {
  rows: Array<Record<string, unknown>>;
}

/*
 * postback-dispatch's view of each affiliate's endpoint (postback_affiliate_health):
 * Pub Seven is paused after five failures, Pub Eight failed twice and is still
 * tried, affiliate 9 has recovered. Admins see the troubled ones, paused first;
 * an affiliate sees its own; advertisers nothing.
 */
describe('GET /v1/postback-health', () => {
  let stack: TestStack;
  let service: RunningService<ReportingEnv>;
  let pool: Pool;
  const keys: Record<string, string> = {};
  const get = (key: string) => getJson<Health>(`${service.url}/v1/postback-health`, keys[key]);

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url });
    await pool.query(CATALOG);
    await pool.query(`
      INSERT INTO postback_affiliate_health (affiliate_id, state, consecutive_failures, pauses, paused_at, paused_until, last_error, updated_at) VALUES
        (7, 'paused', 5, 2, '2026-12-06T10:00:00Z', '2026-12-06T10:04:00Z', 'http_503', '2026-12-06T10:00:00Z'),
        (8, 'active', 2, 0, NULL, NULL, 'timeout', '2026-12-06T11:00:00Z'),
        (9, 'active', 0, 0, NULL, NULL, NULL, '2026-12-06T12:00:00Z')`);
    keys.admin = await storeApiKey(pool, 'admin');
    keys.affiliate7 = await storeApiKey(pool, 'affiliate', 7);
    keys.affiliate8 = await storeApiKey(pool, 'affiliate', 8);
    keys.advertiser1 = await storeApiKey(pool, 'advertiser', 1);
    service = await startService(reportingService, Object.assign(new ReportingEnv(), stack.env, { LOG_LEVEL: 'warn' }));
  });

  afterAll(async () => {
    await service?.close();
    await pool?.end();
    await stack?.destroy();
  });

  it('shows an admin every affiliate whose endpoint fails, paused ones first, with when the next probe may go', async () => {
    const { status, body } = await get('admin');
    expect(status).toBe(200);
    expect(body.rows).toEqual([
      {
        affiliate_id: 7,
        affiliate_name: 'Pub Seven',
        state: 'paused',
        consecutive_failures: 5,
        pauses: 2,
        paused_at: '2026-12-06T10:00:00.000Z',
        paused_until: '2026-12-06T10:04:00.000Z',
        last_error: 'http_503',
        updated_at: '2026-12-06T10:00:00.000Z',
      },
      expect.objectContaining({ affiliate_id: 8, state: 'active', consecutive_failures: 2, last_error: 'timeout', paused_until: null }),
    ]);
  });

  it('shows an affiliate its own endpoint only', async () => {
    expect((await get('affiliate7')).body.rows.map((row) => row.affiliate_id)).toEqual([7]);
    expect((await get('affiliate8')).body.rows.map((row) => row.affiliate_id)).toEqual([8]);
  });

  it('is not an advertiser’s to read', async () => {
    expect((await get('advertiser1')).status).toBe(403);
  });
});
