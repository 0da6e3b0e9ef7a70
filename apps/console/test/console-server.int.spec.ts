import { loadEnv } from '@tracklane/config';
import { startService, type RunningService } from '@tracklane/observability';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { consoleService } from '../src/console.definition';
import { ConsoleEnv } from '../src/console.env';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Answer = (received: Received, response: ServerResponse, incoming: IncomingMessage) => void;

/** A real HTTP server standing in for one API: records what arrives, answers as the test says. */
async function upstream(answer: Answer) {
  const received: Received[] = [];
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const entry = { method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks) };
      received.push(entry);
      answer(entry, response, incoming);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    received,
    url: `http://127.0.0.1:${port}`,
    close: () => {
      // Even an answer a broken proxy left hanging must not keep the test run alive.
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An address nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Chunks are sent one by one without a content-length (chunked transfer coding). */
  body?: Buffer | string | Buffer[];
}

/** Sends a request exactly as given (no URL normalisation, any bytes), for paths a browser would never send. */
function send(base: string, path: string, options: RawOptions, onResponse: (response: IncomingMessage, outgoing: ClientRequest) => void): ClientRequest {
  const { hostname, port } = new URL(base);
  const outgoing = request({ host: hostname, port, path, method: options.method ?? 'GET', headers: options.headers }, (response) => onResponse(response, outgoing));
  if (Array.isArray(options.body)) {
    for (const chunk of options.body) outgoing.write(chunk);
    outgoing.end();
  } else {
    outgoing.end(options.body);
  }
  return outgoing;
}

function raw(base: string, path: string, options: RawOptions = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    send(base, path, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

describe('the console server', () => {
  let assets: string;
  let secret: string;
  let service: RunningService<ConsoleEnv>;
  let management: Awaited<ReturnType<typeof upstream>>;
  let reporting: Awaited<ReturnType<typeof upstream>>;
  let postback: Awaited<ReturnType<typeof upstream>>;
  const bigCsv = Buffer.from('day,clicks\n' + '2026-12-06,1\n'.repeat(400_000));
  const indexHtml = '<!doctype html><title>Tracklane console</title><script type="module" src="/assets/index-abc123.js"></script>';
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;
  /** Lets the held export finish; set while an export is held. */
  let releaseExport: (() => void) | undefined;
  /** Resolves when the endless export's answer closes, with whether it was cut short. */
  let endlessClosed: Promise<boolean> | undefined;

  beforeAll(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'tracklane-console-'));
    assets = join(parent, 'web');
    secret = join(parent, 'secret.txt');
    writeFileSync(secret, 'not for browsers');
    mkdirSync(join(assets, 'assets'), { recursive: true });
    const files: Record<string, string | Buffer> = {
      'index.html': indexHtml,
      'assets/index-abc123.js': script,
      'assets/index-abc123.js.map': '{"version":3}',
      'assets/worker-abc123.mjs': 'export {};',
      'assets/index-abc123.css': 'body{color:#111}',
      'assets/logo-abc123.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'assets/logo-abc123.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'assets/inter-abc123.woff2': Buffer.from('wOF2'),
      'favicon.ico': Buffer.from([0, 0, 1, 0]),
      'manifest.json': '{"name":"Tracklane"}',
      'robots.txt': 'User-agent: *\nDisallow: /\n',
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(assets, name), content);

    management = await upstream((received, response) => {
      if (received.url.startsWith('/v1/drop')) {
        response.socket?.destroy();
        return;
      }
      response.writeHead(received.url.startsWith('/v1/missing') ? 404 : 200, {
        'content-type': 'application/json',
        'content-length': '17',
        'set-cookie': 'session=upstream',
        'x-request-id': 'r-1',
      });
      response.end('{"answered":true}');
    });
    reporting = await upstream((received, response) => {
      if (received.url.startsWith('/v1/exports/held')) {
        // Half the export now, the rest only once the browser has seen the first half: a buffering proxy never gets there.
        response.writeHead(200, { 'content-type': 'text/csv' });
        response.write('day,clicks\n2026-12-01,5\n');
        releaseExport = () => response.end('2026-12-02,7\n');
        return;
      }
      if (received.url.startsWith('/v1/exports/endless')) {
        response.writeHead(200, { 'content-type': 'text/csv' });
        const timer = setInterval(() => response.write('2026-12-01,5\n'), 5);
        // Endless for any browser that stays: an export that outlives the test would hide a proxy that never lets go.
        setTimeout(() => response.end(), 10_000).unref();
        endlessClosed = new Promise((resolve) =>
          response.on('close', () => {
            clearInterval(timer);
            resolve(!response.writableFinished);
          }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="stats.csv"' });
      response.end(bigCsv);
    });
    postback = await upstream((_received, response) => {
      // Kafka was down halfway: the answer names every row, and says when to upload the same file again.
      response.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '5', 'cache-control': 'no-store' });
      response.end('{"ok":false,"rows":2,"accepted":1,"duplicates":0,"refused":0,"notTried":1,"results":[]}');
    });
    const env = loadEnv(ConsoleEnv, {
      LOG_LEVEL: 'silent',
      MANAGEMENT_URL: management.url,
      REPORTING_URL: reporting.url,
      POSTBACK_URL: postback.url,
      CONSOLE_ASSETS_DIR: assets,
    });
    service = await startService(consoleService, env);
  });

  afterAll(async () => {
    await management?.close();
    await reporting?.close();
    await postback?.close();
    await service?.close();
    if (assets) rmSync(join(assets, '..'), { recursive: true, force: true });
  });

  describe('the web app', () => {
    it('answers every app page with index.html, revalidated on each load, with the security headers', async () => {
      for (const path of ['/', '/reports?group_by=offer&from=2026-12-01', '/offers', '/offers/7/edit', '/api']) {
        const response = await raw(service.url, path);
        expect([path, response.status, response.body.toString()]).toEqual([path, 200, indexHtml]);
        expect(response.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...SECURITY_HEADERS });
      }
    });

    it.each([
      ['/assets/index-abc123.js', 'text/javascript; charset=utf-8'],
      ['/assets/worker-abc123.mjs', 'text/javascript; charset=utf-8'],
      ['/assets/index-abc123.js.map', 'application/json'],
      ['/assets/index-abc123.css', 'text/css; charset=utf-8'],
      ['/assets/logo-abc123.svg', 'image/svg+xml'],
      ['/assets/logo-abc123.png', 'image/png'],
      ['/assets/inter-abc123.woff2', 'font/woff2'],
    ])('serves %s as %s, cached for a year, with the security headers', async (path, type) => {
      const response = await raw(service.url, path);
      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject({ 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable', ...SECURITY_HEADERS });
    });

    it.each([
      ['/favicon.ico', 'image/x-icon'],
      ['/manifest.json', 'application/json'],
      ['/robots.txt', 'text/plain; charset=utf-8'],
    ])('serves %s as %s, revalidated on each load', async (path, type) => {
      const response = await raw(service.url, path);
      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject({ 'content-type': type, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
    });

    it('compresses for a browser that accepts it and answers a revalidation with 304', async () => {
      const plain = await raw(service.url, '/assets/index-abc123.js');
      expect(plain.body.toString()).toBe(script);
      expect(plain.headers['content-encoding']).toBeUndefined();

      const zipped = await raw(service.url, '/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toBe('accept-encoding');
      expect(gunzipSync(zipped.body).toString()).toBe(script);

      const page = await raw(service.url, '/reports');
      const again = await raw(service.url, '/reports', { headers: { 'if-none-match': String(page.headers.etag) } });
      expect(again.status).toBe(304);
      expect(again.body).toHaveLength(0);
      expect(again.headers).toMatchObject({ 'cache-control': 'no-cache', ...SECURITY_HEADERS });
    });

    it('answers HEAD with the headers of GET and no body', async () => {
      const get = await raw(service.url, '/assets/index-abc123.js');
      const head = await raw(service.url, '/assets/index-abc123.js', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toHaveLength(0);
      expect(head.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'content-length': String(get.body.length), ...SECURITY_HEADERS });
      expect((await raw(service.url, '/reports', { method: 'HEAD' })).headers['content-type']).toBe('text/html; charset=utf-8');
    });

    it('answers 404 for a missing asset rather than the page', async () => {
      for (const path of ['/assets/index-gone.js', '/apple-touch-icon.png']) {
        const response = await raw(service.url, path);
        expect([path, response.status]).toEqual([path, 404]);
        expect(response.headers).toMatchObject(SECURITY_HEADERS);
      }
    });

    it.each([
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2E%2E/etc/passwd',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5c..%5csecret.txt',
      '/assets\\..\\..\\secret.txt',
      '/..',
      '/reports/..',
      '/%00',
      '/index.html%00.js',
    ])('never leaves the built app: %s is a 404', async (path) => {
      const response = await raw(service.url, path);
      expect(response.status).toBe(404);
      expect(response.body.toString()).not.toContain('not for browsers');
    });

    it('answers a path whose percent-encoding does not decode with a 400 problem', async () => {
      const response = await raw(service.url, '/%E0%A4%A');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('keeps its own health and readiness, which need nothing but itself', async () => {
      expect((await raw(service.url, '/healthz')).status).toBe(200);
      const ready = await raw(service.url, '/readyz');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body.toString())).toEqual({ ready: true, checks: {} });
    });
  });

  describe('the API proxy', () => {
    const oddJson = Buffer.from('{"name":"Acme \\u0000 Shoes",  "odd":"\xff\xfe\x00",\r\n"n":1.50}', 'latin1');
    const csv = Buffer.from('click_id,payout\r\nabc,1.50\r\n"x,y",\xa0\r\n', 'latin1');

    it.each([
      ['GET', 'no', undefined, undefined],
      ['DELETE', 'no', undefined, undefined],
      ['POST', 'a JSON', 'application/json', oddJson],
      ['PUT', 'a CSV', 'text/csv', csv],
      ['PATCH', 'a merge-patch', 'application/merge-patch+json', oddJson],
      ['DELETE', 'a JSON', 'application/json', oddJson],
    ])('passes %s with %s body on byte for byte, with the key, without cookies or the console’s host', async (method, _what, type, body) => {
      const before = management.received.length;
      const response = await raw(service.url, '/api/management/v1/offers/7?status=active&name=a%20b&x=%ZZ&y=1;2&&z=', {
        method,
        headers: {
          host: 'console.example.com',
          authorization: 'Bearer tl_test_key',
          cookie: 'console=1',
          connection: 'keep-alive, x-console-hop',
          'x-console-hop': 'only for this connection',
          'proxy-authorization': 'Basic cHJveHk=',
          'x-forwarded-for': '203.0.113.9',
          'x-request-id': 'click-42',
          ...(type && body ? { 'content-type': type, 'content-length': String(body.length) } : {}),
        },
        body,
      });
      expect(response.status).toBe(200);
      const arrived = management.received[before];
      expect(arrived).toMatchObject({ method, url: '/v1/offers/7?status=active&name=a%20b&x=%ZZ&y=1;2&&z=' });
      expect(arrived.body.equals(body ?? Buffer.alloc(0))).toBe(true);
      expect(arrived.headers).toMatchObject({
        host: new URL(management.url).host,
        authorization: 'Bearer tl_test_key',
        'x-request-id': 'click-42',
        'x-forwarded-for': '203.0.113.9, 127.0.0.1',
        'x-forwarded-proto': 'http',
        ...(type ? { 'content-type': type } : {}),
      });
      for (const dropped of ['cookie', 'x-console-hop', 'proxy-authorization']) expect([dropped, arrived.headers[dropped]]).toEqual([dropped, undefined]);
      // The API's answer comes back with its status and headers, without what would set state in the console's origin.
      expect(response.body.toString()).toBe('{"answered":true}');
      expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'r-1', 'x-content-type-options': 'nosniff' });
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('streams a request body sent in chunks without a length', async () => {
      const before = management.received.length;
      const chunks = [Buffer.from('click_id,payout\n'), Buffer.from('abc,1.50\n'), Buffer.from('def,\xff\n', 'latin1')];
      const response = await raw(service.url, '/api/management/v1/imports', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: chunks });
      expect(response.status).toBe(200);
      expect(management.received[before].body.equals(Buffer.concat(chunks))).toBe(true);
    });

    it('passes the API’s status back', async () => {
      expect((await raw(service.url, '/api/management/v1/missing')).status).toBe(404);
    });

    it('answers HEAD with the API’s headers and no body', async () => {
      const before = management.received.length;
      const response = await raw(service.url, '/api/management/v1/offers', { method: 'HEAD' });
      expect(management.received[before].method).toBe('HEAD');
      expect(response.status).toBe(200);
      expect(response.headers['content-length']).toBe('17');
      expect(response.body).toHaveLength(0);
    });

    it('passes a large CSV export through whole', async () => {
      const response = await raw(service.url, '/api/reporting/v1/reports/stats?format=csv&from=2026-12-01&to=2026-12-06');
      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject({ 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="stats.csv"' });
      expect(response.body.equals(bigCsv)).toBe(true);
      expect(reporting.received.at(-1)?.url).toBe('/v1/reports/stats?format=csv&from=2026-12-01&to=2026-12-06');
    });

    it('hands the browser each part of an answer as it comes, not once the API has finished', async () => {
      const body = await new Promise<string>((resolve, reject) => {
        let text = '';
        send(service.url, '/api/reporting/v1/exports/held', {}, (response) => {
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            if (text === '') releaseExport?.();
            text += chunk;
          });
          response.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(body).toBe('day,clicks\n2026-12-01,5\n2026-12-02,7\n');
    }, 5_000);

    it('stops the API’s answer when the browser goes away', async () => {
      await new Promise<void>((resolve, reject) => {
        send(service.url, '/api/reporting/v1/exports/endless', {}, (response, outgoing) => {
          response.once('data', () => {
            outgoing.destroy();
            resolve();
          });
        }).on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
      });
      await expect(endlessClosed).resolves.toBe(true);
    }, 5_000);

    it.each([
      '/api/management/metrics',
      '/api/management/readyz',
      '/api/reporting/healthz',
      '/api/management/v1',
      '/api/reporting/v1/../metrics',
      '/api/reporting/v1/%2e%2e/metrics',
      '/api/reporting/v1/%2E%2E%2Fmetrics',
      '/api/management/v1/..%5cmetrics',
      '/api/management/v1/offers%00',
      '/api/other/v1/offers',
      '/api/managementx/v1/offers',
      '/api/',
    ])('refuses %s with a 404 problem, reaching no API', async (path) => {
      const before = management.received.length + reporting.received.length;
      for (const method of ['GET', 'POST']) {
        const response = await raw(service.url, path, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
        expect([method, response.status, response.headers['content-type']]).toEqual([method, 404, 'application/problem+json']);
        expect(JSON.parse(response.body.toString())).toMatchObject({ status: 404, title: 'Not Found' });
      }
      expect(management.received.length + reporting.received.length).toBe(before);
    });

    it('passes an uploaded conversions file to postback-ingest byte for byte with its token, and its answer back with Retry-After', async () => {
      const file = Buffer.from('\ufeffclick_id;order_id;amount\r\nabc;"TILL-1";49.90\r\n', 'utf8');
      const response = await raw(service.url, '/api/postback/v1/conversions/upload', {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-tracklane-token': 'adv-token', authorization: 'Bearer tl_test_key', cookie: 'console=1' },
        body: [file.subarray(0, 7), file.subarray(7)],
      });
      const arrived = postback.received.at(-1);
      expect(arrived).toMatchObject({ method: 'POST', url: '/v1/conversions/upload' });
      expect(arrived?.body.equals(file)).toBe(true);
      expect(arrived?.headers).toMatchObject({ 'content-type': 'text/csv', 'x-tracklane-token': 'adv-token', 'x-forwarded-for': '127.0.0.1' });
      expect(arrived?.headers.cookie).toBeUndefined();
      expect(response.status).toBe(503);
      expect(response.headers).toMatchObject({ 'retry-after': '5', 'content-type': 'application/json; charset=utf-8' });
      expect(JSON.parse(response.body.toString())).toMatchObject({ rows: 2, notTried: 1 });
    });

    it.each([
      ['GET', '/api/postback/v1/conversions/upload'],
      ['POST', '/api/postback/v1/postback?token=adv-token&click_id=abc'],
      ['GET', '/api/postback/postback?token=adv-token'],
      ['POST', '/api/postback/v1/conversions/upload/'],
      ['POST', '/api/postback/v1/conversions/%2e%2e/upload'],
      ['GET', '/api/postback/metrics'],
    ])('refuses %s %s of postback-ingest with a 404 problem, reaching it not', async (method, path) => {
      const before = postback.received.length;
      const response = await raw(service.url, path, { method, headers: { 'content-type': 'text/csv' }, body: method === 'POST' ? 'order_id\nA-1\n' : undefined });
      expect([response.status, response.headers['content-type']]).toEqual([404, 'application/problem+json']);
      expect(postback.received.length).toBe(before);
    });

    it('answers 502 naming the API when it drops the connection without an answer', async () => {
      const response = await raw(service.url, '/api/management/v1/drop', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(502);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body.toString())).toEqual({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: 'management did not answer' });
    });

    it('answers 502 naming the API when nothing listens at its address', async () => {
      const nowhere = await closedPortUrl();
      const env = loadEnv(ConsoleEnv, { LOG_LEVEL: 'silent', MANAGEMENT_URL: nowhere, REPORTING_URL: nowhere, POSTBACK_URL: nowhere, CONSOLE_ASSETS_DIR: assets });
      const offline = await startService(consoleService, env);
      try {
        for (const [name, method, path] of [
          ['management', 'GET', '/api/management/v1/offers'],
          ['reporting', 'GET', '/api/reporting/v1/offers'],
          ['postback-ingest', 'POST', '/api/postback/v1/conversions/upload'],
        ]) {
          const response = await raw(offline.url, path, { method, headers: { 'content-type': 'text/csv' }, body: method === 'POST' ? 'order_id\nA-1\n' : undefined });
          expect(response.status).toBe(502);
          expect(JSON.parse(response.body.toString())).toEqual({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: `${name} did not answer` });
        }
        // The console itself stays ready: an API's outage is the API's to report.
        expect((await raw(offline.url, '/readyz')).status).toBe(200);
      } finally {
        await offline.close();
      }
    });
  });

  it('refuses an API address that is no http(s) base URL, naming the setting', () => {
    expect(() => loadEnv(ConsoleEnv, { LOG_LEVEL: 'silent', POSTBACK_URL: '127.0.0.1:8081' })).toThrow(/POSTBACK_URL must be an http\(s\) base URL/);
  });

  it('refuses to start without a built web app, naming the setting', async () => {
    const env = loadEnv(ConsoleEnv, { LOG_LEVEL: 'silent', CONSOLE_ASSETS_DIR: join(assets, 'missing') });
    await expect(startService(consoleService, env)).rejects.toThrow(/CONSOLE_ASSETS_DIR .*missing holds no index\.html/);
  });
});
