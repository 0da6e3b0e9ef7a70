/**
 * The rollups reporting keeps: the same measures summed at several sets of
 * dimensions (a small cube), each at two time grains. A query reads the
 * smallest rollup that holds every dimension it groups or filters by, so a
 * 90-day report by offer reads one row per offer and day instead of millions
 * of clicks.
 *
 *   rep_hourly_<level>  one row per UTC hour and dimension values: exact for any
 *                       bucket edge that falls on a whole UTC hour
 *   rep_daily_<level>   one row per local day, for each time zone in
 *                       rep_day_zones (REPORTING_DAY_ZONES)
 *
 * Rows are keyed by a SHA-256 of their dimension values (dims_key): sub ids
 * may be long and NULL, which neither a btree key nor a primary key takes well.
 */
export const DIMENSION_COLUMNS = [
  'advertiser_id',
  'offer_id',
  'affiliate_id',
  'goal_id',
  'currency',
  'country',
  'device',
  'source',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
] as const;
export type DimensionColumn = (typeof DIMENSION_COLUMNS)[number];

/** What every rollup row sums. Clicks carry no goal: their rows have goal_id NULL. */
export const MEASURE_COLUMNS = [
  'clicks',
  'unique_clicks',
  'invalid_clicks',
  'approved_conversions',
  'pending_conversions',
  'rejected_conversions',
  'refunded_conversions',
  'approved_revenue',
  'pending_revenue',
  'approved_payout',
  'pending_payout',
] as const;
export type MeasureColumn = (typeof MEASURE_COLUMNS)[number];

export const MONEY_MEASURES: readonly MeasureColumn[] = ['approved_revenue', 'pending_revenue', 'approved_payout', 'pending_payout'];

export interface RollupLevel {
  name: string;
  dimensions: readonly DimensionColumn[];
}

const TENANT_AND_MONEY: readonly DimensionColumn[] = ['advertiser_id', 'goal_id', 'currency'];

/** Ordered from the smallest to the largest expected rollup; the first that covers a query wins. */
export const ROLLUP_LEVELS: readonly RollupLevel[] = [
  { name: 'offer', dimensions: [...TENANT_AND_MONEY, 'offer_id'] },
  { name: 'affiliate', dimensions: [...TENANT_AND_MONEY, 'affiliate_id'] },
  { name: 'offer_affiliate', dimensions: [...TENANT_AND_MONEY, 'offer_id', 'affiliate_id'] },
  { name: 'offer_geo', dimensions: [...TENANT_AND_MONEY, 'offer_id', 'country', 'device'] },
  { name: 'offer_affiliate_geo', dimensions: [...TENANT_AND_MONEY, 'offer_id', 'affiliate_id', 'country', 'device'] },
  { name: 'full', dimensions: DIMENSION_COLUMNS },
];

export type TimeGrain = 'hourly' | 'daily';

export function rollupTable(level: RollupLevel, grain: TimeGrain): string {
  return `rep_${grain}_${level.name}`;
}

/** The smallest rollup holding every one of these dimensions. */
export function coveringLevel(needed: Iterable<DimensionColumn>): RollupLevel {
  const wanted = [...needed];
  const level = ROLLUP_LEVELS.find((candidate) => wanted.every((column) => candidate.dimensions.includes(column)));
  if (!level) throw new Error(`no rollup holds ${wanted.join(', ')}`); // the full level holds every dimension
  return level;
}
