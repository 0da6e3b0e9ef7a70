import { loadCatalog } from '@tracklane/catalog';
import { PrismaService } from '@tracklane/db';
import { WORKSPACE_ROOT } from '@tracklane/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ManagementUnderTest, startManagement } from './management-harness';

const run = promisify(execFile);

/** Runs the seed exactly as infra/up.sh does, and reads its output as a shell would. */
async function seed(api: ManagementUnderTest): Promise<{ text: string; values: Record<string, string> }> {
  const env = {
    ...process.env,
    DATABASE_URL: api.database.url,
    REDIS_URL: api.redis.url,
    REDIS_KEY_PREFIX: api.redis.prefix,
    POSTBACK_ALLOWED_TARGETS: 'http://127.0.0.1:8086',
  };
  const { stdout } = await run(process.execPath, ['-r', '@swc-node/register', join('apps', 'management', 'src', 'seed.ts')], {
    cwd: WORKSPACE_ROOT,
    env,
    timeout: 60_000,
  });
  const printer = `for name in \${!DEMO_@}; do printf '%s=%s\\n' "$name" "\${!name}"; done`;
  const { stdout: sourced } = await run('bash', ['-c', `set -eu\n${stdout}\n${printer}`]);
  const values = Object.fromEntries(sourced.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  return { text: stdout, values };
}

describe('demo seed', () => {
  let api: ManagementUnderTest;
  beforeAll(async () => {
    api = await startManagement();
  });
  afterAll(() => api?.close());

  it('creates a working demo network, and a second run keeps it and replaces only the keys', async () => {
    const first = await seed(api);
    expect(first.text).toMatch(/^# Tracklane demo network/);
    const { values } = first;
    expect(values.DEMO_TRACKING_LINK).toBe(`http://127.0.0.1:8080/c/${values.DEMO_OFFER_ID}?aff_id=${values.DEMO_AFFILIATE_ID}&sub1=demo`);
    expect(values.DEMO_POSTBACK_URL).toBe(
      `http://127.0.0.1:8081/postback?click_id={click_id}&token=${values.DEMO_POSTBACK_TOKEN}&goal=sale&amount=50.00&currency=USD&order_id=demo-order-1`,
    );
    expect(values.DEMO_AFFILIATE_POSTBACK_URL).toMatch(/^http:\/\/127\.0\.0\.1:8086\/postback\?click_id=\{click_id\}&/);
    expect(values.DEMO_REPORT_URL).toMatch(/^http:\/\/127\.0\.0\.1:8083\/v1\/reports\/stats\?from=\d{4}-\d{2}-\d{2}T00:00:00Z&to=/);

    const affiliate = api.as(values.DEMO_AFFILIATE_KEY);
    expect((await affiliate.get('/v1/me')).body).toMatchObject({ role: 'affiliate', affiliateId: Number(values.DEMO_AFFILIATE_ID) });
    const link = await affiliate.get(`/v1/offers/${values.DEMO_OFFER_ID}/tracking-link?sub1=demo`);
    expect(link.body).toMatchObject({ approvalStatus: 'approved' });
    expect((await api.as(values.DEMO_ADVERTISER_KEY).get(`/v1/advertisers/${values.DEMO_ADVERTISER_ID}/postback-url`)).status).toBe(200);
    expect((await api.as(values.DEMO_ADMIN_KEY).get('/v1/network-settings')).status).toBe(200);

    const catalogue = await loadCatalog(api.service.app.get(PrismaService));
    expect(catalogue.offers.map((offer) => [offer.name, offer.goals.map((goal) => goal.code)])).toEqual([
      ['Demo Shop: Sneakers', ['sale', 'lead']],
      ['Demo Shop: App install', ['install', 'purchase']],
    ]);
    expect(catalogue.payoutOverrides).toHaveLength(1);

    const second = await seed(api);
    for (const name of ['DEMO_TRACKING_LINK', 'DEMO_POSTBACK_URL', 'DEMO_OFFER_ID', 'DEMO_AFFILIATE_ID', 'DEMO_POSTBACK_TOKEN']) {
      expect([name, second.values[name]]).toEqual([name, values[name]]);
    }
    expect(second.values.DEMO_ADMIN_KEY).not.toBe(values.DEMO_ADMIN_KEY);
    expect((await affiliate.get('/v1/me')).body.reason).toBe('revoked');
    expect((await api.as(second.values.DEMO_AFFILIATE_KEY).get('/v1/me')).status).toBe(200);
    const again = await loadCatalog(api.service.app.get(PrismaService));
    expect([again.offers.length, again.advertisers.length, again.affiliates.length, again.approvals.length]).toEqual([2, 1, 2, 2]);
    const seeded = await api.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_role = 'system'`);
    expect(seeded.rows[0].n).toBeGreaterThan(10);
  }, 120_000);
});
