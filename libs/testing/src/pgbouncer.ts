import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './ports';
import { waitFor } from './wait';

const PGBOUNCER = process.env.PGBOUNCER_PATH ?? '/usr/sbin/pgbouncer';
const START_TIMEOUT_MS = 10_000;

export interface PgBouncerOptions {
  /** Server connections per database and user: kept small so that many clients really share few connections. */
  poolSize?: number;
  /** Client connections it accepts (every service's pool together). */
  maxClientConnections?: number;
}

/** A value of a PgBouncer connection string, quoted. */
const quoted = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * A PgBouncer of a test's own in transaction mode (infra/lib.sh installs
 * Debian's package), in front of one database: `url` reaches that database
 * through it, `show()` reads its admin console. Clients are trusted; it logs
 * in to PostgreSQL as the user of the target URL. PgBouncer refuses to run as
 * root, so under root it switches to the `postgres` user, which must be able
 * to read its temporary directory.
 */
export class PgBouncer {
  private constructor(
    readonly port: number,
    private readonly user: string,
    private readonly database: string,
    private readonly configDir: string,
    private readonly server: ChildProcess,
  ) {}

  static async start(databaseUrl: string, options: PgBouncerOptions = {}): Promise<PgBouncer> {
    const target = new URL(databaseUrl);
    const user = decodeURIComponent(target.username) || userInfo().username;
    const database = decodeURIComponent(target.pathname.slice(1));
    // The name is a key of its configuration file, where it cannot be quoted.
    if (!/^\w+$/.test(database)) throw new Error(`pgbouncer: database name "${database}" is not letters, digits and _`);
    const port = await freePort();
    const configDir = mkdtempSync(join(tmpdir(), 'tracklane-pgbouncer-'));
    chmodSync(configDir, 0o755);
    const server = [
      `host=${quoted(target.hostname)}`,
      `port=${target.port || '5432'}`,
      `dbname=${quoted(database)}`,
      `user=${quoted(user)}`,
      ...(target.password ? [`password=${quoted(decodeURIComponent(target.password))}`] : []),
    ].join(' ');
    writeFileSync(join(configDir, 'users.txt'), `"${user}" ""\n`, { mode: 0o644 });
    writeFileSync(
      join(configDir, 'pgbouncer.ini'),
      [
        '[databases]',
        `${database} = ${server}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${join(configDir, 'users.txt')}`,
        `admin_users = ${user}`,
        'pool_mode = transaction',
        `default_pool_size = ${options.poolSize ?? 5}`,
        `max_client_conn = ${options.maxClientConnections ?? 200}`,
        '',
      ].join('\n'),
      { mode: 0o644 },
    );
    const asUser = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
    const child = spawn(PGBOUNCER, [...asUser, join(configDir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const bouncer = new PgBouncer(port, user, database, configDir, child);
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
    const exited = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`pgbouncer exited with ${code} before it accepted connections:\n${output}`)));
    });
    try {
      await Promise.race([exited, waitFor(() => bouncer.show('VERSION'), { timeoutMs: START_TIMEOUT_MS, what: `pgbouncer on port ${port}` })]);
    } catch (error) {
      await bouncer.stop();
      throw error;
    }
    return bouncer;
  }

  /** The target database, through PgBouncer. */
  get url(): string {
    return `postgresql://${encodeURIComponent(this.user)}@127.0.0.1:${this.port}/${encodeURIComponent(this.database)}`;
  }

  /** `SHOW <what>` on the admin console (STATS, POOLS, CLIENTS, SERVERS, …): one object per row. */
  async show(what: string): Promise<Record<string, unknown>[]> {
    const client = new Client({ host: '127.0.0.1', port: this.port, user: this.user, database: 'pgbouncer' });
    client.on('error', () => undefined);
    await client.connect();
    try {
      // The admin console speaks the simple query protocol only: a query without parameters.
      return (await client.query(`SHOW ${what}`)).rows;
    } finally {
      await client.end();
    }
  }

  /** Kills PgBouncer (its server connections close with it) and removes its configuration. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server.pid !== undefined && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    }
    rmSync(this.configDir, { recursive: true, force: true });
  }
}
