import { startService, type RunningService } from '@tracklane/observability';
import { Module } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ConsoleEnv } from '../src/console.env';
import { consoleRoutes } from '../src/console.routes';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A real HTTP server standing in for one API: records what arrives, answers what the test says. */
async function upstream(answer: (received: Received, response: import('node:http').ServerResponse) => void) {
  const received: Received[] = [];
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const entry = { method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks) };
      received.push(entry);
      answer(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { received, url: `http://127.0.0.1:${address.port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A raw request (no URL normalisation, any bytes), for the paths a browser would never send. */
function raw(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const url = new URL(base);
    const outgoing = request({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

@Module({})
class ConsoleTestModule {}

describe('the console server', () => {
  let assets: string;
  let service: RunningService<ConsoleEnv>;
  let management: Awaited<ReturnType<typeof upstream>>;
  let reporting: Awaited<ReturnType<typeof upstream>>;
  const bigCsv = Buffer.from('day,clicks\n' + '2026-12-06,1\n'.repeat(400_000));
  const indexHtml = '<!doctype html><title>Tracklane console</title><script type="module" src="/assets/index-abc123.js"></script>';

  beforeAll(async () => {
    assets = mkdtempSync(join(tmpdir(), 'tracklane-console-assets-'));
    mkdirSync(join(assets, 'assets'));
    writeFileSync(join(assets, 'index.html'), indexHtml);
    writeFileSync(join(assets, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
    writeFileSync(join(assets, 'assets', 'index-abc123.css'), 'body{color:#111}');
    writeFileSync(join(tmpdir(), 'tracklane-console-secret.txt'), 'not for browsers');

    management = await upstream((received, response) => {
      response.writeHead(received.url.startsWith('/v1/missing') ? 404 : 200, { 'content-type': 'application/json', 'set-cookie': 'session=upstream', connection: 'keep-alive' });
      response.end(JSON.stringify({ method: received.method, url: received.url }));
    });
    reporting = await upstream((_received, response) => {
      response.writeHead(200, { 'content-type': 'text/csv' });
      response.end(bigCsv);
    });
    const env = Object.assign(new ConsoleEnv(), { PORT: 0, LOG_LEVEL: 'warn', MANAGEMENT_URL: management.url, REPORTING_URL: reporting.url, CONSOLE_ASSETS_DIR: assets });
    service = await startService({ name: 'console', envClass: ConsoleEnv, module: () => ConsoleTestModule, configure: (app) => consoleRoutes(app.getHttpAdapter().getInstance(), env) }, env);
  });

  afterAll(async () => {
    await service?.close();
    await management?.close();
    await reporting?.close();
    rmSync(assets, { recursive: true, force: true });
    rmSync(join(tmpdir(), 'tracklane-console-secret.txt'), { force: true });
  });

  describe('the web app', () => {
    it('answers every app page with index.html, checked on each load, with the security headers', async () => {
      for (const path of ['/', '/reports?group_by=offer&from=2026-12-01', '/offers', '/no/such/page']) {
        const response = await raw(service.url, path);
        expect([path, response.status]).toEqual([path, 200]);
        expect(response.body.toString()).toBe(indexHtml);
        expect(response.headers).toMatchObject({
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-cache',
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'referrer-policy': 'no-referrer',
        });
        expect(response.headers['content-security-policy']).toContain("script-src 'self'");
        expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      }
    });

    it('serves hashed assets for a year, compressed when the browser accepts it', async () => {
      const plain = await raw(service.url, '/assets/index-abc123.js');
      expect(plain.status).toBe(200);
      expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers['content-encoding']).toBeUndefined();

      const zipped = await raw(service.url, '/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(zipped.body)).toEqual(plain.body);
      expect((await raw(service.url, '/assets/index-abc123.css')).headers['content-type']).toBe('text/css; charset=utf-8');

      const head = await raw(service.url, '/assets/index-abc123.js', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toHaveLength(0);
    });

    it('answers 404 for a missing asset rather than the page, and never leaves the built app', async () => {
      expect((await raw(service.url, '/assets/index-gone.js')).status).toBe(404);
      expect((await raw(service.url, '/favicon.ico')).status).toBe(404);
      for (const path of ['/../tracklane-console-secret.txt', '/assets/../../tracklane-console-secret.txt', '/%2e%2e/tracklane-console-secret.txt', '/assets/%2e%2e%2f%2e%2e%2ftracklane-console-secret.txt', '/..%5c..%5ctracklane-console-secret.txt', '/%00']) {
        const response = await raw(service.url, path);
        expect(response.body.toString()).not.toContain('not for browsers');
        expect([path, response.status === 404 || response.body.toString() === indexHtml]).toEqual([path, true]);
      }
      // A path that is not valid percent-encoding is the client's mistake.
      expect((await raw(service.url, '/%E0%A4%A')).status).toBe(400);
    });
  });

  describe('the API proxy', () => {
    it('passes each method, body and query to the API byte for byte, with the key and without cookies', async () => {
      const body = Buffer.from('{"name":"Acme \\u0000 Shoes","odd":"\xff\xfe"}', 'latin1');
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const sendsBody = method !== 'GET' && method !== 'DELETE';
        const before = management.received.length;
        const response = await raw(service.url, '/api/management/v1/offers/7?status=active&name=a%20b&x=%ZZ', {
          method,
          headers: {
            authorization: 'Bearer tl_test_key',
            cookie: 'console=1',
            'x-forwarded-for': '203.0.113.9',
            ...(sendsBody ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
          },
          body: sendsBody ? body : undefined,
        });
        expect([method, response.status]).toEqual([method, 200]);
        const arrived = management.received[before];
        expect(arrived).toMatchObject({ method, url: '/v1/offers/7?status=active&name=a%20b&x=%ZZ' });
        expect(arrived.body).toEqual(sendsBody ? body : Buffer.alloc(0));
        expect(arrived.headers.authorization).toBe('Bearer tl_test_key');
        expect(arrived.headers.cookie).toBeUndefined();
        expect(arrived.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
        expect(arrived.headers['x-forwarded-proto']).toBe('http');
        // The API's answer comes back, without what would set state in the console's origin.
        expect(response.headers['set-cookie']).toBeUndefined();
        expect(response.headers['content-type']).toBe('application/json');
      }
      expect((await raw(service.url, '/api/management/v1/missing')).status).toBe(404);
    });

    it('streams a large CSV export through without holding it', async () => {
      const response = await raw(service.url, '/api/reporting/v1/reports/stats?format=csv&from=2026-12-01&to=2026-12-06');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv');
      expect(response.body.length).toBe(bigCsv.length);
      expect(response.body.equals(bigCsv)).toBe(true);
      expect(reporting.received.at(-1)?.url).toBe('/v1/reports/stats?format=csv&from=2026-12-01&to=2026-12-06');
    });

    it('refuses anything but the APIs’ /v1/ paths, so their metrics and health stay unreachable', async () => {
      const before = management.received.length + reporting.received.length;
      for (const path of ['/api/management/metrics', '/api/management/readyz', '/api/reporting/v1/../metrics', '/api/reporting/v1/%2e%2e/metrics', '/api/management/v1/..%5cmetrics', '/api/other/v1/x', '/api/']) {
        const response = await raw(service.url, path);
        expect([path, response.status, response.headers['content-type']]).toEqual([path, 404, 'application/problem+json']);
      }
      expect(management.received.length + reporting.received.length).toBe(before);
    });

    it('answers 502 naming the API when it does not answer', async () => {
      const env = Object.assign(new ConsoleEnv(), { PORT: 0, LOG_LEVEL: 'warn', MANAGEMENT_URL: 'http://127.0.0.1:9', REPORTING_URL: 'http://127.0.0.1:9', CONSOLE_ASSETS_DIR: assets });
      const offline = await startService({ name: 'console', envClass: ConsoleEnv, module: () => ConsoleTestModule, configure: (app) => consoleRoutes(app.getHttpAdapter().getInstance(), env) }, env);
      try {
        const response = await raw(offline.url, '/api/reporting/v1/reports/stats');
        expect(response.status).toBe(502);
        expect(JSON.parse(response.body.toString())).toEqual({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: 'reporting did not answer' });
      } finally {
        await offline.close();
      }
    });
  });

  it('refuses to start without a built web app, naming the setting', () => {
    const env = Object.assign(new ConsoleEnv(), { CONSOLE_ASSETS_DIR: join(assets, 'missing') });
    expect(() => consoleRoutes({} as never, env)).toThrow(/CONSOLE_ASSETS_DIR .* holds no index\.html/);
  });
});
