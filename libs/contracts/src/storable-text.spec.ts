import fc from 'fast-check';
import { clicksV1 } from './clicks.v1';
import {
  characterCount,
  fieldName,
  firstCharacters,
  isStorableText,
  storableText,
  storableValue,
  UNSTORABLE_TEXT_REASON,
  unstorablePaths,
} from './storable-text';

/** Any UTF-16 string, lone surrogates and controls included: what JSON.parse or a header can hand us. */
const anyText = fc.string({ unit: 'binary', maxLength: 80 });
const hostile = fc.string({
  unit: fc.constantFrom('\u0000', '\u0001', '\u001f', '\u007f', '\t', '\n', '\r', '\ud800', '\udfff', '😀', 'é', 'a', '%', '"', ','),
  maxLength: 40,
});

/** What PostgreSQL would say of the UTF-8 bytes: refused when they hold 0x00, and a lone surrogate cannot be encoded at all. */
function utf8RoundTrips(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

describe('the storable-text rule', () => {
  it.each([
    ['a NUL byte', 'ab\u0000c'],
    ['a C0 control character', 'ab\u0007c'],
    ['escape', '\u001b[31m'],
    ['DEL', 'a\u007f'],
    ['a lone high surrogate', 'a\ud800'],
    ['a lone low surrogate', '\udc00b'],
    ['surrogates in the wrong order', '\udc00\ud800'],
  ])('refuses %s', (_, text) => {
    expect(isStorableText(text)).toBe(false);
  });

  it.each([
    ['plain text', 'summer-sale_2026'],
    ['tab and line breaks', 'a\tb\r\nc'],
    ['an emoji (a surrogate pair)', 'x😀y'],
    ['invalid percent-encoding, kept as written', '%C0%80%ZZ%'],
    ['non-ASCII letters and C1 range characters', 'Ünïcødé\u0085'],
    ['the empty string', ''],
  ])('accepts %s', (_, text) => {
    expect(isStorableText(text)).toBe(true);
    expect(storableText(text)).toBe(text);
  });

  it('normalises by dropping control characters and replacing lone surrogates', () => {
    expect(storableText('a\u0000b\u0007c\u007f')).toBe('abc');
    expect(storableText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(storableText('line\r\nbreak\t')).toBe('line\r\nbreak\t');
  });

  it('makes every string storable, and what it makes survives UTF-8 and PostgreSQL', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, hostile), (text) => {
        const stored = storableText(text);
        expect(isStorableText(stored)).toBe(true);
        expect(stored).not.toContain('\u0000');
        expect(utf8RoundTrips(stored)).toBe(true);
        expect(storableText(stored)).toBe(stored);
        expect(characterCount(stored)).toBeLessThanOrEqual(characterCount(text));
      }),
    );
  });

  it('leaves storable text exactly as it is', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => expect(storableText(text)).toBe(text)));
  });

  it('names the reason after the field', () => {
    expect(UNSTORABLE_TEXT_REASON).toMatch(/^must not contain NUL/);
  });
});

describe('characters, the unit of every limit', () => {
  it('counts code points, as PostgreSQL does: an emoji is one character, a lone surrogate one', () => {
    expect(characterCount('abc')).toBe(3);
    expect(characterCount('😀😀')).toBe(2);
    expect(characterCount('a\ud800')).toBe(2);
    expect(characterCount('')).toBe(0);
  });

  it('agrees with the code points JavaScript iterates', () => {
    fc.assert(fc.property(anyText, (text) => expect(characterCount(text)).toBe([...text].length)));
  });

  it('cuts to a number of characters without splitting a pair', () => {
    expect(firstCharacters('😀😀😀', 2)).toBe('😀😀');
    expect(firstCharacters('abc', 5)).toBe('abc');
    fc.assert(
      fc.property(anyText, fc.nat(100), (text, max) => {
        const cut = firstCharacters(text, max);
        expect(cut).toBe([...text].slice(0, max).join(''));
      }),
    );
  });
});

describe('repairing what a consumer reads', () => {
  it('repairs every string and key of a value and keeps the rest', () => {
    const value = { v: 1, name: 'a\u0000b', list: ['ok', '\ud800'], nested: { 'k\u0001ey': 'x', n: 5, none: null } };
    expect(storableValue(value)).toEqual({ v: 1, name: 'ab', list: ['ok', '\ufffd'], nested: { key: 'x', n: 5, none: null } });
  });

  it('returns the very value when nothing needs repair (no copy on the hot path)', () => {
    const value = { a: 'b', c: ['d'], e: { f: 1 } };
    expect(storableValue(value)).toBe(value);
  });

  it('keeps the first of two keys that become one', () => {
    expect(storableValue({ 'a\u0000': 'first', a: 'second' })).toEqual({ a: 'first' });
  });

  it('is storable through and through for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), hostile, (json, text) => {
        const repaired = storableValue({ json, text, [text]: json });
        expect(unstorablePaths(repaired)).toEqual([]);
        expect(utf8RoundTrips(JSON.stringify(repaired))).toBe(true);
      }),
    );
  });

  it('lets a consumer decode a click that carries a NUL byte, repaired, instead of dead-lettering it', () => {
    const click = {
      v: 1,
      clickId: '01jfzzzzzzabcdefghjkmnpqrstvwx'.slice(0, 30),
      occurredAt: '2026-12-05T07:00:00.000Z',
      offerId: 1,
      advertiserId: 1,
      affiliateId: 1,
      sub1: 'a\u0000b',
      sub2: '\ud83d',
      sub3: null,
      sub4: null,
      sub5: null,
      source: null,
      affClickId: null,
      ip: '127.0.0.1',
      userAgent: 'UA\u0007',
      referrer: null,
      country: null,
      device: null,
      unique: true,
      flags: [],
      disposition: 'accepted',
      params: { 'q\u0000': 'v\u0000' },
    };
    const decoded = clicksV1.decode(JSON.stringify(click));
    expect(decoded).toMatchObject({ sub1: 'ab', sub2: '\ufffd', userAgent: 'UA', params: { q: 'v' } });
  });
});

describe('naming the refused fields', () => {
  it('names a field whose own name is unstorable by its JSON escapes, never empty', () => {
    expect(fieldName('sub1')).toBe('sub1');
    expect(fieldName('\u0000')).toBe('\\u0000');
    expect(fieldName('a\ud800')).toBe('a\\ud800');
    fc.assert(fc.property(anyText.filter((text) => text.length > 0), (text) => expect(isStorableText(fieldName(text)) && fieldName(text).length > 0).toBe(true)));
  });

  it('gives the path of every unstorable string or key', () => {
    expect(unstorablePaths({ name: 'ok', url: 'x\u0000', tags: ['a', '\ud800'], map: { 'b\u0001ad': 'v' } })).toEqual(['url', 'tags[1]', 'map.b\\u0001ad']);
    expect(unstorablePaths({ '\u0000': 'x' })).toEqual(['\\u0000']);
    expect(unstorablePaths('\u0000', 'sub1')).toEqual(['sub1']);
    expect(unstorablePaths({ a: 1, b: null, c: true })).toEqual([]);
  });
});
