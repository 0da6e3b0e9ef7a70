import { ATTRIBUTION_STATUSES } from '@tracklane/contracts';
import { FilterDefinition, FilterValues } from './dimensions';
import { checkTenantIds } from '@tracklane/api-auth';
import { ParameterError } from './parameter-error';
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
 * refused (403, libs/api-auth's policy) rather than silently answered with
 * nothing. Offers and goals are checked against the catalogue by the caller
 * (CallerVisibility.checkFilters), which needs the database.
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
  const ids = (parameter: string) => filters.get(definition(definitions, parameter) as FilterDefinition) as number[] | undefined;
  checkTenantIds(visibility, { advertiserIds: ids('advertiser_id'), affiliateIds: ids('affiliate_id') });
  scope(filters, definitions, 'advertiser_id', visibility.advertiserId);
  scope(filters, definitions, 'affiliate_id', visibility.affiliateId);
  return filters;
}

function definition(definitions: readonly FilterDefinition[], parameter: string): FilterDefinition | undefined {
  return definitions.find((candidate) => candidate.parameter === parameter);
}

/** Rows are limited to the key's own advertiser or affiliate, whatever the request says. */
function scope(filters: FilterValues, definitions: readonly FilterDefinition[], parameter: string, ownId: number | null): void {
  const filter = definition(definitions, parameter);
  if (ownId !== null && filter) filters.set(filter, [ownId]);
}
