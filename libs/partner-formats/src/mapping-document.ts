import { POSTBACK_FIELDS, POSTBACK_STATUSES, PostbackField } from '@tracklane/contracts';

/**
 * An advertiser's postback format, as stored in advertisers.param_mapping
 * and set through the management API:
 *
 *   { "preset": "keitaro",                                  a named format from the catalogue, below what follows
 *     "params": { "theirs": "ours" },                       their parameter names (or JSON paths) → our fields, or "token"
 *     "values": { "status": { "sale": "approved" } },       their words → ours (status, goal, currency)
 *     "transforms": { "amount": { "scale": "currency" } },  per-field value transforms
 *     "identity": { "*": "click_id" },                      what identifies a conversion when no order id is sent, per goal
 *     "unmapped": "keep" }                                  keep their other parameters as raw data, or ignore them
 *
 * Every part is optional. With a preset, each entry given here replaces the
 * preset's entry for the same field (params), word (values), field
 * (transforms) or goal (identity); null removes the preset's entry.
 */
export interface MappingDocument {
  preset?: string;
  params?: Record<string, string | null>;
  values?: Partial<Record<TranslatableField, Record<string, string | null>>>;
  transforms?: Partial<Record<PostbackField, FieldTransform | null>>;
  identity?: Record<string, IdentitySource | null>;
  unmapped?: UnmappedParams;
}

/** Fields whose values a partner may name in its own words. */
export const TRANSLATABLE_FIELDS = ['status', 'goal', 'currency'] as const;
export type TranslatableField = (typeof TRANSLATABLE_FIELDS)[number];

export type UnmappedParams = 'keep' | 'ignore';

/** The parameter name a partner may give the security token under. */
export const TOKEN_TARGET = 'token';

export interface FieldTransform {
  /** Fold the value to one case: for partners whose systems change the case of an order id or sub id. */
  case?: 'lower' | 'upper';
  /**
   * Amount only: the partner sends a whole number of minor units. "currency":
   * the currency's own exponent (ISO 4217: USD 2, JPY 0, KWD 3); a number: that many places always.
   */
  scale?: 'currency' | number;
  /** With scale "currency": a partner's exponent where it departs from ISO 4217 (Stripe counts ISK in hundredths). */
  exponents?: Record<string, number>;
  /** The value when the postback leaves the field out. */
  default?: string;
}

/**
 * What identifies a conversion when the postback has no order id, so that a
 * later status or a repeat for it resolves to the same conversion:
 * "order_id" (only an order id does; the default), "click_id" (one
 * conversion per click on the goal), or a parameter of the partner's.
 */
export type IdentitySource = 'order_id' | 'click_id' | { param: string };

/** Goal key of the identity rule that applies to every goal not named. */
export const ANY_GOAL = '*';

/** A mapping with its preset merged in: what postback-ingest applies. Names and words are lower-cased. */
export interface ResolvedMapping {
  preset: string | null;
  /** Partner parameter (lower case) → our field, or "token". */
  params: Record<string, string>;
  values: Partial<Record<TranslatableField, Record<string, string>>>;
  transforms: Partial<Record<PostbackField, FieldTransform>>;
  /** Goal code (lower case) or "*" → identity. */
  identity: Record<string, IdentitySource>;
  unmapped: UnmappedParams;
}

/** Resolves a target name of "params" to the field it stands for ("token" included), or undefined. */
export type TargetResolver = (target: string) => string | undefined;

const STANDARD_TARGETS: ReadonlySet<string> = new Set([...POSTBACK_FIELDS, TOKEN_TARGET]);
export const standardTarget: TargetResolver = (target) => (STANDARD_TARGETS.has(target) ? target : undefined);

/** Partner parameter names: their names, or paths into a JSON body (data.object.amount, items[0].sku). */
export const PARTNER_NAME = /^[A-Za-z0-9_.[\]-]{1,128}$/;
export const MAX_ENTRIES = 100;
const MAX_WORD_LENGTH = 128;
const MAX_SCALE = 8;
const MAX_EXPONENT = 4;
const CURRENCY_CODE = /^[A-Z]{3}$/;
const TOP_LEVEL = ['preset', 'params', 'values', 'transforms', 'identity', 'unmapped'];
const TRANSFORM_KEYS = ['case', 'scale', 'exponents', 'default'];
const NO_DEFAULT: ReadonlySet<string> = new Set(['click_id', 'order_id', 'amount']);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface ParsedDocument {
  /** The usable entries; problems name those left out. */
  document: MappingDocument;
  problems: string[];
}

/**
 * Reads a mapping document, keeping every usable entry and saying, for each
 * unusable one, its path and what is wrong: the management API refuses a
 * document with problems; postback-ingest applies the usable rest of a
 * stored one (written before a rule existed) and logs the others.
 */
export function parseMappingDocument(value: unknown, resolveTarget: TargetResolver = standardTarget): ParsedDocument {
  const problems: string[] = [];
  const document: MappingDocument = {};
  if (!isRecord(value)) return { document, problems: ['must be an object (preset, params, values, transforms, identity, unmapped)'] };
  let entries = 0;
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL.includes(key)) problems.push(`${key}: unknown key (only ${TOP_LEVEL.join(', ')})`);
  }

  if (value.preset !== undefined && value.preset !== null) {
    if (typeof value.preset === 'string') document.preset = value.preset;
    else problems.push('preset: must be the name of a preset');
  }

  const params = section(value, 'params', problems);
  if (params) {
    document.params = Object.create(null) as Record<string, string | null>;
    for (const [theirs, ours] of Object.entries(params)) {
      entries += 1;
      if (!PARTNER_NAME.test(theirs)) problems.push(`params.${theirs}: not a usable parameter name (letters, digits, _ . - [ ], at most 128)`);
      else if (ours === null || (typeof ours === 'string' && resolveTarget(ours) !== undefined)) document.params[theirs] = ours;
      else problems.push(`params.${theirs}: ${JSON.stringify(ours)} is not a postback field; use one of ${[...STANDARD_TARGETS].join(', ')}`);
    }
  }

  const values = section(value, 'values', problems);
  if (values) {
    document.values = Object.create(null) as MappingDocument['values'];
    for (const [field, table] of Object.entries(values)) {
      if (!(TRANSLATABLE_FIELDS as readonly string[]).includes(field)) {
        problems.push(`values.${field}: cannot translate values of "${field}" (only ${TRANSLATABLE_FIELDS.join(', ')})`);
        continue;
      }
      if (!isRecord(table)) {
        problems.push(`values.${field}: must be an object of partner value → our value`);
        continue;
      }
      const words = Object.create(null) as Record<string, string | null>;
      for (const [theirs, ours] of Object.entries(table)) {
        entries += 1;
        const problem = wordProblem(field as TranslatableField, theirs, ours);
        if (problem) problems.push(`values.${field}.${theirs}: ${problem}`);
        else words[theirs] = ours as string | null;
      }
      (document.values as Record<string, unknown>)[field] = words;
    }
  }

  const transforms = section(value, 'transforms', problems);
  if (transforms) {
    document.transforms = Object.create(null) as MappingDocument['transforms'];
    for (const [field, transform] of Object.entries(transforms)) {
      entries += 1;
      const problem = (POSTBACK_FIELDS as readonly string[]).includes(field)
        ? transformProblem(field as PostbackField, transform)
        : `not a postback field; use one of ${POSTBACK_FIELDS.join(', ')}`;
      if (problem) problems.push(`transforms.${field}: ${problem}`);
      else (document.transforms as Record<string, unknown>)[field] = transform;
    }
  }

  const identity = section(value, 'identity', problems);
  if (identity) {
    document.identity = Object.create(null) as Record<string, IdentitySource | null>;
    for (const [goal, source] of Object.entries(identity)) {
      entries += 1;
      const problem = goal.length === 0 || goal.length > MAX_WORD_LENGTH ? 'goal codes have 1 to 128 characters' : identityProblem(source);
      if (problem) problems.push(`identity.${goal}: ${problem}`);
      else document.identity[goal] = source as IdentitySource | null;
    }
  }

  if (value.unmapped !== undefined) {
    if (value.unmapped === 'keep' || value.unmapped === 'ignore') document.unmapped = value.unmapped;
    else problems.push('unmapped: must be "keep" or "ignore"');
  }

  if (entries > MAX_ENTRIES) problems.push(`must hold at most ${MAX_ENTRIES} entries`);
  return { document, problems };
}

function section(value: Record<string, unknown>, key: string, problems: string[]): Record<string, unknown> | undefined {
  const part = value[key];
  if (part === undefined || part === null) return undefined;
  if (isRecord(part)) return part;
  problems.push(`${key}: must be an object`);
  return undefined;
}

function wordProblem(field: TranslatableField, theirs: string, ours: unknown): string | null {
  if (theirs.length === 0 || theirs.length > MAX_WORD_LENGTH) return 'partner values have 1 to 128 characters';
  if (ours === null) return null;
  if (typeof ours !== 'string' || ours.length === 0 || ours.length > MAX_WORD_LENGTH) return 'must translate to a string of 1 to 128 characters';
  if (field === 'status' && !(POSTBACK_STATUSES as readonly string[]).includes(ours)) {
    return `translates to "${ours}"; use one of ${POSTBACK_STATUSES.join(', ')}`;
  }
  if (field === 'currency' && !CURRENCY_CODE.test(ours)) return `translates to "${ours}"; use an upper-case ISO 4217 code`;
  return null;
}

function transformProblem(field: PostbackField, transform: unknown): string | null {
  if (transform === null) return null;
  if (!isRecord(transform)) return `must be an object with ${TRANSFORM_KEYS.join(', ')}`;
  const unknown = Object.keys(transform).find((key) => !TRANSFORM_KEYS.includes(key));
  if (unknown) return `unknown transform "${unknown}" (only ${TRANSFORM_KEYS.join(', ')})`;
  const { case: fold, scale, exponents, default: fallback } = transform;
  if (fold !== undefined && fold !== 'lower' && fold !== 'upper') return 'case must be "lower" or "upper"';
  if (fold !== undefined && field === 'amount') return 'amounts have no case';
  if (scale !== undefined) {
    if (field !== 'amount') return 'only amounts have a scale';
    if (scale !== 'currency' && !(Number.isInteger(scale) && (scale as number) >= 0 && (scale as number) <= MAX_SCALE)) {
      return `scale must be "currency" (the currency's ISO 4217 exponent) or a whole number of places from 0 to ${MAX_SCALE}`;
    }
  }
  if (exponents !== undefined) {
    if (scale !== 'currency') return 'exponents go with scale "currency"';
    if (!isRecord(exponents)) return 'exponents must be an object of currency code → places';
    for (const [currency, places] of Object.entries(exponents)) {
      if (!CURRENCY_CODE.test(currency) || !Number.isInteger(places) || (places as number) < 0 || (places as number) > MAX_EXPONENT) {
        return `exponents.${currency} must be an upper-case ISO 4217 code with 0 to ${MAX_EXPONENT} places`;
      }
    }
  }
  if (fallback !== undefined) {
    if (NO_DEFAULT.has(field)) return `${field} cannot have a default`;
    if (typeof fallback !== 'string' || fallback.length === 0 || fallback.length > MAX_WORD_LENGTH) return 'default must be a string of 1 to 128 characters';
    if (field === 'status' && !(POSTBACK_STATUSES as readonly string[]).includes(fallback)) {
      return `default must be one of ${POSTBACK_STATUSES.join(', ')}`;
    }
    if (field === 'currency' && !CURRENCY_CODE.test(fallback)) return 'default must be an upper-case ISO 4217 code';
  }
  return null;
}

function identityProblem(source: unknown): string | null {
  if (source === null || source === 'order_id' || source === 'click_id') return null;
  if (isRecord(source) && Object.keys(source).length === 1 && typeof source.param === 'string' && PARTNER_NAME.test(source.param)) return null;
  return 'must be "order_id", "click_id" or {"param": "<their parameter name>"}';
}
