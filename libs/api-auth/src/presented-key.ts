type Headers = Record<string, string | string[] | undefined>;

/**
 * The API key a request presents: "Authorization: Bearer <key>", else
 * "X-Api-Key: <key>", else — only where the route allows it (GET report
 * endpoints, for BI tools and spreadsheets that cannot set headers) — the
 * api_key query parameter. An Authorization header of another scheme is
 * returned as it is, so the answer says it is not shaped like a key.
 */
export function presentedKey(headers: Headers, query?: unknown): string | undefined {
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (bearer) return bearer;
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const fromQuery = keyInQuery(query);
  if (fromQuery) return fromQuery;
  return typeof authorization === 'string' && authorization !== '' ? authorization : undefined;
}

/** api_key of a parsed query string, when given once. */
export function keyInQuery(query: unknown): string | undefined {
  const value = (query as Record<string, unknown> | null | undefined)?.api_key;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
