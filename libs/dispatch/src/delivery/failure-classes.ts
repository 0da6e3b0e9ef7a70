/**
 * What an affiliate is told about a failed attempt (postback_deliveries.last_error,
 * shown by the reporting and management APIs): our classification of it and at
 * most a short, sanitised excerpt of the receiver's own answer. Never a
 * socket error's text: "connect ECONNREFUSED 10.0.3.7:6379" would map our
 * network for whoever controls a postback URL. The full text is logged only.
 */
export interface Failure {
  error: string;
  detail: string;
}

const NETWORK_CLASSES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^ECONNREFUSED$/, 'connection refused'],
  [/^(ECONNRESET|EPIPE|ECONNABORTED|ERR_STREAM_PREMATURE_CLOSE)$/, 'connection reset'],
  [/^(ETIMEDOUT|ESOCKETTIMEDOUT)$/, 'timeout'],
  [/^(ENOTFOUND|EAI_NONAME|EAI_NODATA|ENODATA|EAI_FAIL)$/, 'dns: host not found'],
  [/^(EAI_AGAIN|ESERVFAIL|ETIMEOUT|ECONNREFUSED_DNS|EREFUSED)$/, 'dns: lookup failed'],
  [/^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|EADDRNOTAVAIL)$/, 'host unreachable'],
  [/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO)/, 'tls: handshake failed'],
  [/^HPE_/, 'invalid HTTP response'],
];

/** A socket, DNS or TLS error as its class. */
export function failureOf(error: NodeJS.ErrnoException): Failure {
  const code = error.code ?? '';
  const known = NETWORK_CLASSES.find(([pattern]) => pattern.test(code));
  return { error: known ? known[1] : 'network error', detail: code ? `${code}: ${error.message}` : error.message };
}

/** Longest excerpt of a receiver's answer an affiliate sees. */
export const EXCERPT_CHARACTERS = 100;

/**
 * A non-2xx answer: its status, and the start of its body with control
 * characters, markup and anything that looks like an address or host:port
 * removed, cut at EXCERPT_CHARACTERS. A redirect's Location is not shown:
 * redirects are not followed, wherever they point.
 */
export function responseError(statusCode: number, body: string): Failure {
  const whole = body.trim().replace(/\s+/g, ' ');
  const detail = `HTTP ${statusCode}${whole ? `: ${whole}` : ''}`;
  if (statusCode >= 300 && statusCode < 400) return { error: `HTTP ${statusCode}: redirects are not followed`, detail };
  const excerpt = sanitisedExcerpt(body);
  return { error: `HTTP ${statusCode}${excerpt ? `: ${excerpt}` : ''}`, detail };
}

export function sanitisedExcerpt(body: string): string {
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\[?\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%\w+)?\]?(?::\d{1,5})?/gi, '[address]')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, '[address]')
    .replace(/\b[a-z0-9.-]+:\d{2,5}\b/gi, '[address]')
    .replace(/[^\x20-\x7e]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > EXCERPT_CHARACTERS ? `${text.slice(0, EXCERPT_CHARACTERS - 1)}…` : text;
}
