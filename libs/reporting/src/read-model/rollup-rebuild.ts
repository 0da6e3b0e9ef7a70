import type { ReadModelTx } from './projection-transaction';
import { ALL_RAW_FACTS } from './raw-facts';
import { MEASURE_COLUMNS, ROLLUP_LEVELS, RollupLevel, rollupTable } from './rollup-levels';
import { allRollupTables, rollupUpserts } from './rollup-sql';

type Progress = (table: string) => void;

const FULL = ROLLUP_LEVELS.find((level) => level.name === 'full') as RollupLevel;

/** An hourly rollup read back as a fact source: each row's hour stands for the time of its facts. */
function hourlyFacts(level: RollupLevel): string {
  return `(SELECT hour AS at, ${[...level.dimensions, ...MEASURE_COLUMNS].join(', ')} FROM ${rollupTable(level, 'hourly')})`;
}

/** Whether every UTC hour the data covers lies inside one local day of the zone (true unless it is 30 or 45 minutes off UTC). */
async function wholeHourZone(tx: ReadModelTx, zone: string): Promise<boolean> {
  const [{ whole }] = await tx.$queryRawUnsafe<[{ whole: boolean }]>(
    `SELECT coalesce(bool_and(extract(epoch FROM (h.hour AT TIME ZONE $1) - (h.hour AT TIME ZONE 'UTC'))::bigint % 3600 = 0), true) AS whole
     FROM (SELECT DISTINCT hour FROM ${rollupTable(FULL, 'hourly')}) h`,
    zone,
  );
  return whole;
}

/**
 * The rollup statements are generated from the rollup levels (constants: table and column names), so they run as
 * Prisma's "unsafe" raw calls, with the zone bound as $1.
 */
async function write(tx: ReadModelTx, statements: { name: string; sql: string }[], values: unknown[], progress: Progress): Promise<void> {
  for (const statement of statements) {
    await tx.$executeRawUnsafe(statement.sql, ...values);
    progress(statement.name.replace(/^w_/, ''));
  }
}

/**
 * Fills one zone's daily rollups from scratch. In a zone whose days start on
 * whole UTC hours each hourly row lies within one local day, so the days are
 * summed from the hourly rollups; otherwise from the raw rows.
 */
export async function fillDailyRollups(tx: ReadModelTx, zone: string, progress: Progress = () => undefined): Promise<void> {
  const zones = '(SELECT $1::text AS zone)';
  if (!(await wholeHourZone(tx, zone))) {
    await write(tx, rollupUpserts({ source: ALL_RAW_FACTS, hourly: false, zones }), [zone], progress);
    return;
  }
  for (const level of ROLLUP_LEVELS) {
    await write(tx, rollupUpserts({ source: hourlyFacts(level), hourly: false, zones, levels: [level] }), [zone], progress);
  }
}

/**
 * Recomputes every rollup: the full hourly rollup from the raw rows, each
 * other hourly rollup from the smallest finer one already built, the daily
 * ones per registered zone. For data loaded straight into the raw tables (the
 * benchmark) and for repairs; run it inside inReadModelTransaction(…,
 * 'exclusive') so no batch interleaves.
 */
export async function rebuildRollups(tx: ReadModelTx, progress: Progress = () => undefined): Promise<void> {
  await tx.$executeRawUnsafe(`TRUNCATE ${allRollupTables().join(', ')}`);
  // Secondary indexes are built once at the end, from sorted data, instead of row by row.
  const indexes = await tx.$queryRaw<{ name: string; definition: string }[]>`
    SELECT indexname AS name, indexdef AS definition FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = ANY(${allRollupTables()}::text[]) AND indexname NOT LIKE '%\\_pkey'`;
  for (const index of indexes) await tx.$executeRawUnsafe(`DROP INDEX ${index.name}`);
  const hourly = (level: RollupLevel, source: string) => rollupUpserts({ source, zones: null, levels: [level] });
  await write(tx, hourly(FULL, ALL_RAW_FACTS), [], progress);
  const built: RollupLevel[] = [FULL];
  for (const level of [...ROLLUP_LEVELS].reverse().filter((candidate) => candidate !== FULL)) {
    // Conversion rows keep their goal, which only the full level has besides the conversion level.
    const finer = [...built]
      .reverse()
      .find((candidate) => !candidate.conversionsOnly && level.dimensions.every((column) => candidate.dimensions.includes(column)));
    await write(tx, hourly(level, hourlyFacts(finer ?? FULL)), [], progress);
    built.push(level);
  }
  const zones = await tx.reportingDayZone.findMany({ select: { zone: true }, orderBy: { zone: 'asc' } });
  for (const { zone } of zones) await fillDailyRollups(tx, zone, progress);
  for (const index of indexes) await tx.$executeRawUnsafe(index.definition);
  progress('indexes');
}
