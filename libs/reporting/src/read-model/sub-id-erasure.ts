import { MEASURE_COLUMNS, ROLLUP_LEVELS, rollupTable } from './rollup-levels';
import { additions, dimsKey } from './rollup-sql';

/** What an erased sub id reads as, everywhere it was stored (the ledger's trigger allows exactly this value, 0930). */
export const ERASED_SUB_ID = '(erased)';

const SUB_IDS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'];
/** A row of the affiliate ($1) that holds the value ($2) in one of `columns`. */
const holds = (alias: string, columns: string[]) =>
  `${alias}.affiliate_id = $1 AND $2 IN (${columns.map((column) => `${alias}.${column}`).join(', ')})`;
const replaced = (column: string) => `${column} = CASE WHEN ${column} = $2 THEN $3 ELSE ${column} END`;

/** A statement with its values; `replaces`: its row count is rows whose value it replaced. */
export interface SubIdErasureStatement {
  sql: string;
  values: unknown[];
  replaces: boolean;
}

/**
 * The read model's statements that replace one affiliate's sub id value
 * with ERASED_SUB_ID, to run in one transaction: the raw clicks and
 * conversions, then each full rollup (the only level that keeps sub ids),
 * whose rows are locked in key order (as the projector locks them), added
 * under their new dimensions and deleted. Measures move, so every total
 * stays what it was; a report by sub id shows them as (erased).
 */
export function subIdErasureStatements(affiliateId: number, value: string): SubIdErasureStatement[] {
  // $1 the affiliate, $2 the value, $3 the marker.
  const found = [affiliateId, value];
  const replacing = [affiliateId, value, ERASED_SUB_ID];
  const full = ROLLUP_LEVELS.find((level) => level.name === 'full');
  if (!full) throw new Error('no full rollup level');
  const withAffClickId = [...SUB_IDS, 'aff_click_id'];
  const statements = ['rep_clicks', 'rep_conversions'].map((table) => ({
    sql: `UPDATE ${table} r SET ${withAffClickId.map(replaced).join(', ')} WHERE ${holds('r', withAffClickId)}`,
    values: replacing,
    replaces: true,
  }));
  const rewritten = full.dimensions.map((column) => (SUB_IDS.includes(column) ? `CASE WHEN r.${column} = $2 THEN $3 ELSE r.${column} END AS ${column}` : `r.${column}`));
  for (const [grain, time] of [
    ['hourly', ['hour']],
    ['daily', ['zone', 'day']],
  ] as const) {
    const table = rollupTable(full, grain);
    const keys = [...time, 'dims_key'];
    statements.push(
      { sql: `SELECT 1 FROM ${table} r WHERE ${holds('r', SUB_IDS)} ORDER BY ${keys.map((column) => `r.${column}`).join(', ')} FOR UPDATE`, values: found, replaces: false },
      {
        sql: `INSERT INTO ${table} AS t (${keys.join(', ')}, ${full.dimensions.join(', ')}, ${MEASURE_COLUMNS.join(', ')})
        SELECT ${time.map((column) => `s.${column}`).join(', ')}, ${dimsKey(full, 's')}, ${full.dimensions.map((column) => `s.${column}`).join(', ')},
               ${MEASURE_COLUMNS.map((column) => `sum(s.${column})`).join(', ')}
        FROM (SELECT ${time.map((column) => `r.${column}`).join(', ')}, ${rewritten.join(', ')}, ${MEASURE_COLUMNS.map((column) => `r.${column}`).join(', ')}
              FROM ${table} r WHERE ${holds('r', SUB_IDS)}) s
        GROUP BY ${[...time, ...full.dimensions].map((column) => `s.${column}`).join(', ')}
        ORDER BY ${keys.map((_, index) => index + 1).join(', ')}
        ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${additions()}`,
        values: replacing,
        replaces: false,
      },
      { sql: `DELETE FROM ${table} r WHERE ${holds('r', SUB_IDS)}`, values: found, replaces: true },
    );
  }
  return statements;
}
