import { dataOf, managementClient } from '@tracklane/api-client';
import { PgBouncer } from '@tracklane/testing';
import { Client } from 'pg';
import type { LoadNetwork } from '../support/network';
import { platformErrors } from '../support/logs';
import { expectPromisesKept } from '../support/promises';
import { untilServed, withTraffic } from '../support/traffic';
import { startWholePlatform, WholePlatform } from '../support/whole-platform';

/** PgBouncer's server connections: far fewer than the services' pools hold together. */
const POOL_SIZE = 5;
const TRAFFIC_MS = 12_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one look at both ends of the pooler finds. */
interface Sample {
  /** Client ports of the PostgreSQL backends serving the test database. */
  backendPorts: number[];
  /** Local ports of PgBouncer's connections to PostgreSQL. */
  serverPorts: number[];
  /** Connections the services hold to PgBouncer. */
  clients: number;
}

/**
 * Every service reaches PostgreSQL only through a PgBouncer in transaction
 * mode with five server connections, as a production network would run it:
 * a transaction may land on any server connection, so anything a service
 * keeps on a connection between transactions (a named prepared statement, a
 * session setting or lock, LISTEN) breaks here. Migrations and the first
 * admin key go straight to PostgreSQL. While clicks and postbacks flow, every
 * backend of the database is one of PgBouncer's, shared by more clients than
 * it has; afterwards every promise holds (each redirected click recorded,
 * each acknowledged postback booked once, the books balanced, the reports
 * equal to the ledger), and management and reporting read through it too,
 * including a CSV export read through a server-side cursor.
 */
describe('the platform through PgBouncer in transaction mode', () => {
  let bouncer: PgBouncer | undefined;
  let world: WholePlatform;
  let network: LoadNetwork;

  beforeAll(async () => {
    world = await startWholePlatform({
      serviceEnv: async (stack) => {
        bouncer = await PgBouncer.start(stack.database.url, { poolSize: POOL_SIZE });
        return { DATABASE_URL: bouncer.url };
      },
    });
    network = await world.createNetwork({ offers: 2, affiliates: 3 });
  });
  afterAll(async () => {
    await world?.stop().catch(() => undefined);
    await bouncer?.stop();
  });

  it('keeps every promise with all database traffic multiplexed over five server connections', async () => {
    const pgbouncer = bouncer as PgBouncer;
    const traffic = { clickIngestUrl: world.url('click-ingest'), postbackIngestUrl: world.url('postback-ingest'), network };
    await untilServed(traffic);
    const transactionsBefore = await transactionsThrough(pgbouncer, world.stack.database.name);

    const samples: Sample[] = [];
    const direct = new Client({ connectionString: world.stack.database.url });
    await direct.connect();
    const result = await withTraffic({ ...traffic, concurrency: 6, clicksPerConversion: 10 }, async () => {
      try {
        const end = Date.now() + TRAFFIC_MS;
        while (Date.now() < end) {
          samples.push(await sample(direct, pgbouncer, world.stack.database.name));
          await pause(1_000);
        }
      } finally {
        await direct.end();
      }
    });

    expect(result.clicks.wrongAnswers).toEqual([]);
    expect(result.postbacks.wrongAnswers).toEqual([]);
    expect(result.clicks.redirected.length).toBeGreaterThan(200);
    expect(result.postbacks.accepted.size).toBeGreaterThan(20);

    // No service goes around PgBouncer: every backend of the database is one of its server connections (read
    // after the backends, so one opened in between is listed), never more than its pool, shared by more clients.
    expect([...new Set(samples.flatMap((each) => each.backendPorts.filter((port) => !each.serverPorts.includes(port))))]).toEqual([]);
    expect(Math.max(...samples.map((each) => each.backendPorts.length))).toBeLessThanOrEqual(POOL_SIZE);
    expect(Math.max(...samples.map((each) => each.clients))).toBeGreaterThan(POOL_SIZE);
    const transactions = (await transactionsThrough(pgbouncer, world.stack.database.name)) - transactionsBefore;
    expect(transactions).toBeGreaterThan(result.postbacks.accepted.size);

    const reporting = { url: world.url('reporting'), adminKey: world.adminKey };
    const kept = await expectPromisesKept(world, result, 120_000);
    expect(kept.reportClicks).toBe(kept.clicksRecorded);
    // Nothing was refused on the way, not even once and then retried: a named prepared statement, a session
    // setting or lock that stayed on another server connection would be, and the batch retried until it got lucky.
    expect(platformErrors(world)).toEqual([]);

    // Reads through PgBouncer: the conversion log as CSV (DECLARE and FETCH of a cursor, in one transaction) and
    // conversions from the management API.
    const accepted = [...result.postbacks.accepted.values()].map((postback) => postback.conversionId);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const csv = await fetch(`${reporting.url}/v1/reports/conversions?from=${day(-2)}&to=${day(1)}&format=csv`, {
      headers: { 'x-api-key': world.adminKey },
    });
    expect(csv.status).toBe(200);
    const [header, ...lines] = (await csv.text()).trim().split('\r\n');
    const idColumn = header.split(',').indexOf('conversion_id');
    const logged = new Set(lines.map((line) => line.split(',')[idColumn]));
    expect(accepted.filter((id) => !logged.has(id))).toEqual([]);

    const admin = managementClient({ baseUrl: world.url('management'), apiKey: world.adminKey });
    for (const conversionId of accepted.slice(0, 20)) {
      const conversion = dataOf(await admin.GET('/v1/conversions/{conversionId}', { params: { path: { conversionId } } }));
      expect(conversion.conversionId).toBe(conversionId);
    }
  }, 300_000);
});

async function sample(direct: Client, pgbouncer: PgBouncer, database: string): Promise<Sample> {
  const { rows } = await direct.query<{ client_port: number }>(
    `SELECT client_port FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    [database],
  );
  const servers = await pgbouncer.show('SERVERS');
  const clients = await pgbouncer.show('CLIENTS');
  return {
    backendPorts: rows.map((row) => row.client_port),
    serverPorts: servers.filter((server) => server.database === database).map((server) => Number(server.local_port)),
    clients: clients.filter((client) => client.database === database).length,
  };
}

/** Transactions PgBouncer has passed to the database since it started. */
async function transactionsThrough(pgbouncer: PgBouncer, database: string): Promise<number> {
  const stats = await pgbouncer.show('STATS');
  return Number(stats.find((row) => row.database === database)?.total_xact_count ?? 0);
}
