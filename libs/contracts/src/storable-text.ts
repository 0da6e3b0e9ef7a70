/**
 * Storable text: the one rule for text that enters Tracklane from outside.
 *
 * A string is storable when every store and export downstream can hold it as
 * it is: PostgreSQL text and jsonb (which refuse U+0000 and, in jsonb, lone
 * UTF-16 surrogates), Kafka's JSON (UTF-8, where a lone surrogate cannot be
 * encoded) and CSV. So storable text is well-formed Unicode without U+0000,
 * the other C0 control characters and DEL; TAB, LF and CR are allowed (CSV
 * quotes them, and free text such as a JSON webhook's note may hold them).
 *
 * Every ingress applies it before it issues an id or answers 2xx: it either
 * refuses the value (identity and money fields, the management and reporting
 * APIs, every postback parameter) or normalises it with storableText (a
 * visitor's free text on a tracking link). Lengths are counted in characters,
 * meaning Unicode code points, as PostgreSQL's char_length counts them, so
 * "at most 512 characters" holds 512 emoji as well as 512 letters.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SURROGATE_PAIRS = /[\ud800-\udbff][\udc00-\udfff]/g;
const ANY_SURROGATE = /[\ud800-\udfff]/;

/** Why a refused value is refused, phrased to follow the field's name. */
export const UNSTORABLE_TEXT_REASON = 'must not contain NUL, control characters (other than tab and line breaks) or invalid Unicode';

/** The replacement of a lone surrogate, as a UTF-8 encoder would write it. */
export const REPLACEMENT_CHARACTER = '\ufffd';

/** One pass over the UTF-16 units, no regex: consumers run it on every string of every event. */
export function isStorableText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20) {
      if (unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) return false;
    } else if (unit === 0x7f) {
      return false;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      // A high surrogate followed by a low one is a character; anything else is a lone surrogate.
      if (unit > 0xdbff || i + 1 === text.length) return false;
      const next = text.charCodeAt(i + 1);
      if (next < 0xdc00 || next > 0xdfff) return false;
      i++;
    }
  }
  return true;
}

/**
 * The storable form of a string: control characters (but TAB, LF, CR)
 * removed, lone surrogates replaced by U+FFFD. Returns the same string when
 * it is storable already (the common case costs one regex test).
 */
export function storableText(text: string): string {
  if (isStorableText(text)) return text;
  return text.replace(CONTROLS, '').replace(LONE_SURROGATES, REPLACEMENT_CHARACTER);
}

/** Length in characters (Unicode code points), the unit every documented limit counts in. */
export function characterCount(text: string): number {
  if (!ANY_SURROGATE.test(text)) return text.length;
  return text.length - (text.match(SURROGATE_PAIRS)?.length ?? 0);
}

/** The first `max` characters, never splitting a surrogate pair. */
export function firstCharacters(text: string, max: number): string {
  if (text.length <= max) return text;
  if (!ANY_SURROGATE.test(text)) return text.slice(0, max);
  let end = 0;
  for (let count = 0; count < max && end < text.length; count++) {
    const code = text.charCodeAt(end);
    end += code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1;
  }
  return text.slice(0, end);
}

/**
 * A decoded event (or any JSON value) with every string and object key made
 * storable. Consumers apply it to what they read, so an event produced before
 * the ingress rule (or by a producer that ignores it) is repaired rather than
 * refused by the database. Returns the value itself when nothing needed repair.
 */
export function storableValue<T>(value: T): T {
  return repaired(value) as T;
}

function repaired(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const each = repaired(value[i]);
      if (each !== value[i]) (copy ??= value.slice())[i] = each;
    }
    return copy ?? value;
  }
  const input = value as Record<string, unknown>;
  // The common case, storable through and through, allocates nothing.
  for (const key in input) {
    if (repaired(input[key]) !== input[key] || !isStorableText(key)) return rebuilt(input);
  }
  return value;
}

function rebuilt(input: Record<string, unknown>): Record<string, unknown> {
  // Of two keys that become one, the first keeps its value (as a repeated parameter's first value wins).
  const entries = new Map<string, unknown>();
  for (const key of Object.keys(input)) {
    const storableKey = storableText(key);
    if (!entries.has(storableKey)) entries.set(storableKey, repaired(input[key]));
  }
  return Object.fromEntries(entries);
}

/**
 * How a refusal names a field whose own name is not storable: its
 * characters as JSON escapes them (a NUL as \u0000), so the name stays
 * readable and distinct, and is never empty.
 */
export function fieldName(name: string): string {
  return isStorableText(name) ? name : JSON.stringify(name).slice(1, -1);
}

/**
 * Every path (dotted, [i] for array items) in a JSON value whose string or
 * key is not storable: what an API refuses, naming each field.
 */
export function unstorablePaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return isStorableText(value) ? [] : [path || '$'];
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((each, i) => unstorablePaths(each, `${path}[${i}]`));
  const found: string[] = [];
  for (const [key, each] of Object.entries(value as Record<string, unknown>)) {
    const field = path ? `${path}.${fieldName(key)}` : fieldName(key);
    if (!isStorableText(key)) found.push(field);
    else found.push(...unstorablePaths(each, field));
  }
  return found;
}
