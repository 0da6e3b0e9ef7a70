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

/**
 * What every rollup row sums. Money is kept in whole ten-thousandths of the
 * currency unit (the *_e4 columns: NUMERIC(18,4) × 10⁴ as numeric(38, 0)),
 * exact like the ledger's amounts; a bigint would overflow after ten
 * conversions at the largest amount a postback may be allowed (10¹⁴).
 */
export const MEASURE_COLUMNS = [
  'clicks',
  'unique_clicks',
  'invalid_clicks',
  'approved_conversions',
  'pending_conversions',
  'rejected_conversions',
  'refunded_conversions',
  'approved_revenue_e4',
  'pending_revenue_e4',
  'approved_payout_e4',
  'pending_payout_e4',
] as const;
export type MeasureColumn = (typeof MEASURE_COLUMNS)[number];

export interface RollupLevel {
  name: string;
  dimensions: readonly DimensionColumn[];
  /** Holds conversions only: answers reports split by goal or status, and never reports with clicks. */
  conversionsOnly?: boolean;
}

/**
 * Ordered from the smallest to the largest expected rollup; the first that
 * covers a query wins. An offer belongs to one advertiser and has one
 * currency, so advertiser_id and currency cost no rows where offer_id is
 * kept. Goals split only conversions, so only the conversion level and the
 * full level keep them: elsewhere a click and the conversions it led to
 * share a row.
 */
export const ROLLUP_LEVELS: readonly RollupLevel[] = [
  { name: 'conversion', dimensions: ['advertiser_id', 'offer_id', 'affiliate_id', 'goal_id', 'currency'], conversionsOnly: true },
  { name: 'offer', dimensions: ['advertiser_id', 'offer_id', 'currency'] },
  { name: 'affiliate', dimensions: ['affiliate_id', 'currency'] },
  { name: 'offer_affiliate', dimensions: ['advertiser_id', 'offer_id', 'affiliate_id', 'currency'] },
  { name: 'offer_geo', dimensions: ['advertiser_id', 'offer_id', 'currency', 'country', 'device'] },
  { name: 'offer_affiliate_geo', dimensions: ['advertiser_id', 'offer_id', 'affiliate_id', 'currency', 'country', 'device'] },
  { name: 'full', dimensions: DIMENSION_COLUMNS },
];

export type TimeGrain = 'hourly' | 'daily';

export function rollupTable(level: RollupLevel, grain: TimeGrain): string {
  return `rep_${grain}_${level.name}`;
}

/** The smallest rollup holding every one of these dimensions (and clicks, unless only conversions are asked for). */
export function coveringLevel(needed: Iterable<DimensionColumn>, conversionsOnly = false): RollupLevel {
  const wanted = [...needed];
  const level = ROLLUP_LEVELS.find(
    (candidate) => (conversionsOnly || !candidate.conversionsOnly) && wanted.every((column) => candidate.dimensions.includes(column)),
  );
  if (!level) throw new Error(`no rollup holds ${wanted.join(', ')}`); // the full level holds every dimension
  return level;
}
