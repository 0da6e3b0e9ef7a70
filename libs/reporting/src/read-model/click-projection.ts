import { ClickV1 } from '@tracklane/contracts';
import { PoolClient } from 'pg';
import { clickFacts } from './raw-facts';
import { rollupWriteCtes } from './rollup-sql';

/** Flagged as a bot or over the rate limit, or sent to a fallback. "unverified" only says the checks could not run. */
function isInvalid(click: ClickV1): boolean {
  return click.flags.includes('bot') || click.flags.includes('rate_limited') || click.disposition !== 'accepted';
}

const COLUMNS: [name: string, type: string, value: (click: ClickV1) => unknown][] = [
  ['click_id', 'text', (click) => click.clickId],
  ['occurred_at', 'timestamptz', (click) => click.occurredAt],
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
const arrays = COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
const projected = names.map((name) => {
  if (name === 'flags') return `coalesce(string_to_array(nullif(i.flags, ''), ','), '{}')`;
  if (name === 'params') return 'i.params::jsonb';
  return `i.${name}`;
});

/**
 * One statement per batch: new clicks into rep_clicks (a click id seen before
 * is skipped), and exactly those new clicks into every rollup.
 */
const RECORD_CLICKS = `
WITH incoming AS (
  SELECT * FROM unnest(${arrays}) AS i(${names.join(', ')})
),
inserted AS (
  INSERT INTO rep_clicks (${names.join(', ')}, currency)
  SELECT ${projected.join(', ')}, coalesce(o.currency, 'XXX')
  FROM incoming i LEFT JOIN offers o ON o.id = i.offer_id
  ON CONFLICT (click_id) DO NOTHING
  RETURNING *
),
facts AS (${clickFacts('inserted')}),
${rollupWriteCtes({ source: 'facts' }).join(',\n')}
SELECT count(*)::int AS recorded FROM inserted`;

/** Records clicks and counts them in the rollups; returns how many were new. */
export async function recordClicks(client: PoolClient, clicks: ClickV1[]): Promise<number> {
  const values = COLUMNS.map(([, , value]) => clicks.map(value));
  const { rows } = await client.query<{ recorded: number }>(RECORD_CLICKS, values);
  return rows[0].recorded;
}
