import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, Resolver, TargetRefused } from '../safety/guarded-lookup';
import { TargetPolicy } from '../safety/target-policy';

export interface PostbackRequest {
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  headers: Record<string, string>;
}

/** What one attempt came to, and so what happens next. */
export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number; latencyMs: number }
  /** Network error, timeout, 5xx, 408 or 429: try again later. */
  | { kind: 'retryable'; statusCode: number | null; error: string; latencyMs: number; retryAfterMs: number | null }
  /** Any other answer (4xx, 3xx): the receiver said no; repeating will not change that. */
  | { kind: 'rejected'; statusCode: number; error: string; latencyMs: number }
  /** The target resolves to an address we may not reach: nothing was sent. */
  | { kind: 'refused'; error: string; latencyMs: number };

const RESPONSE_SNIPPET_BYTES = 256;
/** Beyond this the connection is dropped rather than drained for reuse. */
const MAX_DRAINED_BYTES = 64 * 1024;

export interface PostbackSenderOptions {
  timeoutMs: number;
  policy: TargetPolicy;
  resolver?: Resolver;
}

/**
 * Sends one postback over node:http(s): one deadline for the whole
 * exchange (DNS, connect, TLS, headers, body), redirects not followed (a
 * redirect could point anywhere, including inside our network), keep-alive
 * connections reused, and every connection made through the SSRF guard.
 */
export class PostbackSender {
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });
  private readonly lookup;

  constructor(private readonly options: PostbackSenderOptions) {
    this.lookup = guardedLookup(options.policy, options.resolver);
  }

  send(postback: PostbackRequest): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = new URL(postback.url);
    } catch {
      return Promise.resolve({ kind: 'refused', error: 'the postback URL is not a valid URL', latencyMs: 0 });
    }
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(hostname) && !this.options.policy.allowsHost(hostname)) {
      const refusal = this.options.policy.refusal(hostname);
      if (refusal) return Promise.resolve({ kind: 'refused', error: `target refused: ${refusal}`, latencyMs: 0 });
    }

    return new Promise<AttemptOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(outcome);
      };
      const secure = url.protocol === 'https:';
      const body = postback.body === null ? undefined : Buffer.from(postback.body);
      const request = (secure ? httpsRequest : httpRequest)({
        method: postback.method,
        protocol: url.protocol,
        hostname,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
        headers: {
          'user-agent': 'Tracklane-Postback/1',
          accept: '*/*',
          ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
          ...postback.headers,
        },
        agent: secure ? this.httpsAgent : this.httpAgent,
        lookup: this.lookup,
      });
      const deadline = setTimeout(() => {
        settle({
          kind: 'retryable',
          statusCode: null,
          error: `timed out after ${this.options.timeoutMs} ms`,
          latencyMs: elapsed(),
          retryAfterMs: null,
        });
        request.destroy();
      }, this.options.timeoutMs);

      request.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof TargetRefused) settle({ kind: 'refused', error: error.message, latencyMs: elapsed() });
        else {
          const detail = error.code ? `${error.code}: ${error.message}` : error.message;
          settle({ kind: 'retryable', statusCode: null, error: detail, latencyMs: elapsed(), retryAfterMs: null });
        }
      });
      request.on('response', (response) => {
        readSnippet(response).then(
          (snippet) => settle(classify(response, snippet, elapsed())),
          (error: Error) =>
            settle({
              kind: 'retryable',
              statusCode: response.statusCode ?? null,
              error: `response cut short: ${error.message}`,
              latencyMs: elapsed(),
              retryAfterMs: null,
            }),
        );
      });
      request.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Reads the body to the end (so the connection can be reused), keeping its start for the log. */
function readSnippet(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let total = 0;
    response.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (keptBytes < RESPONSE_SNIPPET_BYTES) {
        kept.push(chunk.subarray(0, RESPONSE_SNIPPET_BYTES - keptBytes));
        keptBytes += Math.min(chunk.length, RESPONSE_SNIPPET_BYTES - keptBytes);
      }
      if (total > MAX_DRAINED_BYTES) {
        response.destroy();
        resolve(Buffer.concat(kept).toString('utf8'));
      }
    });
    response.on('end', () => resolve(Buffer.concat(kept).toString('utf8')));
    response.on('aborted', () => reject(new Error('connection closed mid-response')));
    response.on('error', reject);
  });
}

function classify(response: IncomingMessage, snippet: string, latencyMs: number): AttemptOutcome {
  const statusCode = response.statusCode ?? 0;
  if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode, latencyMs };
  const error = `HTTP ${statusCode}${snippet.trim() ? `: ${snippet.trim().replace(/\s+/g, ' ')}` : ''}`;
  // 408 and 429 are the receiver asking to be asked again later, so they are retried despite being 4xx.
  if (statusCode >= 500 || statusCode === 408 || statusCode === 429) {
    return { kind: 'retryable', statusCode, error, latencyMs, retryAfterMs: retryAfterMs(response.headers['retry-after']) };
  }
  return { kind: 'rejected', statusCode, error, latencyMs };
}

function retryAfterMs(header: string | undefined): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
