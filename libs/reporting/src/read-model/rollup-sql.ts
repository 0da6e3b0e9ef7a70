import { DIMENSION_COLUMNS, MEASURE_COLUMNS, ROLLUP_LEVELS, RollupLevel, rollupTable } from './rollup-levels';

/**
 * A fact source is any relation with these columns: `at` (the event time), every
 * dimension column and every measure column. New clicks, conversion deltas and
 * the raw tables are all shaped like this, so one piece of SQL maintains the
 * rollups from any of them.
 */
export const FACT_COLUMNS = ['at', ...DIMENSION_COLUMNS, ...MEASURE_COLUMNS] as const;

/** SHA-256 of the level's dimension values; json keeps NULL, '' and numbers apart. */
export function dimsKey(level: RollupLevel, alias: string): string {
  const values = level.dimensions.map((column) => `${alias}.${column}`).join(', ');
  return `sha256(convert_to(json_build_array(${values})::text, 'UTF8'))`;
}

/** Which facts a level takes: all of them, or (conversion level) those that count conversions. */
function admitted(level: RollupLevel): string {
  if (!level.conversionsOnly) return 'true';
  return '(s.approved_conversions <> 0 OR s.pending_conversions <> 0 OR s.rejected_conversions <> 0 OR s.refunded_conversions <> 0)';
}

export function additions(): string {
  return MEASURE_COLUMNS.map((column) => `${column} = t.${column} + excluded.${column}`).join(', ');
}

/** The conversion level keeps no clicks, even where a click shares a row with a conversion of unknown goal. */
function sums(alias: string, level: RollupLevel): string {
  const clicks = ['clicks', 'unique_clicks', 'invalid_clicks'];
  return MEASURE_COLUMNS.map((column) => (level.conversionsOnly && clicks.includes(column) ? '0' : `sum(${alias}.${column})`)).join(', ');
}

/**
 * INSERT … ON CONFLICT that adds the source's measures to one hourly rollup.
 * Rows go in key order: concurrent writers lock them in the same order (no
 * deadlocks), and a large insert appends to the key's index instead of
 * scattering over it.
 */
function hourlyUpsert(level: RollupLevel, source: string): string {
  const dims = level.dimensions;
  return `INSERT INTO ${rollupTable(level, 'hourly')} AS t (hour, dims_key, ${dims.join(', ')}, ${MEASURE_COLUMNS.join(', ')})
    SELECT date_trunc('hour', s.at), ${dimsKey(level, 's')}, ${dims.map((column) => `s.${column}`).join(', ')}, ${sums('s', level)}
    FROM ${source} s WHERE ${admitted(level)}
    GROUP BY 1, ${dims.map((column) => `s.${column}`).join(', ')}
    ORDER BY 1, 2
    ON CONFLICT (hour, dims_key) DO UPDATE SET ${additions()}`;
}

/** The same for the daily rollup of every zone in `zones` (a relation with a `zone` column). */
function dailyUpsert(level: RollupLevel, source: string, zones: string): string {
  const dims = level.dimensions;
  return `INSERT INTO ${rollupTable(level, 'daily')} AS t (zone, day, dims_key, ${dims.join(', ')}, ${MEASURE_COLUMNS.join(', ')})
    SELECT z.zone, (s.at AT TIME ZONE z.zone)::date, ${dimsKey(level, 's')}, ${dims.map((column) => `s.${column}`).join(', ')}, ${sums('s', level)}
    FROM ${source} s CROSS JOIN ${zones} z WHERE ${admitted(level)}
    GROUP BY 1, 2, ${dims.map((column) => `s.${column}`).join(', ')}
    ORDER BY 1, 2, 3
    ON CONFLICT (zone, day, dims_key) DO UPDATE SET ${additions()}`;
}

export interface RollupWriteOptions {
  /** The fact source: a table or CTE name, or a parenthesised subquery. */
  source: string;
  hourly?: boolean;
  /** Relation listing the zones whose daily rollups to write; default: every registered zone. */
  zones?: string | null;
  /** Only these levels (default: all). */
  levels?: readonly RollupLevel[];
}

/** One INSERT … ON CONFLICT per rollup table that adds the source's measures to it. */
export function rollupUpserts(options: RollupWriteOptions): { name: string; sql: string }[] {
  const zones = options.zones === undefined ? 'rep_day_zones' : options.zones;
  const upserts: { name: string; sql: string }[] = [];
  for (const level of options.levels ?? ROLLUP_LEVELS) {
    if (options.hourly !== false) upserts.push({ name: `w_hourly_${level.name}`, sql: hourlyUpsert(level, options.source) });
    if (zones !== null) upserts.push({ name: `w_daily_${level.name}`, sql: dailyUpsert(level, options.source, zones) });
  }
  return upserts;
}

/**
 * The same upserts as data-modifying CTEs (`name AS (INSERT …)`), to be put in
 * one WITH clause with the statement that produces the source: new rows and
 * their rollups commit together or not at all.
 */
export function rollupWriteCtes(options: RollupWriteOptions): string[] {
  return rollupUpserts(options).map((upsert) => `${upsert.name} AS (${upsert.sql})`);
}

/** Every rollup table, for rebuilds and tests. */
export function allRollupTables(): string[] {
  return ROLLUP_LEVELS.flatMap((level) => [rollupTable(level, 'hourly'), rollupTable(level, 'daily')]);
}
