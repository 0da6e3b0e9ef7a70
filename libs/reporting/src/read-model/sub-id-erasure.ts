import { MEASURE_COLUMNS, ROLLUP_LEVELS, rollupTable } from './rollup-levels';
import { additions, dimsKey } from './rollup-sql';

/** What an erased sub id reads as, everywhere it was stored (the ledger's trigger allows exactly this value, 0930). */
export const ERASED_SUB_ID = '(erased)';

const SUB_IDS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'];
/** Where an affiliate's own id for a visitor may be stored on a click or a conversion. */
export const VISITOR_ID_COLUMNS = [...SUB_IDS, 'aff_click_id'];

/** A row of the affiliate ($1) that holds the value ($2) in one of `columns`. */
export const holdsSubId = (alias: string, columns: readonly string[] = VISITOR_ID_COLUMNS) =>
  `${alias}.affiliate_id = $1 AND $2 IN (${columns.map((column) => `${alias}.${column}`).join(', ')})`;

/** SET list that replaces the value ($2) with the marker ($3) in `columns`. */
export const replacingSubId = (columns: readonly string[] = VISITOR_ID_COLUMNS) =>
  columns.map((column) => `${column} = CASE WHEN ${column} = $2 THEN $3 ELSE ${column} END`).join(', ');

/**
 * A statement with its values, and how to count the rows whose value it replaced: its row count
 * ('rowCount'), the `moved` column of its one result row ('moved'), or not at all (null: it only locks).
 */
export interface SubIdErasureStatement {
  sql: string;
  values: unknown[];
  counted: 'rowCount' | 'moved' | null;
}

/**
 * The read model's statements that replace one affiliate's sub id value
 * with ERASED_SUB_ID, to run in one transaction: the raw clicks and
 * conversions, then each full rollup (the only level that keeps sub ids).
 * A rollup's rows are locked in key order first (as the projector locks its
 * rows), then moved in one statement: the rows deleted are exactly the rows
 * whose measures are added under their new dimensions, so every total stays
 * what it was (a row the projector adds meanwhile keeps the value, and its
 * figures: erasing again takes it). A report by sub id shows them as (erased).
 */
export function subIdErasureStatements(affiliateId: number, value: string): SubIdErasureStatement[] {
  if (value === ERASED_SUB_ID) throw new Error(`${ERASED_SUB_ID} is what erased ids read as; it cannot be erased`);
  const full = ROLLUP_LEVELS.find((level) => level.name === 'full');
  if (!full) throw new Error('no full rollup level');
  // $1 the affiliate, $2 the value, $3 the marker.
  const found = [affiliateId, value];
  const replacing = [affiliateId, value, ERASED_SUB_ID];
  const statements: SubIdErasureStatement[] = ['rep_clicks', 'rep_conversions'].map((table) => ({
    sql: `UPDATE ${table} r SET ${replacingSubId()} WHERE ${holdsSubId('r')}`,
    values: replacing,
    counted: 'rowCount' as const,
  }));
  const rewritten = full.dimensions.map((column) => (SUB_IDS.includes(column) ? `CASE WHEN m.${column} = $2 THEN $3 ELSE m.${column} END AS ${column}` : `m.${column}`));
  for (const [grain, time] of [
    ['hourly', ['hour']],
    ['daily', ['zone', 'day']],
  ] as const) {
    const table = rollupTable(full, grain);
    const keys = [...time, 'dims_key'];
    statements.push(
      { sql: `SELECT 1 FROM ${table} r WHERE ${holdsSubId('r', SUB_IDS)} ORDER BY ${keys.map((column) => `r.${column}`).join(', ')} FOR UPDATE`, values: found, counted: null },
      {
        sql: `WITH moved AS (DELETE FROM ${table} r WHERE ${holdsSubId('r', SUB_IDS)} RETURNING r.*),
        rewritten AS (SELECT ${time.map((column) => `m.${column}`).join(', ')}, ${rewritten.join(', ')}, ${MEASURE_COLUMNS.map((column) => `m.${column}`).join(', ')} FROM moved m),
        added AS (
          INSERT INTO ${table} AS t (${keys.join(', ')}, ${full.dimensions.join(', ')}, ${MEASURE_COLUMNS.join(', ')})
          SELECT ${time.map((column) => `s.${column}`).join(', ')}, ${dimsKey(full, 's')}, ${full.dimensions.map((column) => `s.${column}`).join(', ')},
                 ${MEASURE_COLUMNS.map((column) => `sum(s.${column})`).join(', ')}
          FROM rewritten s
          GROUP BY ${[...time, ...full.dimensions].map((column) => `s.${column}`).join(', ')}
          ORDER BY ${keys.map((_, index) => index + 1).join(', ')}
          ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${additions()}
        )
        SELECT count(*)::int AS moved FROM moved`,
        values: replacing,
        counted: 'moved',
      },
    );
  }
  return statements;
}
