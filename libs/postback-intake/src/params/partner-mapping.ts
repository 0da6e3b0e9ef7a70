import { ParamMapping } from '@tracklane/catalog';
import { StandardField, standardFieldOf } from './standard-fields';

/**
 * An advertiser's own postback format (advertisers.param_mapping), compiled
 * once per catalogue snapshot:
 *   {"params": {"theirs": "ours"}, "values": {"status": {"sale": "approved"}}}
 * "ours" is a standard field name or one of its aliases, or "token" for the
 * partner's name of the security token. Partner names take precedence over
 * the built-in aliases, so a partner whose "subid" is not a click id can say
 * so. Names and mapped values match case-insensitively.
 */
export interface PartnerMapping {
  /** The standard field a partner parameter maps to, if the mapping names it. */
  fieldOf(name: string): StandardField | undefined;
  /** The partner sends the security token under this name. */
  isToken(name: string): boolean;
  /** The partner's word for a field value translated to ours (unchanged when unmapped). */
  translate(field: StandardField, value: string): string;
  /** Entries that could not be used (for the operator's log); the rest still applies. */
  readonly problems: readonly string[];
}

export const NO_MAPPING: PartnerMapping = {
  fieldOf: () => undefined,
  isToken: () => false,
  translate: (_field, value) => value,
  problems: [],
};

function entriesOf(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

export function compilePartnerMapping(mapping: ParamMapping | null | undefined): PartnerMapping {
  const params = entriesOf(mapping?.params);
  const values = entriesOf(mapping?.values);
  if (params.length === 0 && values.length === 0) return NO_MAPPING;

  const problems: string[] = [];
  const fields = new Map<string, StandardField>();
  const tokenNames = new Set<string>();
  for (const [theirs, ours] of params) {
    const field = typeof ours === 'string' ? standardFieldOf(ours) : undefined;
    if (field) fields.set(theirs.toLowerCase(), field);
    else if (typeof ours === 'string' && ours.toLowerCase() === 'token') tokenNames.add(theirs.toLowerCase());
    else problems.push(`params.${theirs}: ${JSON.stringify(ours)} is not a postback field`);
  }

  const words = new Map<StandardField, Map<string, string>>();
  for (const [name, table] of values) {
    const field = standardFieldOf(name);
    if (!field) {
      problems.push(`values.${name}: not a postback field`);
      continue;
    }
    const translations = words.get(field) ?? new Map<string, string>();
    for (const [theirs, ours] of entriesOf(table)) {
      if (typeof ours === 'string') translations.set(theirs.toLowerCase(), ours);
      else problems.push(`values.${name}.${theirs}: must be a string`);
    }
    words.set(field, translations);
  }

  return {
    fieldOf: (name) => fields.get(name.toLowerCase()),
    isToken: (name) => tokenNames.has(name.toLowerCase()),
    translate: (field, value) => words.get(field)?.get(value.toLowerCase()) ?? value,
    problems,
  };
}
