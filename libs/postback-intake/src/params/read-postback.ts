import { FieldProblem, PostbackRefusal } from '../refusals';
import { PartnerMapping } from './partner-mapping';
import { RESERVED_PARAMS, StandardField, standardFieldOf } from './standard-fields';

/** A request parameter as received (query, form or JSON body), already URL-decoded. */
export type RequestParam = readonly [name: string, value: string];

export interface FieldValue {
  value: string;
  /** The parameter it came from, as the advertiser named it. */
  param: string;
}

export interface PostbackParams {
  fields: Partial<Record<StandardField, FieldValue>>;
  /** Every parameter that is neither a postback field nor reserved, as received. */
  raw: Record<string, string>;
}

// Bounds of conversions.v1's raw map; refusing beyond them beats silently dropping data.
export const MAX_RAW_PARAMS = 64;
export const MAX_RAW_VALUE_LENGTH = 2048;
export const MAX_PARAM_NAME_LENGTH = 128;

/** A macro of a postback URL template the advertiser's system left as it was, e.g. {currency}. */
const UNFILLED_PLACEHOLDER = /^\{[A-Za-z0-9_]+\}$/;

/**
 * Turns request parameters into postback fields: the partner's mapping
 * first, then the standard aliases; values are trimmed and translated by the
 * mapping; empty ones and unfilled {placeholders} count as absent (advertiser
 * systems leave macros they have no value for). Refuses (400) two
 * parameters that name the same field with different values, and raw data
 * beyond the event's bounds.
 */
export function readPostback(params: readonly RequestParam[], mapping: PartnerMapping): PostbackParams {
  const fields: Partial<Record<StandardField, FieldValue>> = {};
  const raw: Record<string, string> = Object.create(null);
  const problems: FieldProblem[] = [];
  let rawCount = 0;

  for (const [name, value] of params) {
    if (RESERVED_PARAMS.has(name.toLowerCase()) || mapping.isToken(name)) continue;
    const field = mapping.fieldOf(name) ?? standardFieldOf(name);
    if (!field) {
      if (name.length > MAX_PARAM_NAME_LENGTH) {
        problems.push({ field: name.slice(0, 32), rule: 'maxLength', reason: `parameter names must be at most ${MAX_PARAM_NAME_LENGTH} characters` });
      } else if (value.length > MAX_RAW_VALUE_LENGTH) {
        problems.push({ field: name, rule: 'maxLength', reason: `${name} must be at most ${MAX_RAW_VALUE_LENGTH} characters` });
      } else if (++rawCount > MAX_RAW_PARAMS) {
        problems.push({ field: name, rule: 'maxParams', reason: `at most ${MAX_RAW_PARAMS} parameters besides the postback fields are kept` });
      } else {
        raw[name] = value;
      }
      continue;
    }
    const trimmed = value.trim();
    if (trimmed === '' || UNFILLED_PLACEHOLDER.test(trimmed)) continue;
    const translated = mapping.translate(field, trimmed);
    const earlier = fields[field];
    if (earlier && earlier.value !== translated) {
      problems.push({
        field,
        param: name,
        rule: 'singleValue',
        reason: `${field} was given twice with different values (${earlier.param}, ${name})`,
      });
      continue;
    }
    fields[field] ??= { value: translated, param: name };
  }

  if (problems.length > 0) throw PostbackRefusal.invalid(problems);
  return { fields, raw };
}
