import { resolvePartnerMapping } from '@tracklane/partner-formats';
import { ValidationOptions } from 'class-validator';
import { checkedBy } from './checked';

/**
 * What is wrong with an advertiser's partner mapping (the first problem, with
 * its path), or null. The language and its presets live in
 * @tracklane/partner-formats, the very code postback-ingest reads it with,
 * so what the API accepts is what postback-ingest applies.
 */
export function paramMappingProblem(value: unknown): string | null {
  return resolvePartnerMapping(value).problems[0] ?? null;
}

export const IsParamMapping = (options?: ValidationOptions) =>
  checkedBy('isParamMapping', paramMappingProblem, options);
