import { inTransaction } from '@tracklane/db';
import { Pool, PoolClient } from 'pg';

/**
 * Writers of the read model hold this advisory lock shared; registering a
 * new day zone holds it exclusively while it backfills, so no batch can slip
 * between the backfill's snapshot and the zone becoming visible to writers.
 */
const READ_MODEL_LOCK = 7_246_351_500;

export type LockMode = 'shared' | 'exclusive';

export function inReadModelTransaction<T>(pool: Pool, mode: LockMode, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query(mode === 'shared' ? 'SELECT pg_advisory_xact_lock_shared($1)' : 'SELECT pg_advisory_xact_lock($1)', [READ_MODEL_LOCK]);
    return work(client);
  });
}
