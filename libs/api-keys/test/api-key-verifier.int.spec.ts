import { PrismaService } from '@tracklane/db';
import { createTestDatabase, TestDatabase, waitFor } from '@tracklane/testing';
import { Pool } from 'pg';
import { ApiKeyVerifier, issueApiKey } from '../src';

describe('API key verification against Postgres', () => {
  let database: TestDatabase;
  let prisma: PrismaService;
  /** The test's own look at the table. */
  let pool: Pool;
  let verifier: ApiKeyVerifier;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = new PrismaService(database.url, 2);
    pool = prisma.pool;
    verifier = new ApiKeyVerifier(prisma);
    await pool.query(`INSERT INTO affiliates (id, name) VALUES (5, 'Pub')`);
  });
  afterAll(async () => {
    await prisma.onApplicationShutdown();
    await database.drop();
  });

  async function store(role: string, affiliateId: number | null = null) {
    const issued = issueApiKey();
    const { rows } = await pool.query(
      `INSERT INTO api_keys (key_prefix, key_hash, name, role, affiliate_id) VALUES ($1, $2, 'k', $3, $4) RETURNING id`,
      [issued.prefix, issued.hash, role, affiliateId],
    );
    return { ...issued, id: rows[0].id as number };
  }

  it('establishes who is calling and records when the key was used', async () => {
    const key = await store('affiliate', 5);
    const result = await verifier.verify(key.key);
    expect(result).toEqual({
      ok: true,
      principal: { keyId: key.id, role: 'affiliate', advertiserId: null, affiliateId: 5, readOnly: false },
    });
    const before = Date.now();
    const usedAt: Date = await waitFor(
      async () => (await pool.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id])).rows[0].last_used_at,
      { what: 'last_used_at to be recorded' },
    );
    expect(usedAt).toBeInstanceOf(Date);
    expect(Math.abs(usedAt.getTime() - before)).toBeLessThan(60_000);
  });

  it('says why a key is refused', async () => {
    const key = await store('admin');
    expect(await verifier.verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(await verifier.verify('letmein')).toEqual({ ok: false, reason: 'malformed' });
    // Another last character (a key that happens to end in "x" must not be changed into itself).
    const mistyped = `${key.key.slice(0, -1)}${key.key.endsWith('x') ? 'y' : 'x'}`;
    expect(await verifier.verify(mistyped)).toEqual({ ok: false, reason: 'unknown' });
    await pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.id]);
    expect(await verifier.verify(key.key)).toEqual({ ok: false, reason: 'revoked' });
  });
});
