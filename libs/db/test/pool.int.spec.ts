import { createTestDatabase, TestDatabase } from '@tracklane/testing';
import { Client } from 'pg';
import { createPool } from '../src';

describe('the pool of a service', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('survives the death of a connection checked out for a transaction, and goes on with a new one', async () => {
    const pool = createPool(database.url, 2);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const client = await pool.connect();
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // As when PostgreSQL restarts while a batch holds its transaction open (awaiting Kafka, say).
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await new Promise((resolve) => setTimeout(resolve, 300));

      const failure = await client.query('SELECT 1').then(() => null, (error: Error) => error);
      expect(failure).toBeInstanceOf(Error);
      client.release(failure ?? undefined);
      expect((await pool.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
