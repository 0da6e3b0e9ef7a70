import { FILTERS, FilterDefinition } from './dimensions';
import { OutputColumn } from './output-columns';
import { Visibility } from './visibility';

/** A raw log: a table read newest first (or oldest first) by time and id, with keyset pages. */
export interface LogDefinition {
  name: 'clicks' | 'conversions' | 'postbacks' | 'inbound-postbacks';
  table: string;
  time: string;
  id: string;
  idType: 'text' | 'bigint';
  filters: readonly FilterDefinition[];
  columns: readonly LogColumn[];
  /** Keys of this role may not read the log at all. */
  closedTo?: Visibility['role'];
}

export interface LogColumn extends OutputColumn {
  visible?: (visibility: Visibility) => boolean;
}

const time = (column: string) => `to_char(x.${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MSTZH:TZM')`;
// The advertiser's side of a row (its id, the sale, order ids): libs/api-auth's policy, as in the management API.
const advertiserData = (visibility: Visibility) => visibility.advertiserData;
const text = (name: string, sql = `x.${name}`): LogColumn => ({ name, sql, kind: 'text' });
const number = (name: string, sql = `x.${name}`): LogColumn => ({ name, sql, kind: 'number' });
const money = (name: string, visible?: (visibility: Visibility) => boolean): LogColumn => ({
  name,
  sql: `x.${name}::text`,
  kind: 'money',
  visible,
});
const SUBS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source', 'aff_click_id', 'country', 'device'].map((name) => text(name));

export const CLICK_LOG: LogDefinition = {
  name: 'clicks',
  table: 'rep_clicks',
  time: 'occurred_at',
  id: 'click_id',
  idType: 'text',
  filters: FILTERS.filter((filter) => !filter.conversionOnly),
  columns: [
    text('click_id'),
    text('occurred_at', time('occurred_at')),
    { ...number('advertiser_id'), visible: advertiserData },
    number('offer_id'),
    number('affiliate_id'),
    text('currency', 'x.currency::text'),
    ...SUBS,
    { name: 'unique', sql: 'x.is_unique', kind: 'boolean' },
    { name: 'invalid', sql: 'x.is_invalid', kind: 'boolean' },
    text('flags', `array_to_string(x.flags, ',')`),
    text('disposition'),
    text('ip'),
    text('user_agent'),
    text('referrer'),
  ],
};

export const CONVERSION_LOG: LogDefinition = {
  name: 'conversions',
  table: 'rep_conversions',
  time: 'converted_at',
  id: 'conversion_id',
  idType: 'text',
  filters: FILTERS,
  columns: [
    text('conversion_id'),
    text('click_id'),
    text('converted_at', time('converted_at')),
    text('clicked_at', time('clicked_at')),
    text('updated_at', time('last_decided_at')),
    text('status'),
    text('reason'),
    { ...number('advertiser_id'), visible: advertiserData },
    number('offer_id'),
    number('affiliate_id'),
    number('goal_id'),
    text('goal_code'),
    { ...text('order_id'), visible: advertiserData },
    money('sale_amount', advertiserData),
    money('revenue', (visibility) => visibility.revenue),
    money('payout', (visibility) => visibility.payout),
    text('currency', 'x.currency::text'),
    ...SUBS,
    text('coupon_code'),
  ],
};

const postbackFilter = (parameter: string, kind: FilterDefinition['kind']): FilterDefinition =>
  ({ parameter, column: parameter, kind }) as FilterDefinition;

export const POSTBACK_LOG: LogDefinition = {
  name: 'postbacks',
  table: 'postback_deliveries',
  time: 'created_at',
  id: 'id',
  idType: 'bigint',
  closedTo: 'advertiser',
  filters: [
    postbackFilter('affiliate_id', 'id'),
    postbackFilter('offer_id', 'id'),
    postbackFilter('conversion_id', 'text'),
    postbackFilter('state', 'text'),
    postbackFilter('status', 'status'),
  ],
  columns: [
    number('id'),
    text('created_at', time('created_at')),
    text('updated_at', time('updated_at')),
    text('delivered_at', time('delivered_at')),
    text('conversion_id'),
    text('event_id'),
    number('affiliate_id'),
    number('offer_id'),
    text('status'),
    text('method'),
    text('url_masked'),
    text('state'),
    number('attempts'),
    number('last_status_code'),
    text('last_error'),
    number('last_latency_ms'),
  ],
};

/**
 * Postbacks advertisers sent (postback-ingest's inbound_postbacks), accepted
 * or refused, with what was read and decided: for debugging an
 * integration. An advertiser key reads its own (advertiser_id is forced to
 * it); rows no advertiser could be told for are the admins'.
 */
export const INBOUND_POSTBACK_LOG: LogDefinition = {
  name: 'inbound-postbacks',
  table: 'inbound_postbacks',
  time: 'received_at',
  id: 'id',
  idType: 'text',
  closedTo: 'affiliate',
  filters: [
    postbackFilter('advertiser_id', 'id'),
    postbackFilter('outcome', 'text'),
    postbackFilter('click_id', 'text'),
    postbackFilter('order_id', 'text'),
  ],
  columns: [
    text('id'),
    text('received_at', time('received_at')),
    number('advertiser_id'),
    text('endpoint'),
    text('method'),
    text('content_type'),
    text('outcome'),
    number('http_status'),
    text('error'),
    text('reason'),
    { name: 'problems', sql: 'x.problems', kind: 'text' },
    { name: 'params', sql: 'x.params', kind: 'text' },
    { name: 'mapping', sql: 'x.mapping', kind: 'text' },
    { name: 'fields', sql: 'x.fields', kind: 'text' },
    text('conversion_key'),
    text('click_id'),
    text('order_id'),
    text('kind'),
    text('conversion_id'),
    text('event_id'),
  ],
};

export function logColumns(log: LogDefinition, visibility: Visibility): LogColumn[] {
  return log.columns.filter((column) => !column.visible || column.visible(visibility));
}
