/**
 * What a stats row can report, computed from the summed measures (alias a).
 * Money and money per click are exact decimal strings; counts are integers;
 * cr is a percentage. "conversions", "revenue" and "payout" mean approved ones.
 */
export type MetricKind = 'count' | 'money' | 'percent';

export interface Metric {
  name: string;
  kind: MetricKind;
  sql: string;
  /** Derived from what the advertiser pays (hidden from affiliates) or from what affiliates earn. */
  reveals: readonly ('revenue' | 'payout')[];
  /** Needs clicks: not available when rows are split by a conversion-only dimension. */
  perClick?: boolean;
}

const perClick = (numerator: string, scale: string) => `round(${scale}${numerator} / nullif(a.clicks, 0), 4)`;

export const METRICS: readonly Metric[] = [
  { name: 'clicks', kind: 'count', sql: 'a.clicks', reveals: [], perClick: true },
  { name: 'unique_clicks', kind: 'count', sql: 'a.unique_clicks', reveals: [], perClick: true },
  { name: 'invalid_clicks', kind: 'count', sql: 'a.invalid_clicks', reveals: [], perClick: true },
  { name: 'conversions', kind: 'count', sql: 'a.approved_conversions', reveals: [] },
  { name: 'pending_conversions', kind: 'count', sql: 'a.pending_conversions', reveals: [] },
  { name: 'rejected_conversions', kind: 'count', sql: 'a.rejected_conversions', reveals: [] },
  { name: 'refunded_conversions', kind: 'count', sql: 'a.refunded_conversions', reveals: [] },
  {
    name: 'total_conversions',
    kind: 'count',
    sql: '(a.approved_conversions + a.pending_conversions + a.rejected_conversions + a.refunded_conversions)',
    reveals: [],
  },
  { name: 'revenue', kind: 'money', sql: 'a.approved_revenue', reveals: ['revenue'] },
  { name: 'pending_revenue', kind: 'money', sql: 'a.pending_revenue', reveals: ['revenue'] },
  { name: 'payout', kind: 'money', sql: 'a.approved_payout', reveals: ['payout'] },
  { name: 'pending_payout', kind: 'money', sql: 'a.pending_payout', reveals: ['payout'] },
  { name: 'profit', kind: 'money', sql: '(a.approved_revenue - a.approved_payout)', reveals: ['revenue', 'payout'] },
  { name: 'cr', kind: 'percent', sql: perClick('a.approved_conversions', '100.0 * '), reveals: [], perClick: true },
  { name: 'epc', kind: 'money', sql: perClick('a.approved_payout', ''), reveals: ['payout'], perClick: true },
  { name: 'rpc', kind: 'money', sql: perClick('a.approved_revenue', ''), reveals: ['revenue'], perClick: true },
];

export function metric(name: string): Metric | undefined {
  return METRICS.find((candidate) => candidate.name === name);
}
