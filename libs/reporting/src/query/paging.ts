import { createHash } from 'node:crypto';
import { RawParameter } from './filters';
import { ParameterError } from './parameter-error';

/**
 * limit/offset, or an opaque cursor from the previous page. A cursor carries
 * a fingerprint of the query it came from and is refused for any other query.
 */
export interface Page {
  limit: number | null;
  offset: number;
  /** Identifies the query apart from its paging, so a cursor cannot be replayed on another query. */
  fingerprint: string;
  /** Position decoded from a keyset cursor (raw logs), if one was given. */
  after: unknown[] | null;
}

export function queryFingerprint(params: Record<string, RawParameter>, names: readonly string[]): string {
  const relevant = names
    .filter((name) => !['limit', 'offset', 'cursor'].includes(name) && params[name] !== undefined)
    .sort()
    .map((name) => [name, params[name]]);
  return createHash('sha256').update(JSON.stringify(relevant)).digest('base64url').slice(0, 16);
}

function integer(params: Record<string, RawParameter>, name: string, min: number, max: number): number | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value) || !/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ParameterError(name, `must be an integer from ${min} to ${max}`);
  }
  return Number(value);
}

export function encodeCursor(fingerprint: string, position: unknown[]): string {
  return Buffer.from(JSON.stringify({ f: fingerprint, p: position })).toString('base64url');
}

function decodeCursor(value: RawParameter, fingerprint: string): unknown[] {
  if (typeof value !== 'string') throw new ParameterError('cursor', 'may be given once');
  let decoded: { f?: unknown; p?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new ParameterError('cursor', 'is not a cursor this API returned');
  }
  if (!Array.isArray(decoded?.p)) throw new ParameterError('cursor', 'is not a cursor this API returned');
  if (decoded.f !== fingerprint) throw new ParameterError('cursor', 'belongs to a different query; keep every other parameter as it was');
  return decoded.p;
}

/**
 * Offset paging (stats: the cursor holds an offset) or keyset paging (logs:
 * the cursor holds the last row's position, returned in `after`).
 */
export function parsePage(
  params: Record<string, RawParameter>,
  limits: { defaultLimit: number | null; maxLimit: number | null },
  parameterNames: readonly string[],
  keyset = false,
): Page {
  const fingerprint = queryFingerprint(params, parameterNames);
  const limit = integer(params, 'limit', 1, limits.maxLimit ?? 1_000_000_000) ?? limits.defaultLimit;
  const offset = keyset ? undefined : integer(params, 'offset', 0, 1_000_000_000);
  if (params.cursor === undefined || params.cursor === '') return { limit, offset: offset ?? 0, fingerprint, after: null };
  if (offset !== undefined) throw new ParameterError('cursor', 'cannot be combined with offset');
  const position = decodeCursor(params.cursor, fingerprint);
  if (keyset) return { limit, offset: 0, fingerprint, after: position };
  const [cursorOffset] = position;
  if (typeof cursorOffset !== 'number' || !Number.isInteger(cursorOffset) || cursorOffset < 0) {
    throw new ParameterError('cursor', 'is not a cursor this API returned');
  }
  return { limit, offset: cursorOffset, fingerprint, after: null };
}
