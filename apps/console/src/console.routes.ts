import type { Logger } from '@tracklane/observability';
import type { FastifyInstance } from 'fastify';
import { forward, problem, takes, upstreamPath, type Upstream } from './api-proxy';
import type { ConsoleEnv } from './console.env';
import { isFresh, representationFor, StaticAssets } from './static-assets';

/** What every page and asset is served with: the app runs only its own scripts and talks only to its own origin. */
export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The console's routes: the built web app, and its two APIs under its own
 * origin (/api/management/v1/…, /api/reporting/v1/…), with postback-ingest's
 * conversion upload (/api/postback/v1/conversions/upload), so that the browser
 * needs no CORS and the API key goes only where the page itself was loaded from.
 * Throws when CONSOLE_ASSETS_DIR holds no built app, so the service does not start.
 */
export function consoleRoutes(server: FastifyInstance, env: ConsoleEnv, logger: Logger): void {
  const assets = StaticAssets.load(env.CONSOLE_ASSETS_DIR);
  const apis: Array<[string, Upstream]> = [
    ['/api/management', { name: 'management', baseUrl: env.MANAGEMENT_URL }],
    ['/api/reporting', { name: 'reporting', baseUrl: env.REPORTING_URL }],
    // An advertiser's offline conversions file, sent with its postback token; nothing else of postback-ingest.
    ['/api/postback', { name: 'postback-ingest', baseUrl: env.POSTBACK_URL, only: ['POST /v1/conversions/upload'] }],
  ];

  // Before any body parser runs: bodies are passed on as they came, never parsed or re-serialised here.
  server.addHook('onRequest', async (request, reply) => {
    const url = request.raw.url ?? '/';
    if (!url.startsWith('/api/')) return;
    reply.hijack();
    const api = apis.find(([prefix]) => url.startsWith(`${prefix}/`));
    const path = api && upstreamPath(url.slice(api[0].length));
    if (!api || !path || !takes(api[1], request.raw.method, path)) {
      problem(reply.raw, 404, 'Not Found', 'The console passes on /api/management/v1/…, /api/reporting/v1/… and POST /api/postback/v1/conversions/upload only');
    } else {
      forward(api[1], path, { address: request.ip, protocol: request.protocol }, request.raw, reply.raw, logger);
    }
    return reply;
  });

  // Fastify answers HEAD from this route too (its exposeHeadRoutes default).
  server.get('/*', (request, reply) => {
    const asset = assets.find((request.raw.url ?? '/').split('?')[0]);
    reply.headers(SECURITY_HEADERS);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    const representation = representationFor(asset, request.headers['accept-encoding']);
    reply.headers({ 'cache-control': asset.cacheControl, etag: representation.etag, vary: 'accept-encoding' });
    if (isFresh(representation, request.headers['if-none-match'])) return reply.code(304).send();
    reply.header('content-type', asset.type);
    if (representation.encoding) reply.header('content-encoding', representation.encoding);
    return reply.send(representation.body);
  });
}
