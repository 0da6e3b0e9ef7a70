import { ClickV1, idTime } from '@tracklane/contracts';

/**
 * When a click happened, for the read model: the time in its id, as attribution keeps it. occurredAt
 * should be the same instant; where a message says otherwise the id wins, so every copy of a click
 * lands on the one row (click_id, occurred_at) and is counted once.
 */
export function clickTime(click: ClickV1): string {
  return new Date(idTime(click.clickId)).toISOString();
}

/** Flagged as a bot or over the rate limit, or sent to a fallback. "unverified" only says the checks could not run. */
function isInvalid(click: ClickV1): boolean {
  return click.flags.includes('bot') || click.flags.includes('rate_limited') || click.disposition !== 'accepted';
}

const COLUMNS: [name: string, type: string, value: (click: ClickV1) => unknown][] = [
  ['click_id', 'text', (click) => click.clickId],
  ['occurred_at', 'timestamptz', clickTime],
  ['advertiser_id', 'int', (click) => click.advertiserId],
  ['offer_id', 'int', (click) => click.offerId],
  ['affiliate_id', 'int', (click) => click.affiliateId],
  ['sub1', 'text', (click) => click.sub1],
  ['sub2', 'text', (click) => click.sub2],
  ['sub3', 'text', (click) => click.sub3],
  ['sub4', 'text', (click) => click.sub4],
  ['sub5', 'text', (click) => click.sub5],
  ['source', 'text', (click) => click.source],
  ['aff_click_id', 'text', (click) => click.affClickId],
  ['country', 'text', (click) => click.country],
  ['device', 'text', (click) => click.device],
  ['is_unique', 'boolean', (click) => click.unique],
  ['is_invalid', 'boolean', isInvalid],
  // Flags are an enum without commas; a 2-D array cannot have rows of different lengths.
  ['flags', 'text', (click) => click.flags.join(',')],
  ['disposition', 'text', (click) => click.disposition],
  ['ip', 'text', (click) => click.ip],
  ['user_agent', 'text', (click) => click.userAgent],
  ['referrer', 'text', (click) => click.referrer],
  ['params', 'text', (click) => (Object.keys(click.params).length > 0 ? JSON.stringify(click.params) : null)],
];

const names = COLUMNS.map(([name]) => name);
const projected = names.map((name) => {
  if (name === 'flags') return `coalesce(string_to_array(nullif(i.flags, ''), ','), '{}')`;
  if (name === 'params') return 'i.params::jsonb';
  return `i.${name}`;
});

/** How many parameters clickCtes takes. */
export const CLICK_PARAMETERS = COLUMNS.length;

/**
 * CTEs that put new clicks into rep_clicks (a click id seen before is skipped,
 * also within the same statement) and leave exactly those in
 * `inserted_clicks`, for the rollups. Parameters from $first on: clickParameters.
 */
export function clickCtes(first: number): string {
  const arrays = COLUMNS.map(([, type], index) => `$${first + index}::${type}[]`).join(', ');
  return `incoming_clicks AS (
  SELECT * FROM unnest(${arrays}) AS i(${names.join(', ')})
),
inserted_clicks AS (
  INSERT INTO rep_clicks (${names.join(', ')}, currency)
  SELECT ${projected.join(', ')}, coalesce(o.currency, 'XXX')
  FROM incoming_clicks i LEFT JOIN offers o ON o.id = i.offer_id
  ON CONFLICT (click_id, occurred_at) DO NOTHING
  RETURNING *
)`;
}

export function clickParameters(clicks: readonly ClickV1[]): unknown[][] {
  return COLUMNS.map(([, , value]) => clicks.map(value));
}
