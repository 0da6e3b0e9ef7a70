import { forwardedHeaders, returnedHeaders, takes, upstreamPath } from './api-proxy';

describe('upstreamPath', () => {
  it('keeps a /v1/ path and its query exactly as the browser sent them', () => {
    expect(upstreamPath('/v1/reports/stats?group_by=offer&name=a%20b&x=%ZZ')).toBe('/v1/reports/stats?group_by=offer&name=a%20b&x=%ZZ');
    expect(upstreamPath('/v1/offers/7')).toBe('/v1/offers/7');
  });

  it.each([
    ['the API’s metrics', '/metrics'],
    ['its readiness', '/readyz'],
    ['a bare /v1', '/v1?x=1'],
    ['a dot segment', '/v1/../metrics'],
    ['an encoded dot segment', '/v1/%2e%2e/metrics'],
    ['a current-directory segment', '/v1/./offers'],
    ['an encoded backslash', '/v1/..%5cmetrics'],
    ['an encoded NUL', '/v1/offers%00'],
    ['broken percent-encoding', '/v1/%E0%A4%A'],
  ])('refuses %s', (_what, rest) => {
    expect(upstreamPath(rest)).toBeUndefined();
  });

  it('does not mistake a dot inside a query for a path segment', () => {
    expect(upstreamPath('/v1/offers?name=../x')).toBe('/v1/offers?name=../x');
  });
});

describe('forwardedHeaders', () => {
  const client = { address: '198.51.100.4', protocol: 'https' };

  it('passes the key and content headers on, never hop-by-hop ones, the host or cookies', () => {
    const forwarded = forwardedHeaders(
      {
        authorization: 'Bearer tl_key',
        'content-type': 'text/csv',
        'content-length': '12',
        accept: 'text/csv',
        host: 'console.example.com',
        cookie: 'a=1',
        connection: 'keep-alive, x-hop',
        'x-hop': 'only this connection',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        te: 'trailers',
        trailer: 'x-checksum',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic abc',
        'proxy-connection': 'keep-alive',
      },
      client,
    );
    expect(forwarded).toEqual({
      authorization: 'Bearer tl_key',
      'content-type': 'text/csv',
      'content-length': '12',
      accept: 'text/csv',
      'x-forwarded-for': '198.51.100.4',
      'x-forwarded-proto': 'https',
    });
  });

  it('appends the browser to a forwarding chain and states its own protocol', () => {
    expect(forwardedHeaders({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1', 'x-forwarded-proto': 'http' }, client)).toEqual({
      'x-forwarded-for': '203.0.113.9, 10.0.0.1, 198.51.100.4',
      'x-forwarded-proto': 'https',
    });
  });
});

describe('returnedHeaders', () => {
  it('passes the API’s answer headers back without hop-by-hop ones or cookies, never sniffed', () => {
    expect(
      returnedHeaders({
        'content-type': 'text/csv',
        'content-disposition': 'attachment; filename="stats.csv"',
        'cache-control': 'no-store',
        'set-cookie': ['a=1'],
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
      }),
    ).toEqual({
      'content-type': 'text/csv',
      'content-disposition': 'attachment; filename="stats.csv"',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });
});

describe('takes', () => {
  const upload = { name: 'postback-ingest', baseUrl: 'http://127.0.0.1:8081', only: ['POST /v1/conversions/upload'] };

  it('passes any call to an API that names none, only the named ones to one that does', () => {
    expect(takes({ name: 'management', baseUrl: 'http://127.0.0.1:8082' }, 'DELETE', '/v1/offers/7')).toBe(true);
    expect(takes(upload, 'POST', '/v1/conversions/upload')).toBe(true);
    expect(takes(upload, 'POST', '/v1/conversions/upload?signature=abc&timestamp=1')).toBe(true);
  });

  it.each([
    ['another method', 'GET', '/v1/conversions/upload'],
    ['the postback endpoint', 'POST', '/v1/postback'],
    ['a longer path', 'POST', '/v1/conversions/upload/x'],
    ['a trailing slash', 'POST', '/v1/conversions/upload/'],
  ])('refuses %s', (_what, method, path) => {
    expect(takes(upload, method, path)).toBe(false);
  });
});
