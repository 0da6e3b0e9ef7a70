import { createTestDatabase, TestDatabase } from '@tracklane/testing';
import { Client, Pool } from 'pg';
import { createPool, inTransaction, isDataError } from '../src';

/** The error Postgres itself raises for a statement. */
async function refusal(pool: Pool, sql: string, values: unknown[] = []): Promise<unknown> {
  return pool.query(sql, values).then(
    () => {
      throw new Error(`expected ${sql} to fail`);
    },
    (error: unknown) => error,
  );
}

describe('Postgres helpers against a real Postgres', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createPool(database.url, 3);
    await pool.query(`CREATE TABLE helper_probe (
      id int PRIMARY KEY, status text NOT NULL CHECK (status IN ('approved', 'pending')), parent int REFERENCES helper_probe (id), note text)`);
    await pool.query(`INSERT INTO helper_probe (id, status) VALUES (1, 'approved')`);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('classifies what the data causes as data errors, and races and missing rows as transient', async () => {
    expect(isDataError(await refusal(pool, `INSERT INTO helper_probe (id, status, note) VALUES (2, 'approved', $1)`, ['a\u0000b']))).toBe(true);
    expect(isDataError(await refusal(pool, `INSERT INTO helper_probe (id, status) VALUES (2, 'lost')`))).toBe(true);
    expect(isDataError(await refusal(pool, `INSERT INTO helper_probe (id, status) VALUES (2, NULL)`))).toBe(true);
    expect(isDataError(await refusal(pool, `SELECT convert_from('\\x610062', 'UTF8')`))).toBe(true);
    expect(isDataError(await refusal(pool, `INSERT INTO helper_probe (id, status) VALUES (1, 'approved')`))).toBe(false);
    expect(isDataError(await refusal(pool, `INSERT INTO helper_probe (id, status, parent) VALUES (3, 'approved', 99)`))).toBe(false);
  });

  it('commits what resolves and rolls back what throws', async () => {
    await inTransaction(pool, (client) => client.query(`INSERT INTO helper_probe (id, status) VALUES (10, 'pending')`));
    await expect(
      inTransaction(pool, async (client) => {
        await client.query(`INSERT INTO helper_probe (id, status) VALUES (11, 'pending')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await pool.query(`SELECT id FROM helper_probe WHERE id IN (10, 11) ORDER BY id`);
    expect(rows).toEqual([{ id: 10 }]);
  });

  it('runs read-only transactions that refuse writes', async () => {
    const error = await inTransaction(pool, (client) => client.query(`INSERT INTO helper_probe (id, status) VALUES (12, 'pending')`), { readOnly: true }).catch(
      (thrown: { code?: string }) => thrown,
    );
    expect((error as { code?: string }).code).toBe('25006');
  });

  it('destroys a connection that broke mid-transaction instead of handing it out again', async () => {
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const failure = await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await client.query('SELECT 1');
      }).catch((error: Error) => error);
      expect(failure).toBeInstanceOf(Error);
      // Every connection the pool hands out afterwards works.
      const answers = await Promise.all([1, 2, 3].map(() => pool.query<{ ok: number }>('SELECT 1 AS ok')));
      expect(answers.map((answer) => answer.rows[0].ok)).toEqual([1, 1, 1]);
    } finally {
      await admin.end();
    }
  });
});
