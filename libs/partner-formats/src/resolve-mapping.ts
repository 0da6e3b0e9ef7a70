import { PostbackField } from '@tracklane/contracts';
import {
  FieldTransform,
  IdentitySource,
  MappingDocument,
  parseMappingDocument,
  ResolvedMapping,
  standardTarget,
  TargetResolver,
  TranslatableField,
} from './mapping-document';
import { PARTNER_PRESETS } from './presets/catalogue';

export interface ResolvedDocument {
  mapping: ResolvedMapping;
  /** Entries left out, with their path and why (an unknown preset among them). */
  problems: string[];
}

/**
 * Reads a stored or submitted mapping and merges its preset underneath:
 * the advertiser's entries replace the preset's field by field, null
 * removes one. Pure and cheap enough to run once per catalogue change.
 */
export function resolvePartnerMapping(value: unknown, resolveTarget: TargetResolver = standardTarget): ResolvedDocument {
  const { document, problems } = parseMappingDocument(value ?? {}, resolveTarget);
  let base: MappingDocument = {};
  if (document.preset !== undefined) {
    const preset = PARTNER_PRESETS.get(document.preset.toLowerCase());
    if (preset) base = preset.mapping;
    else problems.push(`preset: "${document.preset}" is not a preset; use one of ${[...PARTNER_PRESETS.keys()].join(', ')}`);
  }
  return {
    mapping: {
      preset: document.preset !== undefined && PARTNER_PRESETS.has(document.preset.toLowerCase()) ? document.preset.toLowerCase() : null,
      params: mergeParams(base.params ?? {}, document.params ?? {}, resolveTarget),
      values: mergeValues(base.values ?? {}, document.values ?? {}),
      transforms: mergeByKey(base.transforms ?? {}, document.transforms ?? {}) as Partial<Record<PostbackField, FieldTransform>>,
      identity: mergeByKey(lowerKeys(base.identity ?? {}), lowerKeys(document.identity ?? {})) as Record<string, IdentitySource>,
      unmapped: document.unmapped ?? base.unmapped ?? 'keep',
    },
    problems,
  };
}

/** The advertiser's source of a field replaces every preset parameter mapped to that field. */
function mergeParams(
  preset: Record<string, string | null>,
  own: Record<string, string | null>,
  resolveTarget: TargetResolver,
): Record<string, string> {
  const ownNames = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const ownFields = new Set(Object.values(own).flatMap((target) => (target === null ? [] : [resolveTarget(target)])));
  const merged = emptyRecord<string>();
  for (const [theirs, ours] of Object.entries(preset)) {
    if (ours !== null && !ownNames.has(theirs.toLowerCase()) && !ownFields.has(resolveTarget(ours))) merged[theirs.toLowerCase()] = ours;
  }
  for (const [theirs, ours] of Object.entries(own)) if (ours !== null) merged[theirs.toLowerCase()] = ours;
  return merged;
}

function mergeValues(
  preset: Partial<Record<TranslatableField, Record<string, string | null>>>,
  own: Partial<Record<TranslatableField, Record<string, string | null>>>,
): Partial<Record<TranslatableField, Record<string, string>>> {
  const merged: Partial<Record<TranslatableField, Record<string, string>>> = emptyRecord();
  for (const field of new Set([...Object.keys(preset), ...Object.keys(own)]) as Set<TranslatableField>) {
    const words = mergeByKey(lowerKeys(preset[field] ?? {}), lowerKeys(own[field] ?? {}));
    if (Object.keys(words).length > 0) merged[field] = words;
  }
  return merged;
}

function mergeByKey<T>(preset: Record<string, T | null>, own: Record<string, T | null>): Record<string, T> {
  const merged = emptyRecord<T>();
  for (const [key, value] of [...Object.entries(preset), ...Object.entries(own)]) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function lowerKeys<T>(record: Record<string, T>): Record<string, T> {
  const lowered = emptyRecord<T>();
  for (const [key, value] of Object.entries(record)) lowered[key.toLowerCase()] = value;
  return lowered;
}

// Partner names and words are data: "__proto__" must stay a key, never become a prototype.
function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
