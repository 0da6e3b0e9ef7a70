/** Query parameters whose values are credentials by their name: api_key, token, sig, auth, password... */
const SECRET_PARAM = /token|secret|key|sig|auth|pass|pwd|hash|credential|session/i;
const MASK = '***';

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * The URL as the delivery log shows it: user info and the values of
 * credential-like query parameters replaced by ***. Everything else stays
 * byte for byte as sent, so the log still shows what the affiliate got.
 */
export function maskUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?/i.exec(url);
  if (!match) return MASK;
  const [, scheme, authority, path, query] = match;
  const at = authority.lastIndexOf('@');
  const host = at >= 0 ? `${MASK}@${authority.slice(at + 1)}` : authority;
  const maskedQuery = query
    ?.slice(1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals >= 0 ? pair.slice(0, equals) : pair;
      return equals >= 0 && SECRET_PARAM.test(decodeName(name)) ? `${name}=${MASK}` : pair;
    })
    .join('&');
  return `${scheme}${host}${path}${maskedQuery === undefined ? '' : `?${maskedQuery}`}`;
}
