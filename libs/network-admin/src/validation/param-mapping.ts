import { POSTBACK_FIELDS, POSTBACK_STATUSES } from '@tracklane/contracts';
import { ValidationOptions } from 'class-validator';
import { checkedBy } from './checked';

/** Our postback parameters that a partner's own names may be mapped onto. */
export const POSTBACK_PARAMETERS = [...POSTBACK_FIELDS, 'token'] as const;

/** Parameters whose values may be translated (a partner's "sale" to our "approved"). */
const TRANSLATABLE: Record<string, readonly string[] | null> = { status: POSTBACK_STATUSES, goal: null, currency: null };
const PARTNER_NAME = /^[A-Za-z0-9_.[\]-]{1,64}$/;
const MAX_ENTRIES = 100;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * {"params": {"theirs": "ours"}, "values": {"status": {"theirs": "ours"}}} — the shape
 * postback-ingest reads from advertisers.param_mapping. Returns why a mapping is unusable.
 */
export function paramMappingProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'must be an object with "params" and/or "values"';
  const unknownKey = Object.keys(value).find((key) => key !== 'params' && key !== 'values');
  if (unknownKey) return `has the unknown key "${unknownKey}" (only "params" and "values")`;
  let entries = 0;
  if (value.params !== undefined) {
    if (!isRecord(value.params)) return 'needs "params" to be an object of partner name → our parameter';
    for (const [theirs, ours] of Object.entries(value.params)) {
      entries += 1;
      if (!PARTNER_NAME.test(theirs)) return `has the unusable partner parameter name "${theirs}" in params`;
      if (typeof ours !== 'string' || !(POSTBACK_PARAMETERS as readonly string[]).includes(ours)) {
        return `maps "${theirs}" to an unknown parameter; use one of ${POSTBACK_PARAMETERS.join(', ')}`;
      }
    }
  }
  if (value.values !== undefined) {
    if (!isRecord(value.values)) return 'needs "values" to be an object of our parameter → {partner value → our value}';
    for (const [parameter, translations] of Object.entries(value.values)) {
      if (!Object.hasOwn(TRANSLATABLE, parameter)) return `cannot translate values of "${parameter}" (only ${Object.keys(TRANSLATABLE).join(', ')})`;
      if (!isRecord(translations)) return `needs values.${parameter} to be an object of partner value → our value`;
      const allowed = TRANSLATABLE[parameter];
      for (const [theirs, ours] of Object.entries(translations)) {
        entries += 1;
        if (theirs.length === 0 || theirs.length > 128) return `has an empty or too long partner value in values.${parameter}`;
        if (typeof ours !== 'string' || ours.length === 0 || ours.length > 128) {
          return `translates "${theirs}" in values.${parameter} to something other than a short string`;
        }
        if (allowed && !allowed.includes(ours)) return `translates "${theirs}" in values.${parameter} to "${ours}"; use one of ${allowed.join(', ')}`;
      }
    }
  }
  return entries > MAX_ENTRIES ? `must hold at most ${MAX_ENTRIES} entries` : null;
}

export const IsParamMapping = (options?: ValidationOptions) =>
  checkedBy('isParamMapping', paramMappingProblem, options);
