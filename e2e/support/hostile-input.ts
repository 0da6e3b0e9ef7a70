import fc from 'fast-check';
import { request } from 'node:http';

/**
 * Hostile input for the public endpoints, as fast-check arbitraries: the
 * bytes real partners, browsers and attackers send that a store downstream
 * might not hold (NUL, control characters, lone surrogates, invalid and
 * overlong percent-encoding, values at and beyond the documented limits,
 * emoji that are one character but two UTF-16 units, CSV and formula
 * characters), mixed with ordinary values so most requests get through to
 * the stores.
 */

/** A value as it goes into a query string or form: already percent-encoded, or left raw on purpose. */
export type QueryValue = { encoded: string };

const HOSTILE_UNITS = ['\u0000', '\u0001', '\u0007', '\u001b', '\u001f', '\u007f', '\t', '\n', '\r', '\ud800', '\udfff', '😀', 'é', 'ß', '\u0085', '\ufeff', '"', ',', ';', '=', '+', '-', '@', "'", '<', '%', 'a', '1'];

/** Any string of the units above: mostly nonsense, always hostile. */
export const hostileText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...HOSTILE_UNITS), minLength: 1, maxLength: 24 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }),
  fc.constantFrom('=HYPERLINK("http://evil.example")', '@SUM(1+1)', 'a\u0000b', '\u0000', '\ud83d', 'x\udc00y', '😀'.repeat(512), '😀'.repeat(513)),
  fc.constantFrom(127, 128, 255, 256, 511, 512, 513, 1023, 1024, 1025, 2048, 2049).map((length) => 'x'.repeat(length)),
);

/** Odd but storable: what must get through (emoji at the limit, CSV and formula characters, tabs and line breaks). */
export const oddStorableText = fc.oneof(
  fc.string({ unit: fc.constantFrom('😀', 'é', 'ß', '\ufeff', '"', ',', ';', '=', '+', '-', '@', "'", '<', '%', ' ', '\t', '\n', '\r', 'a', '1'), minLength: 1, maxLength: 24 }),
  fc.constantFrom('=HYPERLINK("http://evil.example")', '@SUM(1+1)', '😀'.repeat(512), 'Ünïcødé'),
);

/** Mostly plain or odd-but-storable, sometimes hostile: so that many requests get through to the stores. */
export function mostlyStorable(plain: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 5, arbitrary: plain }, { weight: 2, arbitrary: oddStorableText }, { weight: 1, arbitrary: hostileText });
}

/** A value one time in `oneIn`, else null (fc.option's freq counts the other way round). */
export function sometimes<T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

/** Percent-encodes any UTF-16 string; a lone surrogate becomes the three bytes a careless encoder writes (invalid UTF-8). */
export function percentEncoded(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else {
      out += encodeURIComponent(text[i]);
    }
  }
  return out;
}

/** Escapes a percent-decoder must refuse or keep as written: overlong, truncated, not hex, encoded surrogates. */
const RAW_FRAGMENTS = ['%00', '%C0%80', '%E0%80%80', '%ZZ', '%', '%4', '%ED%A0%80', '%FF%FE', '%F4%90%80%80', '%0D%0A', '%25', '%2', 'a%00b', '%C3%28'];

export const hostileQueryValue: fc.Arbitrary<QueryValue> = fc.oneof(
  { weight: 3, arbitrary: hostileText.map((text) => ({ encoded: percentEncoded(text) })) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...RAW_FRAGMENTS), { minLength: 1, maxLength: 4 }).map((parts) => ({ encoded: parts.join('') })) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9_-]{1,20}$/).map((text) => ({ encoded: text })) },
);

/** A name for an extra parameter: plain or hostile, never one of the names that steer a request. */
export const hostileParamName: fc.Arbitrary<QueryValue> = fc.oneof(
  fc.stringMatching(/^[a-z]{1,10}$/).map((name) => ({ encoded: `x_${name}` })),
  hostileText.filter((name) => name.length <= 80).map((name) => ({ encoded: `x_${percentEncoded(name)}` })),
  fc.constantFrom(...RAW_FRAGMENTS).map((fragment) => ({ encoded: `x_${fragment}` })),
);

export function queryString(params: readonly (readonly [string, QueryValue])[]): string {
  return params.map(([name, value]) => `${name}=${value.encoded}`).join('&');
}

/** Header values Node's HTTP client will send: visible ASCII, tab and Latin-1 bytes (the parser refuses the rest). */
export const hostileHeader = fc.oneof(
  fc.string({ unit: fc.constantFrom('\t', ' ', 'a', 'Z', '/', ';', '(', '\u0080', '\u0085', '\u00ff', '\u00e9', '%', '"'), maxLength: 40 }),
  fc.constantFrom(1000, 1012, 1013, 2100, 5000).map((length) => `Mozilla/5.0 ${'x'.repeat(length)}`),
  fc.constant('Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'),
);

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request with the path and headers exactly as given (fetch would
 * re-encode the query and refuse some header bytes). Only to 127.0.0.1. A
 * connection of its own each time: a kept-alive one the server closes just as
 * it is reused would look like a server that hung up.
 */
export function send(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const url = new URL(base);
  if (url.hostname !== '127.0.0.1') throw new Error(`the fuzz only talks to 127.0.0.1, not ${url.hostname}`);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port: url.port, path, method: options.method ?? 'GET', headers: options.headers, timeout: 15_000, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within 15 s: ${options.method ?? 'GET'} ${path.slice(0, 200)}`)));
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/**
 * Refusals no server code sees: Node's HTTP parser answers 431 for a request
 * line and headers beyond its 16 KiB limit before any parameter is read, so
 * there is no field to name.
 */
export const UNNAMED_REFUSALS: ReadonlySet<number> = new Set([431]);

/** The fields a refusal names: problem details' errors, or postback-ingest's own field. */
export function refusedFields(answer: Answer): string[] {
  try {
    const body = JSON.parse(answer.body) as { field?: string; errors?: { field?: string }[] };
    const fields = (body.errors ?? []).flatMap((error) => (error.field ? [error.field] : []));
    return fields.length > 0 ? fields : body.field ? [body.field] : [];
  } catch {
    return [];
  }
}

/** How many runs each property gets: FUZZ_RUNS for `npm run fuzz`, the bounded default otherwise. */
export function fuzzRuns(bounded: number): number {
  const configured = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(configured) && configured > 0 ? configured : bounded;
}
