import { ATTRIBUTION_STATUSES } from '@tracklane/contracts';
import { FilterDefinition, FilterValues } from './dimensions';
import { ParameterError, notForThisKey } from './parameter-error';
import { Visibility } from './visibility';

export type RawParameter = string | string[] | undefined;

/** Repeated parameters arrive as arrays; ids and codes may also be comma-separated. */
export function listOf(value: RawParameter, splitCommas: boolean): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return splitCommas ? values.flatMap((item) => item.split(',')).map((item) => item.trim()) : values;
}

const ID = /^[1-9]\d{0,9}$/;

function parseValue(filter: FilterDefinition, value: string): string | number {
  const fail = (expected: string) => new ParameterError(filter.parameter, `"${value}" is not ${expected}`);
  switch (filter.kind) {
    case 'id':
      if (!ID.test(value) || Number(value) > 2_147_483_647) throw fail('a positive integer id');
      return Number(value);
    case 'country':
      if (!/^[A-Za-z]{2}$/.test(value)) throw fail('an ISO 3166-1 alpha-2 country code');
      return value.toUpperCase();
    case 'currency':
      if (!/^[A-Za-z]{3}$/.test(value)) throw fail('an ISO 4217 currency code');
      return value.toUpperCase();
    case 'status':
      if (!(ATTRIBUTION_STATUSES as readonly string[]).includes(value)) throw fail(`one of ${ATTRIBUTION_STATUSES.join(', ')}`);
      return value;
    case 'text':
      if (value.length > 512) throw new ParameterError(filter.parameter, 'is longer than 512 characters');
      return value;
  }
}

/**
 * Reads the filter parameters and applies the key's scope: an advertiser or
 * affiliate key is limited to its own rows, and asking for someone else's is
 * refused rather than silently answered with nothing.
 */
export function parseFilters(
  params: Record<string, RawParameter>,
  definitions: readonly FilterDefinition[],
  visibility: Visibility,
): FilterValues {
  const filters: FilterValues = new Map();
  for (const filter of definitions) {
    const values = listOf(params[filter.parameter], filter.kind !== 'text').filter((value) => value !== '');
    if (values.length > 1000) throw new ParameterError(filter.parameter, 'takes at most 1000 values');
    if (values.length > 0) filters.set(filter, [...new Set(values.map((value) => parseValue(filter, value)))]);
  }
  scope(filters, definitions, 'advertiser_id', visibility.advertiserId, 'advertiser');
  scope(filters, definitions, 'affiliate_id', visibility.affiliateId, 'affiliate');
  const advertiser = definition(definitions, 'advertiser_id');
  if (visibility.role === 'affiliate' && advertiser && filters.has(advertiser)) {
    throw notForThisKey('advertiser_id', 'affiliate keys cannot filter by advertiser');
  }
  return filters;
}

function definition(definitions: readonly FilterDefinition[], parameter: string): FilterDefinition | undefined {
  return definitions.find((candidate) => candidate.parameter === parameter);
}

function scope(
  filters: FilterValues,
  definitions: readonly FilterDefinition[],
  parameter: string,
  ownId: number | null,
  role: string,
): void {
  const filter = definition(definitions, parameter);
  if (ownId === null || !filter) return;
  const asked = filters.get(filter);
  if (asked && asked.some((id) => id !== ownId)) throw notForThisKey(parameter, `${role} keys read only ${role} ${ownId}`);
  filters.set(filter, [ownId]);
}
