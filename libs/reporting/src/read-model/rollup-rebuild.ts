import { PoolClient } from 'pg';
import { clickFacts, conversionFacts } from './raw-facts';
import { allRollupTables, rollupWriteCtes } from './rollup-sql';

const REFILL = `
WITH facts AS (${clickFacts()} UNION ALL ${conversionFacts()}),
${rollupWriteCtes({ source: 'facts' }).join(',\n')}
SELECT 1`;

/**
 * Recomputes every rollup from the raw tables, for every registered day zone.
 * For data loaded straight into the raw tables (the benchmark) and for repairs;
 * run it inside inReadModelTransaction(…, 'exclusive') so no batch interleaves.
 */
export async function rebuildRollups(client: PoolClient): Promise<void> {
  await client.query(`TRUNCATE ${allRollupTables().join(', ')}`);
  await client.query(REFILL);
}
