import { ANY_GOAL, currencyExponent, FieldTransform, IdentitySource, resolvePartnerMapping, TOKEN_TARGET } from '@tracklane/partner-formats';
import { StandardField, standardFieldOf } from './standard-fields';

/** How many places to move an amount's decimal point, or why it cannot be done. */
export type AmountScaling = { places: number } | { problem: 'currencyRequired' | 'noMinorUnit' };

/**
 * An advertiser's own postback format (advertisers.param_mapping with its
 * preset merged in), compiled once per catalogue snapshot so that reading a
 * postback costs map lookups only. Names and mapped words match
 * case-insensitively; partner names take precedence over the built-in
 * aliases, so a partner whose "subid" is not a click id can say so.
 */
export interface PartnerMapping {
  /** The standard field a partner parameter maps to, if the mapping names it. */
  fieldOf(name: string): StandardField | undefined;
  /** The partner sends the security token under this name. */
  isToken(name: string): boolean;
  /** The partner's word for a field value translated to ours, then folded to the field's case (unchanged when unmapped). */
  translate(field: StandardField, value: string): string;
  /** The values fields take when the postback leaves them out. */
  readonly defaults: ReadonlyArray<readonly [StandardField, string]>;
  /** Whether the amount arrives in minor units, and how to scale it for a currency (upper case, or undefined when none was sent). */
  amountScaling(currency: string | undefined): AmountScaling | null;
  /** What identifies a conversion of this goal (code as received, or null for the default goal) when no order id is sent. */
  identityOf(goal: string | null): IdentitySource;
  /** Keep parameters the mapping does not name as raw data (true), or drop them (webhook bodies full of unrelated fields). */
  readonly keepsUnmapped: boolean;
  /** The mapping names paths into a JSON body (data.object.amount), so nested bodies are read rather than refused. */
  readonly readsJsonPaths: boolean;
  /** Entries that could not be used (for the operator's log); the rest still applies. */
  readonly problems: readonly string[];
}

export const NO_MAPPING: PartnerMapping = {
  fieldOf: () => undefined,
  isToken: () => false,
  translate: (_field, value) => value,
  defaults: [],
  amountScaling: () => null,
  identityOf: () => 'order_id',
  keepsUnmapped: true,
  readsJsonPaths: false,
  problems: [],
};

// Targets may be written as any alias of a field (mappings written before the management API checked them).
const resolveTarget = (target: string): string | undefined =>
  target.toLowerCase() === TOKEN_TARGET ? TOKEN_TARGET : standardFieldOf(target);

export function compilePartnerMapping(stored: unknown): PartnerMapping {
  const { mapping, problems } = resolvePartnerMapping(stored, resolveTarget);
  const fields = new Map<string, StandardField>();
  const tokenNames = new Set<string>();
  for (const [theirs, ours] of Object.entries(mapping.params)) {
    const target = resolveTarget(ours);
    if (target === TOKEN_TARGET) tokenNames.add(theirs);
    else if (target) fields.set(theirs, target as StandardField);
  }
  const words = new Map<string, Map<string, string>>(
    Object.entries(mapping.values).map(([field, table]) => [field, new Map(Object.entries(table))]),
  );
  const transforms = new Map<string, FieldTransform>(Object.entries(mapping.transforms));
  const folds = new Map<string, 'lower' | 'upper'>();
  for (const [field, transform] of transforms) if (transform.case) folds.set(field, transform.case);
  const amount = transforms.get('amount');
  const identities = new Map(Object.entries(mapping.identity));
  const anyGoal = identities.get(ANY_GOAL) ?? 'order_id';

  if (
    fields.size === 0 &&
    tokenNames.size === 0 &&
    words.size === 0 &&
    transforms.size === 0 &&
    identities.size === 0 &&
    mapping.unmapped === 'keep' &&
    problems.length === 0
  ) {
    return NO_MAPPING;
  }

  return {
    fieldOf: (name) => fields.get(name.toLowerCase()),
    isToken: (name) => tokenNames.has(name.toLowerCase()),
    translate: (field, value) => {
      const translated = words.get(field)?.get(value.toLowerCase()) ?? value;
      const fold = folds.get(field);
      return fold === 'lower' ? translated.toLowerCase() : fold === 'upper' ? translated.toUpperCase() : translated;
    },
    defaults: [...transforms].flatMap(([field, transform]) =>
      transform.default === undefined ? [] : [[field as StandardField, transform.default] as const],
    ),
    amountScaling: (currency) => {
      if (amount?.scale === undefined) return null;
      if (typeof amount.scale === 'number') return { places: amount.scale };
      if (currency === undefined) return { problem: 'currencyRequired' };
      const places = amount.exponents?.[currency] ?? currencyExponent(currency);
      return places === null ? { problem: 'noMinorUnit' } : { places };
    },
    identityOf: (goal) => (goal === null ? anyGoal : (identities.get(goal.toLowerCase()) ?? anyGoal)),
    keepsUnmapped: mapping.unmapped === 'keep',
    readsJsonPaths: Object.keys(mapping.params).some((name) => /[.[]/.test(name)) ||
      Object.values(mapping.identity).some((source) => typeof source === 'object' && /[.[]/.test(source.param)),
    problems,
  };
}
