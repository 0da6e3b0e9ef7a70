import { Pool, PoolClient } from 'pg';

export interface TransactionOptions {
  /** BEGIN READ ONLY: reports, which must never write. */
  readOnly?: boolean;
  /** One snapshot for every statement (when a transaction compares several reads). */
  isolation?: 'repeatable read' | 'serializable';
}

/** The BEGIN statement for these options. */
export function beginStatement(options: TransactionOptions = {}): string {
  return ['BEGIN', options.isolation && `ISOLATION LEVEL ${options.isolation.toUpperCase()}`, options.readOnly && 'READ ONLY']
    .filter(Boolean)
    .join(' ');
}

/**
 * The one transaction helper: runs work in one transaction on one pooled
 * connection, committed if it resolves, rolled back if it throws. A
 * connection that cannot even roll back (it broke mid-transaction) is
 * destroyed rather than returned to the pool, which ends its transaction too.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(beginStatement(options));
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
