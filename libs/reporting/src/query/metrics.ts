import { MeasureColumn } from '../read-model/rollup-levels';

/**
 * What a stats row can report, computed from the summed measures (alias a).
 * Money and money per click are exact decimals with 4 places (measures hold
 * ten-thousandths, so × 0.0001 gives them their scale); counts are integers;
 * cr is a percentage. "conversions", "revenue" and "payout" mean approved ones.
 */
export type MetricKind = 'count' | 'money' | 'percent';

export interface Metric {
  name: string;
  kind: MetricKind;
  sql: string;
  /** The sums it is computed from. */
  measures: readonly MeasureColumn[];
  /** Derived from what the advertiser pays (hidden from affiliates) or from what affiliates earn. */
  reveals: readonly ('revenue' | 'payout')[];
  /** Needs clicks: not available when rows are split by a conversion-only dimension. */
  perClick?: boolean;
}

const money = (e4: string) => `(${e4}) * 0.0001`;
// Ten-thousandths per click, rounded half away from zero, then given their scale.
const moneyPerClick = (e4: string) => `round(${e4} / nullif(a.clicks, 0)) * 0.0001`;
const counts = (name: string, measure: MeasureColumn, perClick = false): Metric => ({
  name,
  kind: 'count',
  sql: `a.${measure}`,
  measures: [measure],
  reveals: [],
  perClick,
});

export const METRICS: readonly Metric[] = [
  counts('clicks', 'clicks', true),
  counts('unique_clicks', 'unique_clicks', true),
  counts('invalid_clicks', 'invalid_clicks', true),
  counts('conversions', 'approved_conversions'),
  counts('pending_conversions', 'pending_conversions'),
  counts('rejected_conversions', 'rejected_conversions'),
  counts('refunded_conversions', 'refunded_conversions'),
  {
    name: 'total_conversions',
    kind: 'count',
    sql: '(a.approved_conversions + a.pending_conversions + a.rejected_conversions + a.refunded_conversions)',
    measures: ['approved_conversions', 'pending_conversions', 'rejected_conversions', 'refunded_conversions'],
    reveals: [],
  },
  { name: 'revenue', kind: 'money', sql: money('a.approved_revenue_e4'), measures: ['approved_revenue_e4'], reveals: ['revenue'] },
  { name: 'pending_revenue', kind: 'money', sql: money('a.pending_revenue_e4'), measures: ['pending_revenue_e4'], reveals: ['revenue'] },
  { name: 'payout', kind: 'money', sql: money('a.approved_payout_e4'), measures: ['approved_payout_e4'], reveals: ['payout'] },
  { name: 'pending_payout', kind: 'money', sql: money('a.pending_payout_e4'), measures: ['pending_payout_e4'], reveals: ['payout'] },
  {
    name: 'profit',
    kind: 'money',
    sql: money('a.approved_revenue_e4 - a.approved_payout_e4'),
    measures: ['approved_revenue_e4', 'approved_payout_e4'],
    reveals: ['revenue', 'payout'],
  },
  {
    name: 'cr',
    kind: 'percent',
    sql: 'round(100.0 * a.approved_conversions / nullif(a.clicks, 0), 4)',
    measures: ['approved_conversions', 'clicks'],
    reveals: [],
    perClick: true,
  },
  { name: 'epc', kind: 'money', sql: moneyPerClick('a.approved_payout_e4'), measures: ['approved_payout_e4', 'clicks'], reveals: ['payout'], perClick: true },
  { name: 'rpc', kind: 'money', sql: moneyPerClick('a.approved_revenue_e4'), measures: ['approved_revenue_e4', 'clicks'], reveals: ['revenue'], perClick: true },
];

export function metric(name: string): Metric | undefined {
  return METRICS.find((candidate) => candidate.name === name);
}
