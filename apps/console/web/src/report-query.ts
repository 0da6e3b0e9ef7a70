import type { ReportingPaths } from '@tracklane/api-client';

/** The stats API's query, as its OpenAPI document types it. */
export type StatsQuery = NonNullable<ReportingPaths['/v1/reports/stats']['get']['parameters']['query']>;

/**
 * The reports' state as it lives in the page's URL (so a report can be
 * shared by its address), and what the stats API is asked from it. Pure
 * functions: no DOM, no fetch.
 */

export const TIME_BUCKETS = ['hour', 'day', 'week', 'month'] as const;
export const DIMENSIONS = ['advertiser', 'offer', 'affiliate', 'goal', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source', 'country', 'device', 'status', 'coupon_code'] as const;
export const METRICS = [
  'clicks',
  'unique_clicks',
  'invalid_clicks',
  'conversions',
  'pending_conversions',
  'rejected_conversions',
  'refunded_conversions',
  'total_conversions',
  'revenue',
  'pending_revenue',
  'payout',
  'pending_payout',
  'profit',
  'cr',
  'epc',
  'rpc',
] as const;
/** Filters the stats API takes, each a list of values. */
export const FILTERS = [
  'advertiser_id',
  'offer_id',
  'affiliate_id',
  'goal_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'country',
  'device',
  'currency',
  'status',
  'coupon_code',
] as const;

export type Filter = (typeof FILTERS)[number];
export type MetricKind = 'count' | 'money' | 'percent';

const MONEY = new Set(['revenue', 'pending_revenue', 'payout', 'pending_payout', 'profit', 'epc', 'rpc']);

export function metricKind(name: string): MetricKind {
  if (name === 'cr') return 'percent';
  return MONEY.has(name) ? 'money' : 'count';
}

export const DEFAULT_PAGE_SIZE = 50;

export interface ReportState {
  from: string;
  to: string;
  timezone: string;
  groupBy: string[];
  /** Empty: every metric the key may see (the API decides). */
  metrics: string[];
  filters: Partial<Record<Filter, string[]>>;
  /** The API's sort: comma-separated names, "-" for descending. */
  sort: string;
  limit: number;
  offset: number;
}

/** A calendar date (YYYY-MM-DD) shifted by whole days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Today's date in a time zone, as YYYY-MM-DD. */
export function today(timezone: string, now = new Date()): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export type PeriodName = 'today' | 'yesterday' | 'last7' | 'last30' | 'month';

/** A named period as inclusive dates (the API's `to` date includes that whole day). */
export function period(name: PeriodName, todayDate: string): { from: string; to: string } {
  switch (name) {
    case 'today':
      return { from: todayDate, to: todayDate };
    case 'yesterday':
      return { from: addDays(todayDate, -1), to: addDays(todayDate, -1) };
    case 'last7':
      return { from: addDays(todayDate, -6), to: todayDate };
    case 'last30':
      return { from: addDays(todayDate, -29), to: todayDate };
    case 'month':
      return { from: `${todayDate.slice(0, 8)}01`, to: todayDate };
  }
}

/** The period of the same length just before [from, to] (inclusive dates): what a dashboard compares with. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return { from: addDays(from, -days), to: addDays(from, -1) };
}

function list(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

function wholeNumber(value: string | null, fallback: number, max: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 0 ? Math.min(parsed, max) : fallback;
}

/** The report a URL's query describes; what it leaves out gets the defaults (last 7 days, by day, in the viewer's zone). */
export function readReportState(search: string, defaults: { timezone: string; today: string }): ReportState {
  const params = new URLSearchParams(search);
  const week = period('last7', defaults.today);
  const filters: ReportState['filters'] = {};
  for (const name of FILTERS) {
    const values = list(params, name);
    if (values.length > 0) filters[name] = values;
  }
  const groupBy = list(params, 'group_by');
  return {
    from: params.get('from') || week.from,
    to: params.get('to') || week.to,
    timezone: params.get('timezone') || defaults.timezone,
    groupBy: params.has('group_by') ? groupBy : ['day'],
    metrics: list(params, 'metrics'),
    filters,
    sort: params.get('sort') ?? '',
    limit: wholeNumber(params.get('limit'), DEFAULT_PAGE_SIZE, 10_000) || DEFAULT_PAGE_SIZE,
    offset: wholeNumber(params.get('offset'), 0, Number.MAX_SAFE_INTEGER),
  };
}

/** The URL query for a report: what readReportState reads back to the same state. */
export function writeReportState(state: ReportState): string {
  const params = new URLSearchParams();
  params.set('from', state.from);
  params.set('to', state.to);
  params.set('timezone', state.timezone);
  params.set('group_by', state.groupBy.join(','));
  if (state.metrics.length > 0) params.set('metrics', state.metrics.join(','));
  for (const name of FILTERS) {
    const values = state.filters[name];
    if (values?.length) params.set(name, values.join(','));
  }
  if (state.sort) params.set('sort', state.sort);
  if (state.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(state.limit));
  if (state.offset > 0) params.set('offset', String(state.offset));
  return params.toString();
}

/** The stats API's query for a report (JSON, one page). */
export function statsQuery(state: ReportState): StatsQuery {
  const query: Record<string, string | string[]> = {
    from: state.from,
    to: state.to,
    timezone: state.timezone,
    limit: String(state.limit),
    offset: String(state.offset),
  };
  if (state.groupBy.length > 0) query.group_by = state.groupBy.join(',');
  if (state.metrics.length > 0) query.metrics = state.metrics.join(',');
  if (state.sort) query.sort = state.sort;
  for (const name of FILTERS) {
    const values = state.filters[name];
    if (values?.length) query[name] = values;
  }
  // Values are the user's (statuses included): the API checks them and names any it does not take.
  return query as unknown as StatsQuery;
}

/** The sort after a click on a column's header: descending first, then ascending, then the API's default. */
export function nextSort(current: string, column: string): string {
  if (current === `-${column}`) return column;
  if (current === column) return '';
  return `-${column}`;
}

/** How a column is sorted now, for its header. */
export function sortOf(current: string, column: string): 'ascending' | 'descending' | 'none' {
  if (current === `-${column}`) return 'descending';
  if (current === column) return 'ascending';
  return 'none';
}

/** A row's label for a dimension: "12 · Running shoes" for ids with names, the value otherwise. */
export function dimensionLabel(row: Record<string, unknown>, dimension: string): string {
  const value = row[dimension] ?? row[`${dimension}_id`];
  const name = row[`${dimension}_name`];
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') {
    const { id, name: nested } = value as { id?: unknown; name?: unknown };
    return nested ? `${String(id)} · ${String(nested)}` : String(id);
  }
  return name ? `${String(value)} · ${String(name)}` : String(value);
}

/** A metric's value for people: counts grouped, money with its currency, cr with a % sign. Money is shown as the API sent it (exact). */
export function formatMetric(name: string, value: unknown, currency?: string, locale?: string): string {
  if (value === null || value === undefined || value === '') return '—';
  const kind = metricKind(name);
  if (kind === 'count') return Number(value).toLocaleString(locale);
  if (kind === 'percent') return `${trimDecimal(String(value), 2)} %`;
  const amount = trimDecimal(String(value), 2);
  return currency ? `${amount} ${currency}` : amount;
}

/** A decimal string cut (not rounded through binary floats) to at least `places` places, dropping only trailing zeros beyond them. */
export function trimDecimal(value: string, places: number): string {
  const match = /^(-?\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, whole, fraction = ''] = match;
  const kept = fraction.replace(/0+$/, '').padEnd(places, '0');
  return kept ? `${whole}.${kept}` : whole;
}

/** A money rule (a goal's revenue or payout, an override) in words: "2.50 USD", "10 %", "1.00 USD + 5 %". */
export function moneyRule(rule: { type: string; amount?: string | null; percent?: string | null } | null | undefined, currency?: string): string {
  if (!rule) return '—';
  const amount = `${trimDecimal(rule.amount ?? '0', 2)}${currency ? ` ${currency}` : ''}`;
  const percent = `${trimDecimal(rule.percent ?? '0', 0)} %`;
  if (rule.type === 'percent') return percent;
  if (rule.type === 'fixed') return amount;
  return `${amount} + ${percent}`;
}

/** Relative change from `previous` to `current` in percent, or null when there is nothing to compare with. */
export function change(current: number, previous: number): number | null {
  if (!Number.isFinite(current) || !Number.isFinite(previous) || previous === 0) return null;
  return ((current - previous) / Math.abs(previous)) * 100;
}

/** A metric per time bucket (bucketLabel's labels), the currencies of one bucket added up: chart points, not exact figures. */
export function bucketTotals(rows: Array<Record<string, unknown>>, bucket: 'hour' | 'day', metric: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const label = bucketLabel(String(row[bucket] ?? ''), bucket);
    totals.set(label, (totals.get(label) ?? 0) + Number(row[metric] ?? 0));
  }
  return totals;
}

/** Every bucket label of a period (hour or day), so that quiet buckets show as zero, not as a gap the line jumps over. */
export function bucketLabels(from: string, to: string, bucket: 'hour' | 'day'): string[] {
  const labels: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    if (bucket === 'day') labels.push(date);
    else for (let hour = 0; hour < 24; hour++) labels.push(`${date}T${String(hour).padStart(2, '0')}`);
  }
  return labels;
}

/** A bucket value from the API ("2026-12-06" or "2026-12-06T14:00:00+01:00") as a bucketLabels label. */
export function bucketLabel(value: string, bucket: 'hour' | 'day'): string {
  return bucket === 'day' ? value.slice(0, 10) : value.slice(0, 13);
}
