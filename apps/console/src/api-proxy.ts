import type { Logger } from '@tracklane/observability';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { climbsOut } from './safe-path';

/** Headers that belong to one connection (RFC 9110 §7.6.1), never passed on in either direction. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** What the browser sends that is the console's, not the API's: its host name and its cookies. */
const NOT_FORWARDED = new Set([...HOP_BY_HOP, 'host', 'cookie', 'x-forwarded-for', 'x-forwarded-proto']);
/** The APIs use keys, not cookies: none of them may set state in the console's origin. */
const NOT_RETURNED = new Set([...HOP_BY_HOP, 'set-cookie']);

export interface Upstream {
  /** The API's name, for the 502 an unreachable API gets. */
  name: string;
  /** Its base URL, e.g. http://127.0.0.1:8082. */
  baseUrl: string;
  /**
   * The only calls passed on, as "METHOD /v1/path" (the query is free); left
   * out, every /v1/ path is. postback-ingest's upload is the one call of that
   * service a browser makes: its postback endpoint stays closed to the page.
   */
  only?: readonly string[];
}

export interface Client {
  /** The browser's address, appended to X-Forwarded-For. */
  address: string;
  protocol: string;
}

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
/** A proxied call that sends or receives nothing for this long is given up (a report times out far sooner upstream). */
const IDLE_TIMEOUT_MS = 120_000;

/**
 * The API path and query to forward (`rest` is what follows /api/<name>),
 * exactly as the browser sent it; undefined for anything but a plain /v1/
 * path, so that the APIs' /metrics and /readyz stay private whatever the
 * encoding (no dot segments, backslashes or NULs once decoded).
 */
export function upstreamPath(rest: string): string | undefined {
  const queryAt = rest.indexOf('?');
  const pathname = queryAt < 0 ? rest : rest.slice(0, queryAt);
  if (!pathname.startsWith('/v1/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (climbsOut(decoded)) return undefined;
  return rest;
}

/** Whether an upstream takes a call: any /v1/ path (already checked by upstreamPath), or one it names. */
export function takes(upstream: Upstream, method: string | undefined, path: string): boolean {
  if (!upstream.only) return true;
  const queryAt = path.indexOf('?');
  return upstream.only.includes(`${method ?? 'GET'} ${queryAt < 0 ? path : path.slice(0, queryAt)}`);
}

/**
 * Passes one browser request to an API and its answer back, both streamed
 * untouched (a CSV export is never held whole, a body arrives byte for
 * byte). `path` is the API path with its query as the browser sent it.
 */
export function forward(upstream: Upstream, path: string, client: Client, incoming: IncomingMessage, outgoing: ServerResponse, logger: Logger): void {
  const base = new URL(upstream.baseUrl);
  const secure = base.protocol === 'https:';
  const request = (secure ? httpsRequest : httpRequest)({
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port,
    path: `${base.pathname.replace(/\/+$/, '')}${path}`,
    method: incoming.method,
    headers: forwardedHeaders(incoming.headers, client),
    agent: secure ? agents.https : agents.http,
  });
  request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(new Error(`sent nothing for ${IDLE_TIMEOUT_MS} ms`)));

  let clientGone = false;
  // A browser that goes away (a closed tab, an aborted download) stops the API's work too.
  outgoing.on('close', () => {
    if (outgoing.writableFinished) return;
    clientGone = true;
    request.destroy();
  });

  request.on('response', (answer) => {
    outgoing.writeHead(answer.statusCode ?? 502, returnedHeaders(answer.headers));
    answer.pipe(outgoing);
    answer.on('error', () => outgoing.destroy());
  });
  request.on('error', (error) => {
    if (clientGone) return;
    // The URL goes into the `url` field, where the log redaction masks credentials in its query.
    logger.warn({ api: upstream.name, method: incoming.method, url: path, err: error.message, answered: outgoing.headersSent }, 'API call failed');
    if (outgoing.headersSent) outgoing.destroy();
    else problem(outgoing, 502, 'Bad Gateway', `${upstream.name} did not answer`);
  });
  incoming.pipe(request);
}

/** The browser's headers as the API gets them: without hop-by-hop ones, host and cookies, with the forwarding chain. */
export function forwardedHeaders(headers: IncomingHttpHeaders, client: Client): OutgoingHttpHeaders {
  const forwarded = withoutHeaders(headers, NOT_FORWARDED);
  // Appended, so that an API trusting this console (TRUSTED_PROXIES) counts failed key attempts per browser.
  const chain = headers['x-forwarded-for'];
  forwarded['x-forwarded-for'] = chain ? `${Array.isArray(chain) ? chain.join(', ') : chain}, ${client.address}` : client.address;
  forwarded['x-forwarded-proto'] = client.protocol;
  return forwarded;
}

/** The API's headers as the browser gets them. */
export function returnedHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return { ...withoutHeaders(headers, NOT_RETURNED), 'x-content-type-options': 'nosniff' };
}

/** `headers` less the named ones, any proxy-* one and any the Connection header names as hop-by-hop. */
function withoutHeaders(headers: IncomingHttpHeaders, dropped: ReadonlySet<string>): OutgoingHttpHeaders {
  const connectionOnly = new Set((headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase()));
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || dropped.has(name) || connectionOnly.has(name) || name.startsWith('proxy-')) continue;
    kept[name] = value;
  }
  return kept;
}

/** A problem details answer (RFC 9457) written straight to the socket: the proxy's routes bypass Nest and Fastify's reply. */
export function problem(outgoing: ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  outgoing.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
  outgoing.end(body);
}
