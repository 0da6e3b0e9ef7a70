import { migrate, readMigrations } from '@tracklane/db';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { testServices } from './services';
import { uniqueName } from './wait';

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

const TEMPLATE_LOCK = 7_246_351_002;

function serverUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(base: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl(base, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops a test database once the connections to it are gone (2 s at most),
 * then drops it anyway. A pool's end() resolves when it has asked its
 * clients to close, not when the server has let them go; a FORCE drop in
 * that moment terminates them, and a pool with no error listener throws the
 * termination into whichever test runs next.
 */
function dropDatabase(base: string, name: string): Promise<void> {
  return withAdmin(base, async (admin) => {
    for (const deadline = Date.now() + 2_000; Date.now() < deadline; ) {
      const { rows } = await admin.query<{ open: number }>('SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0].open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

let template: Promise<string> | undefined;

/**
 * A database with every migration applied, created once per migration set
 * and copied (CREATE DATABASE … TEMPLATE) for each test: migrations run once
 * per run, not once per test.
 */
function migratedTemplate(base: string): Promise<string> {
  template ??= withAdmin(base, async (admin) => {
    const digest = createHash('sha256');
    for (const migration of readMigrations()) digest.update(migration.name).update(migration.checksum);
    const name = `tracklane_template_${digest.digest('hex').slice(0, 16)}`;
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`DROP DATABASE IF EXISTS ${building}`);
        await admin.query(`CREATE DATABASE ${building}`);
        await migrate(serverUrl(base, building));
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
    return name;
  });
  return template;
}

/** A fresh, migrated database of its own for one test suite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { databaseUrl } = await testServices();
  const templateName = await migratedTemplate(databaseUrl);
  const name = uniqueName('tracklane_test').toLowerCase();
  await withAdmin(databaseUrl, async (admin) => {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`);
    // Tests do not need commits to survive a power cut; this makes them much faster.
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  });
  return {
    name,
    url: serverUrl(databaseUrl, name),
    drop: () => dropDatabase(databaseUrl, name),
  };
}

/** An empty database (no migrations), for testing the migrations themselves. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const { databaseUrl } = await testServices();
  const name = uniqueName('tracklane_test').toLowerCase();
  return {
    name,
    url: serverUrl(databaseUrl, name),
    drop: () => dropDatabase(databaseUrl, name),
  };
}
