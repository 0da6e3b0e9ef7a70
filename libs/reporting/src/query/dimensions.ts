import { DimensionColumn } from '../read-model/rollup-levels';

/**
 * Columns only raw conversions hold, in no rollup: a report that groups or
 * filters by one reads rep_conversions for its whole range (conversions are
 * about a hundredth of the rows, and every month of them is kept).
 */
export const RAW_ONLY_COLUMNS = ['coupon_code'] as const;
export type RawOnlyColumn = (typeof RAW_ONLY_COLUMNS)[number];
/** A column a report may group or filter by. */
export type ReportColumn = DimensionColumn | RawOnlyColumn;

export function isRawOnly(column: string): column is RawOnlyColumn {
  return (RAW_ONLY_COLUMNS as readonly string[]).includes(column);
}

export const TIME_GRAINS = ['hour', 'day', 'week', 'month'] as const;
export type TimeGrain = (typeof TIME_GRAINS)[number];

/** Names that join a dimension's id to something a person can read. */
export interface NameLookup {
  column: string;
  table: string;
  /** Kept from keys that may see the id but not the name. */
  hiddenFrom?: 'advertiser' | 'affiliate';
}

export interface AttributeDimension {
  name: string;
  /** Column in the facts and rollups (or the raw conversions only); status is not a column but a split of the conversion measures. */
  column: ReportColumn | 'status';
  /** Output column for the value. */
  output: string;
  names?: NameLookup;
  /** Only conversions have it: clicks cannot be split by it, so click metrics are left out. */
  conversionOnly?: boolean;
}

export const ATTRIBUTE_DIMENSIONS: readonly AttributeDimension[] = [
  { name: 'advertiser', column: 'advertiser_id', output: 'advertiser_id', names: { column: 'advertiser_name', table: 'advertisers' } },
  { name: 'offer', column: 'offer_id', output: 'offer_id', names: { column: 'offer_name', table: 'offers' } },
  {
    name: 'affiliate',
    column: 'affiliate_id',
    output: 'affiliate_id',
    names: { column: 'affiliate_name', table: 'affiliates', hiddenFrom: 'advertiser' },
  },
  { name: 'goal', column: 'goal_id', output: 'goal_id', names: { column: 'goal_name', table: 'goals' }, conversionOnly: true },
  { name: 'sub1', column: 'sub1', output: 'sub1' },
  { name: 'sub2', column: 'sub2', output: 'sub2' },
  { name: 'sub3', column: 'sub3', output: 'sub3' },
  { name: 'sub4', column: 'sub4', output: 'sub4' },
  { name: 'sub5', column: 'sub5', output: 'sub5' },
  { name: 'source', column: 'source', output: 'source' },
  { name: 'country', column: 'country', output: 'country' },
  { name: 'device', column: 'device', output: 'device' },
  { name: 'status', column: 'status', output: 'status', conversionOnly: true },
  // The promo code a conversion was posted with, as the catalogue spells it when the code is known.
  { name: 'coupon_code', column: 'coupon_code', output: 'coupon_code', conversionOnly: true },
];

export const GROUP_BY_NAMES: readonly string[] = [...TIME_GRAINS, ...ATTRIBUTE_DIMENSIONS.map((dimension) => dimension.name)];

export function attributeDimension(name: string): AttributeDimension | undefined {
  return ATTRIBUTE_DIMENSIONS.find((dimension) => dimension.name === name);
}

export type FilterKind = 'id' | 'text' | 'country' | 'currency' | 'status';

/** A filter parameter: rows whose column equals one of the given values. */
export interface FilterDefinition {
  parameter: string;
  column: ReportColumn | 'status';
  kind: FilterKind;
  conversionOnly?: boolean;
}

export const FILTERS: readonly FilterDefinition[] = [
  { parameter: 'advertiser_id', column: 'advertiser_id', kind: 'id' },
  { parameter: 'offer_id', column: 'offer_id', kind: 'id' },
  { parameter: 'affiliate_id', column: 'affiliate_id', kind: 'id' },
  { parameter: 'goal_id', column: 'goal_id', kind: 'id', conversionOnly: true },
  { parameter: 'sub1', column: 'sub1', kind: 'text' },
  { parameter: 'sub2', column: 'sub2', kind: 'text' },
  { parameter: 'sub3', column: 'sub3', kind: 'text' },
  { parameter: 'sub4', column: 'sub4', kind: 'text' },
  { parameter: 'sub5', column: 'sub5', kind: 'text' },
  { parameter: 'source', column: 'source', kind: 'text' },
  { parameter: 'country', column: 'country', kind: 'country' },
  { parameter: 'device', column: 'device', kind: 'text' },
  { parameter: 'currency', column: 'currency', kind: 'currency' },
  { parameter: 'status', column: 'status', kind: 'status', conversionOnly: true },
  { parameter: 'coupon_code', column: 'coupon_code', kind: 'text', conversionOnly: true },
];

export type FilterValues = Map<FilterDefinition, readonly (string | number)[]>;
