import { failureOf, responseError, sanitisedExcerpt } from './failure-classes';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('what an affiliate sees of a failed attempt', () => {
  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 10.0.3.7:6379', 'connection refused'],
    ['ECONNRESET', 'read ECONNRESET', 'connection reset'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND db.internal', 'dns: host not found'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN hooks.example', 'dns: lookup failed'],
    ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.9.9.9:80', 'host unreachable'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: IP: 10.0.0.1", 'tls: handshake failed'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'tls: handshake failed'],
    ['HPE_INVALID_CONSTANT', 'Parse Error: Expected HTTP/', 'invalid HTTP response'],
    ['EWHATEVER', 'something at 10.0.0.1:22', 'network error'],
  ])('%s is "%s" → %s, the message only in the log', (code, message, error) => {
    expect(failureOf(errno(code, message))).toEqual({ error, detail: `${code}: ${message}` });
  });

  it('keeps a short excerpt of an error answer without addresses, ports, markup or control characters', () => {
    expect(responseError(404, 'unknown click')).toEqual({ error: 'HTTP 404: unknown click', detail: 'HTTP 404: unknown click' });
    expect(responseError(500, '')).toEqual({ error: 'HTTP 500', detail: 'HTTP 500' });
    expect(sanitisedExcerpt('<b>upstream</b> 10.0.3.7:6379, [fd00::1]:80, fe80::1%eth0, redis.internal:6379\u0000\u001b[31m down')).toBe(
      'upstream [address], [address], [address], [address] [31m down',
    );
    expect(sanitisedExcerpt('x'.repeat(500))).toBe(`${'x'.repeat(99)}…`);
  });

  it('never shows where a redirect pointed', () => {
    expect(responseError(302, 'Found. Redirecting to http://169.254.169.254/latest')).toEqual({
      error: 'HTTP 302: redirects are not followed',
      detail: 'HTTP 302: Found. Redirecting to http://169.254.169.254/latest',
    });
  });
});
