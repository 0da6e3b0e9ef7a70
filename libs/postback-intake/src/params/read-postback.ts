import { characterCount, firstCharacters } from '@tracklane/contracts';
import { shiftDecimalPoint } from '@tracklane/partner-formats';
import { FieldProblem, PostbackRefusal } from '../refusals';
import { PartnerMapping } from './partner-mapping';
import { RESERVED_PARAMS, StandardField, standardFieldOf } from './standard-fields';

/** A request parameter as received (query, form or JSON body), already URL-decoded. */
export type RequestParam = readonly [name: string, value: string];

export interface FieldValue {
  value: string;
  /** The parameter it came from, as the advertiser named it (the field's own name for a mapping default). */
  param: string;
  /** The value as sent, when the mapping translated, folded or scaled it. */
  received?: string;
  /** The postback left the field out; the mapping's default applies. */
  fromDefault?: true;
}

/**
 * What identifies the conversion when no order id is sent: the click id, or
 * a parameter's value (name lower-cased), as the mapping says for the goal.
 */
export type ConversionIdentity = { source: 'click_id' } | { source: 'param'; name: string; value: string };

export interface PostbackParams {
  fields: Partial<Record<StandardField, FieldValue>>;
  /** Every parameter that is neither a postback field nor reserved, as received (none when the mapping ignores them). */
  raw: Record<string, string>;
  identity: ConversionIdentity | null;
}

// Bounds of conversions.v1's raw map, in characters; refusing beyond them beats silently dropping data.
export const MAX_RAW_PARAMS = 64;
/** An identity parameter stands in for an order id, so it has an order id's bound. */
export const MAX_IDENTITY_LENGTH = 255;
export const MAX_RAW_VALUE_LENGTH = 2048;
export const MAX_PARAM_NAME_LENGTH = 128;

/** A macro of a postback URL template the advertiser's system left as it was, e.g. {currency}. */
const UNFILLED_PLACEHOLDER = /^\{[A-Za-z0-9_]+\}$/;

/**
 * Turns request parameters into postback fields: the partner's mapping
 * first, then the standard aliases; values are trimmed, translated and
 * folded by the mapping; empty ones and unfilled {placeholders} count as
 * absent (advertiser systems leave macros they have no value for), and the
 * mapping's defaults fill fields left out; an amount in minor units is
 * scaled by its currency's exponent. Refuses (400) two parameters that name
 * the same field with different values, raw data beyond the event's bounds,
 * and amounts the mapping cannot scale. Pure: the dry run reads a postback
 * exactly as the endpoint does.
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
      if (!mapping.keepsUnmapped) continue;
      if (characterCount(name) > MAX_PARAM_NAME_LENGTH) {
        problems.push({ field: firstCharacters(name, 32), rule: 'maxLength', reason: `parameter names must be at most ${MAX_PARAM_NAME_LENGTH} characters` });
      } else if (characterCount(value) > MAX_RAW_VALUE_LENGTH) {
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
    fields[field] ??= translated === trimmed ? { value: translated, param: name } : { value: translated, param: name, received: trimmed };
  }

  for (const [field, value] of mapping.defaults) fields[field] ??= { value, param: field, fromDefault: true };
  if (fields.amount) scaleAmount(fields.amount, fields.currency?.value.toUpperCase(), mapping, problems);
  const identity = orderIdentity(fields, params, mapping, problems);

  if (problems.length > 0) throw PostbackRefusal.invalid(problems);
  return { fields, raw, identity };
}

/** An amount the partner sends in minor units (1999 for 19.99 USD, 1999 for 1,999 JPY), as a decimal. */
function scaleAmount(amount: FieldValue, currency: string | undefined, mapping: PartnerMapping, problems: FieldProblem[]): void {
  const scaling = mapping.amountScaling(currency);
  if (scaling === null) return;
  const param = amount.param === 'amount' ? {} : { param: amount.param };
  if ('problem' in scaling) {
    problems.push(
      scaling.problem === 'currencyRequired'
        ? { field: 'currency', rule: 'requiredForMinorUnits', reason: 'currency is required: the amount is in minor units of its currency' }
        : { field: 'currency', rule: 'hasMinorUnit', reason: `${currency} has no minor unit, so an amount in minor units cannot be read` },
    );
    return;
  }
  const scaled = shiftDecimalPoint(amount.value, scaling.places);
  if (scaled === null) {
    problems.push({ field: 'amount', ...param, rule: 'minorUnits', reason: 'amount must be a whole number of minor units such as 1999' });
    return;
  }
  amount.received ??= amount.value;
  amount.value = scaled;
}

function orderIdentity(
  fields: Partial<Record<StandardField, FieldValue>>,
  params: readonly RequestParam[],
  mapping: PartnerMapping,
  problems: FieldProblem[],
): ConversionIdentity | null {
  if (fields.order_id) return null;
  const rule = mapping.identityOf(fields.goal?.value ?? null);
  if (rule === 'order_id') return null;
  if (rule === 'click_id') return { source: 'click_id' };
  const name = rule.param.toLowerCase();
  for (const [each, value] of params) {
    if (each.toLowerCase() !== name) continue;
    const trimmed = value.trim();
    if (trimmed === '' || UNFILLED_PLACEHOLDER.test(trimmed)) return null;
    if (characterCount(trimmed) > MAX_IDENTITY_LENGTH) {
      problems.push({ field: each, rule: 'maxLength', reason: `${each} identifies the conversion, so it must be at most ${MAX_IDENTITY_LENGTH} characters` });
      return null;
    }
    return { source: 'param', name, value: trimmed };
  }
  return null;
}
