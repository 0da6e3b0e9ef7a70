import { DIMENSION_COLUMNS, MEASURE_COLUMNS } from './rollup-levels';

/**
 * Raw rows seen as fact sources (see FACT_COLUMNS): what the rollups are the
 * sums of. The projector adds new clicks and changed conversions through
 * these; rebuilds, day-zone backfills and the sub-hour edges of a report read
 * the raw tables through them. `relation` has the shape of rep_clicks
 * (alias c) or rep_conversions (alias v).
 */
const SUBS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'];

export function clickFacts(relation = 'rep_clicks', where = 'true'): string {
  return `SELECT c.occurred_at AS at, c.advertiser_id, c.offer_id, c.affiliate_id, NULL::integer AS goal_id, c.currency,
      c.country, c.device, c.source, ${SUBS.map((sub) => `c.${sub}`).join(', ')},
      1::bigint AS clicks, c.is_unique::int::bigint AS unique_clicks, c.is_invalid::int::bigint AS invalid_clicks,
      0::bigint AS approved_conversions, 0::bigint AS pending_conversions, 0::bigint AS rejected_conversions, 0::bigint AS refunded_conversions,
      0::numeric AS approved_revenue_e4, 0::numeric AS pending_revenue_e4, 0::numeric AS approved_payout_e4, 0::numeric AS pending_payout_e4
    FROM ${relation} c WHERE ${where}`;
}

/**
 * A conversion counts once, in its current status; its amounts count for
 * approved and pending (as in the ledger). `extra`: raw-only columns, after
 * the dimensions, for reports that read no rollup and no click.
 */
export function conversionFacts(relation = 'rep_conversions', where = 'true', extra: readonly string[] = []): string {
  const when = (status: string, value: string) => `CASE WHEN v.status = '${status}' THEN ${value} ELSE 0 END`;
  const e4 = (amount: string) => `(${amount} * 10000)::numeric(38, 0)`;
  return `SELECT v.converted_at AS at, v.advertiser_id, v.offer_id, v.affiliate_id, v.goal_id, v.currency,
      v.country, v.device, v.source, ${SUBS.map((sub) => `v.${sub}`).join(', ')},${extra.map((column) => ` v.${column},`).join('')}
      0::bigint AS clicks, 0::bigint AS unique_clicks, 0::bigint AS invalid_clicks,
      ${when('approved', '1')}::bigint AS approved_conversions, ${when('pending', '1')}::bigint AS pending_conversions,
      ${when('rejected', '1')}::bigint AS rejected_conversions, ${when('refunded', '1')}::bigint AS refunded_conversions,
      ${when('approved', e4('v.revenue'))}::numeric AS approved_revenue_e4, ${when('pending', e4('v.revenue'))}::numeric AS pending_revenue_e4,
      ${when('approved', e4('v.payout'))}::numeric AS approved_payout_e4, ${when('pending', e4('v.payout'))}::numeric AS pending_payout_e4
    FROM ${relation} v WHERE ${where}`;
}

/** The same facts with every measure negated: what a changed row takes back out of the rollups. */
export function negatedFacts(facts: string): string {
  return `SELECT f.at, ${DIMENSION_COLUMNS.map((column) => `f.${column}`).join(', ')}, ${MEASURE_COLUMNS.map(
    (column) => `-f.${column} AS ${column}`,
  ).join(', ')} FROM (${facts}) f`;
}

/** Every raw fact, inline: each rollup statement that reads it scans the raw tables itself instead of sharing a huge materialised CTE. */
export const ALL_RAW_FACTS = `(${clickFacts()} UNION ALL ${conversionFacts()})`;
