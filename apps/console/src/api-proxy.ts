import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1), and what the browser must not pass on. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'cookie',
]);
const NOT_RETURNED = new Set([...NOT_FORWARDED, 'set-cookie']);

export interface Upstream {
  /** The API's name, for the 502 an unreachable API gets. */
  name: string;
  /** Its base URL, e.g. http://127.0.0.1:8082. */
  baseUrl: string;
}

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
/** A proxied call that sends or receives nothing for this long is given up (a report times out far sooner upstream). */
const IDLE_TIMEOUT_MS = 120_000;

/**
 * Passes one browser request to an API and its answer back, both streamed
 * untouched (a CSV export is never held whole, a body arrives byte for
 * byte). `path` is the API path with its query as the browser sent it.
 */
export function forward(upstream: Upstream, path: string, client: { address: string; protocol: string }, incoming: IncomingMessage, outgoing: ServerResponse): void {
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
  request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(new Error(`${upstream.name} sent nothing for ${IDLE_TIMEOUT_MS} ms`)));

  request.on('response', (answer) => {
    outgoing.writeHead(answer.statusCode ?? 502, returnedHeaders(answer.headers));
    answer.pipe(outgoing);
    answer.on('error', () => outgoing.destroy());
  });
  request.on('error', () => {
    if (outgoing.headersSent) {
      outgoing.destroy();
      return;
    }
    badGateway(outgoing, `${upstream.name} did not answer`);
  });
  // A browser that goes away (a closed tab, an aborted download) stops the API's work too.
  outgoing.on('close', () => {
    if (!outgoing.writableFinished) request.destroy();
  });
  incoming.pipe(request);
}

export function forwardedHeaders(headers: IncomingHttpHeaders, client: { address: string; protocol: string }): OutgoingHttpHeaders {
  const forwarded: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name) && name !== 'x-forwarded-for' && name !== 'x-forwarded-proto') forwarded[name] = value;
  }
  // Appended, so that an API trusting this console (TRUSTED_PROXIES) counts failed key attempts per browser.
  const chain = headers['x-forwarded-for'];
  forwarded['x-forwarded-for'] = chain ? `${Array.isArray(chain) ? chain.join(', ') : chain}, ${client.address}` : client.address;
  forwarded['x-forwarded-proto'] = client.protocol;
  return forwarded;
}

function returnedHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const returned: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_RETURNED.has(name)) returned[name] = value;
  }
  returned['x-content-type-options'] = 'nosniff';
  return returned;
}

export function badGateway(outgoing: ServerResponse, detail: string): void {
  problem(outgoing, 502, 'Bad Gateway', detail);
}

export function problem(outgoing: ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  outgoing.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
  outgoing.end(body);
}
