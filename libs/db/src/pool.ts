import { Pool } from 'pg';

/**
 * The one pg pool of a service (PrismaService owns it). A connection that dies — PostgreSQL
 * restarted, a backend terminated — emits an error on its client. pg listens
 * for it only while the client sits idle in the pool; on a client checked out
 * for a transaction nobody listens, and the error would end the process. Every
 * client therefore gets a listener for its whole life: the query in flight (or
 * the next one) fails with the error and is retried by its caller, and the
 * broken client is discarded when it is released.
 */
export function createPool(url: string, size: number): Pool {
  const pool = new Pool({ connectionString: url, max: size, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', () => undefined); // an idle client's error surfaces on its next query; /readyz shows it
  return pool;
}
