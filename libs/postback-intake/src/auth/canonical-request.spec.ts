import { canonicalRequest, signPostback } from './canonical-request';

describe('the canonical request', () => {
  const request = {
    method: 'get',
    path: '/postback',
    params: [
      ['token', 'tok'],
      ['order_id', 'A 1/2'],
      ['signature', 'ignored'],
      ['amount', '9.99'],
      ['a0', 'x'],
      ['a', "it's*"],
      ['a', 'b'],
    ] as [string, string][],
    timestamp: '1767225600',
  };

  it('is method, path, sorted RFC 3986-encoded parameters without the signature, and the timestamp', () => {
    expect(canonicalRequest(request)).toBe(
      "GET\n/postback\na=b&a=it%27s%2A&a0=x&amount=9.99&order_id=A%201%2F2&token=tok\n1767225600",
    );
  });

  it('does not depend on the order in which parameters arrive', () => {
    expect(canonicalRequest({ ...request, params: [...request.params].reverse() })).toBe(canonicalRequest(request));
  });

  it('is signed with HMAC-SHA256 in hex', () => {
    // Computed independently: printf 'GET\n/postback\na=b&a=it%%27s%%2A&a0=x&amount=9.99&order_id=A%%201%%2F2&token=tok\n1767225600' | openssl dgst -sha256 -hmac s3cret
    expect(signPostback('s3cret', request)).toBe('134dc598560f7a4c833f255e94c4cacf6234a9081132db46c77114737046e345');
  });
});
