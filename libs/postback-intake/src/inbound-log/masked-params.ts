import { RequestParam } from '../params/read-postback';
import { RESERVED_PARAMS } from '../params/standard-fields';

export const MASKED = '[masked]';

/** Steering parameters that carry a secret (token, signature); the others (timestamp, format) are kept. */
const SECRET_PARAMS: ReadonlySet<string> = new Set([...RESERVED_PARAMS].filter((name) => name !== 'timestamp' && name !== 'format'));

// eslint-disable-next-line no-control-regex -- what PostgreSQL text and jsonb cannot hold
const UNSTORABLE = /[\u0000]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MAX_VALUE_LENGTH = 2048;
const MAX_LOGGED_PARAMS = 200;

/** A value as it can be stored and shown: unstorable characters replaced, long values cut (and marked). */
export function storableText(value: string): string {
  const clean = value.replace(UNSTORABLE, '\ufffd');
  return clean.length > MAX_VALUE_LENGTH ? `${clean.slice(0, MAX_VALUE_LENGTH)}…[cut]` : clean;
}

/**
 * A postback's parameters as they may be shown to the advertiser and
 * stored in the inbound log: secrets masked (the token under any of its
 * names, the signature, and any value that is some advertiser's token),
 * everything else as received, at most 200 of them.
 */
export function maskedParams(
  params: readonly RequestParam[],
  isSecret: (name: string, value: string) => boolean,
): Record<string, string> {
  const shown: Record<string, string> = Object.create(null);
  for (const [name, value] of params.slice(0, MAX_LOGGED_PARAMS)) {
    const secret = SECRET_PARAMS.has(name.toLowerCase()) || isSecret(name, value);
    shown[storableText(name)] = secret ? MASKED : storableText(value);
  }
  return shown;
}

/** The parameters of a request whose parameters could not be read (refused before that step), as far as they can be shown. */
export function unreadParams(query: unknown, body: unknown): RequestParam[] {
  const params: RequestParam[] = [];
  for (const source of [query, body]) {
    if (source === null || typeof source !== 'object' || Array.isArray(source) || Buffer.isBuffer(source)) continue;
    for (const [name, value] of Object.entries(source)) {
      params.push([name, typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)]);
    }
  }
  return params;
}
