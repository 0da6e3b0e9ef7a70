import {
  AttributeDimension,
  FILTERS,
  FilterValues,
  GROUP_BY_NAMES,
  TIME_GRAINS,
  TimeGrain,
  attributeDimension,
  isRawOnly,
} from './dimensions';
import { RawParameter, listOf, parseFilters } from './filters';
import { METRICS, Metric, metric } from './metrics';
import { Page, parsePage } from './paging';
import { ParameterError, notForThisKey } from './parameter-error';
import { TimeInput, parseTimeInput } from './time-input';
import { Visibility, mayReveal } from './visibility';

export interface SortKey {
  /** A group_by name, "currency" or a metric name. */
  key: string;
  descending: boolean;
}

/** A stats request, checked and scoped to the caller's key. */
export interface StatsRequest {
  from: TimeInput;
  to: TimeInput;
  zone: string;
  grain: TimeGrain | null;
  dimensions: AttributeDimension[];
  metrics: Metric[];
  filters: FilterValues;
  sort: SortKey[];
  page: Page;
  /** Split by goal, status or promo code: only conversions can be, so click metrics are left out. */
  conversionsOnly: boolean;
  /** Grouped or filtered by a column no rollup holds (RAW_ONLY_COLUMNS): read from raw conversions only. */
  rawOnly: boolean;
  visibility: Visibility;
}

export const STATS_PARAMETERS = [
  'from',
  'to',
  'timezone',
  'group_by',
  'metrics',
  'sort',
  'limit',
  'offset',
  'cursor',
  ...FILTERS.map((filter) => filter.parameter),
];

function single(params: Record<string, RawParameter>, name: string): string | undefined {
  const value = params[name];
  if (Array.isArray(value)) throw new ParameterError(name, 'may be given once');
  return value === undefined || value === '' ? undefined : value;
}

function required(params: Record<string, RawParameter>, name: string): string {
  const value = single(params, name);
  if (value === undefined) throw new ParameterError(name, 'is required');
  return value;
}

function parseGroupBy(params: Record<string, RawParameter>, visibility: Visibility): { grain: TimeGrain | null; dimensions: AttributeDimension[] } {
  const names = listOf(single(params, 'group_by'), true).filter((name) => name !== '');
  let grain: TimeGrain | null = null;
  const dimensions: AttributeDimension[] = [];
  for (const name of names) {
    if ((TIME_GRAINS as readonly string[]).includes(name)) {
      if (grain) throw new ParameterError('group_by', `takes one time dimension; got ${grain} and ${name}`);
      grain = name as TimeGrain;
      continue;
    }
    const dimension = attributeDimension(name);
    if (!dimension) throw new ParameterError('group_by', `unknown dimension "${name}"; expected any of ${GROUP_BY_NAMES.join(', ')}`);
    if (dimensions.includes(dimension)) throw new ParameterError('group_by', `"${name}" is given twice`);
    if (dimension.name === 'advertiser' && visibility.role === 'affiliate') {
      throw notForThisKey('group_by', 'affiliate keys cannot group by advertiser');
    }
    dimensions.push(dimension);
  }
  return { grain, dimensions };
}

function parseMetrics(params: Record<string, RawParameter>, visibility: Visibility, conversionsOnly: boolean): Metric[] {
  const asked = listOf(single(params, 'metrics'), true).filter((name) => name !== '');
  if (asked.length === 0) {
    return METRICS.filter((candidate) => mayReveal(visibility, candidate.reveals) && !(conversionsOnly && candidate.perClick));
  }
  return [...new Set(asked)].map((name) => {
    const found = metric(name);
    if (!found) throw new ParameterError('metrics', `unknown metric "${name}"; expected any of ${METRICS.map((m) => m.name).join(', ')}`);
    if (!mayReveal(visibility, found.reveals)) throw notForThisKey('metrics', `${name} is not available to ${visibility.role} keys`);
    if (conversionsOnly && found.perClick) {
      throw new ParameterError('metrics', `${name} needs clicks, which cannot be split or filtered by goal or status`);
    }
    return found;
  });
}

function parseSort(params: Record<string, RawParameter>, allowed: Map<string, boolean>, visibility: Visibility): SortKey[] {
  const keys = listOf(single(params, 'sort'), true).filter((key) => key !== '');
  return keys.map((raw) => {
    const descending = raw.startsWith('-');
    const key = descending ? raw.slice(1) : raw;
    const visible = allowed.get(key);
    if (visible === undefined) {
      throw new ParameterError('sort', `cannot sort by "${key}"; sort by a group_by dimension, currency or a metric`);
    }
    if (!visible) throw notForThisKey('sort', `${key} is not available to ${visibility.role} keys`);
    return { key, descending };
  });
}

export function parseStatsRequest(
  params: Record<string, RawParameter>,
  visibility: Visibility,
  isKnownZone: (zone: string) => boolean,
  limits: { defaultLimit: number | null; maxLimit: number | null },
): StatsRequest {
  const from = parseTimeInput('from', required(params, 'from'));
  const to = parseTimeInput('to', required(params, 'to'));
  const zone = single(params, 'timezone') ?? 'UTC';
  if (!isKnownZone(zone)) throw new ParameterError('timezone', `"${zone}" is not an IANA time zone name (such as Europe/Berlin)`);
  const { grain, dimensions } = parseGroupBy(params, visibility);
  const filters = parseFilters(params, FILTERS, visibility);
  const conversionsOnly =
    dimensions.some((dimension) => dimension.conversionOnly) || [...filters.keys()].some((filter) => filter.conversionOnly);
  const metrics = parseMetrics(params, visibility, conversionsOnly);

  const sortable = new Map<string, boolean>([['currency', true]]);
  if (grain) sortable.set(grain, true);
  for (const dimension of dimensions) sortable.set(dimension.name, true);
  for (const candidate of METRICS) {
    if (!(conversionsOnly && candidate.perClick)) sortable.set(candidate.name, mayReveal(visibility, candidate.reveals));
  }
  const sort = parseSort(params, sortable, visibility);
  const page = parsePage(params, limits, STATS_PARAMETERS);
  const rawOnly = dimensions.some((dimension) => isRawOnly(dimension.column)) || [...filters.keys()].some((filter) => isRawOnly(filter.column));
  return { from, to, zone, grain, dimensions, metrics, filters, sort, page, conversionsOnly, rawOnly, visibility };
}
