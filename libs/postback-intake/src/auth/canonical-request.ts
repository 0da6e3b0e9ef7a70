import { createHmac } from 'node:crypto';
import { RequestParam } from '../params/read-postback';

/**
 * What an advertiser signs (HMAC-SHA256 with its signing secret, hex):
 *
 *   METHOD "\n" PATH "\n" PARAMS "\n" TIMESTAMP
 *
 * METHOD     GET or POST.
 * PATH       the request path without the query string, e.g. /postback.
 * PARAMS     every parameter of the query string and of a form or JSON body
 *            except `signature`, URL-decoded, then name and value each
 *            percent-encoded as in RFC 3986 (only A–Z a–z 0–9 - . _ ~ stay
 *            as they are), written name=value, sorted by name and then by
 *            value (byte order) and joined with "&". JSON numbers and
 *            booleans count as written by JSON.stringify.
 * TIMESTAMP  Unix time in seconds, as sent in the X-Tracklane-Timestamp
 *            header or the `timestamp` parameter.
 */
export interface CanonicalRequest {
  method: string;
  path: string;
  params: readonly RequestParam[];
  timestamp: string;
}

export const SIGNATURE_PARAM = 'signature';

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function canonicalRequest(request: CanonicalRequest): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of request.params) {
    if (name !== SIGNATURE_PARAM) pairs.push([rfc3986(name), rfc3986(value)]);
  }
  pairs.sort((a, b) => byteOrder(a[0], b[0]) || byteOrder(a[1], b[1]));
  const params = pairs.map(([name, value]) => `${name}=${value}`).join('&');
  return `${request.method.toUpperCase()}\n${request.path}\n${params}\n${request.timestamp}`;
}

/** The signature an advertiser sends for a request (hex HMAC-SHA256 of the canonical request). */
export function signPostback(secret: string, request: CanonicalRequest): string {
  return createHmac('sha256', secret).update(canonicalRequest(request)).digest('hex');
}
