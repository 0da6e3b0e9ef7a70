import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AddressPolicy, targetOf } from '@tracklane/address-policy';
import { guardedLookup, Resolver, TargetRefused } from '../safety/guarded-lookup';
import { failureOf, responseError } from './failure-classes';

export interface PostbackRequest {
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  headers: Record<string, string>;
}

/**
 * What one attempt came to, and so what happens next. `error` is what the
 * affiliate may see (our classification, at most a short sanitised excerpt
 * of the receiver's answer); `detail` is for the operator's log only.
 */
export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number; latencyMs: number }
  /** Network error, timeout, 5xx, 408 or 429: try again later. */
  | { kind: 'retryable'; statusCode: number | null; error: string; detail: string; latencyMs: number; retryAfterMs: number | null }
  /** Any other answer (4xx, 3xx): the receiver said no; repeating will not change that. */
  | { kind: 'rejected'; statusCode: number; error: string; detail: string; latencyMs: number }
  /** The target is or resolves to an address we may not reach: nothing was sent. */
  | { kind: 'refused'; error: string; detail: string; latencyMs: number };

const RESPONSE_SNIPPET_BYTES = 256;
/** Beyond this the connection is dropped rather than drained for reuse. */
const MAX_DRAINED_BYTES = 64 * 1024;

export interface PostbackSenderOptions {
  timeoutMs: number;
  policy: AddressPolicy;
  resolver?: Resolver;
}

/**
 * Sends one postback over node:http(s): one deadline for the whole
 * exchange (DNS, connect, TLS, headers, body), redirects not followed (a
 * redirect could point anywhere, including inside our network), keep-alive
 * connections reused, and every connection made through the SSRF guard:
 * the host as written, then every address its name resolves to.
 */
export class PostbackSender {
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });

  constructor(private readonly options: PostbackSenderOptions) {}

  send(postback: PostbackRequest): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const refused = (reason: string, detail = reason) =>
      Promise.resolve<AttemptOutcome>({ kind: 'refused', error: `target refused: ${reason}`, detail, latencyMs: 0 });
    let url: URL;
    try {
      url = new URL(postback.url);
    } catch {
      return refused('the postback URL is not a valid URL');
    }
    const target = targetOf(url);
    if (!target) return refused('the postback URL is not an http(s) URL with a valid host');
    const hostRefusal = this.options.policy.hostRefusal(target);
    if (hostRefusal) return refused(hostRefusal);
    const hostname = target.host.text;

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
        lookup: guardedLookup(this.options.policy, target, this.options.resolver),
      });
      const deadline = setTimeout(() => {
        const error = `timeout after ${this.options.timeoutMs} ms`;
        settle({ kind: 'retryable', statusCode: null, error, detail: error, latencyMs: elapsed(), retryAfterMs: null });
        request.destroy();
      }, this.options.timeoutMs);

      request.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof TargetRefused) settle({ kind: 'refused', error: error.message, detail: error.detail, latencyMs: elapsed() });
        else settle({ kind: 'retryable', statusCode: null, ...failureOf(error), latencyMs: elapsed(), retryAfterMs: null });
      });
      request.on('response', (response) => {
        readSnippet(response).then(
          (snippet) => settle(classify(response, snippet, elapsed())),
          (error: Error) =>
            settle({
              kind: 'retryable',
              statusCode: response.statusCode ?? null,
              error: 'connection closed mid-response',
              detail: `response cut short: ${error.message}`,
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
  const { error, detail } = responseError(statusCode, snippet);
  // 408 and 429 are the receiver asking to be asked again later, so they are retried despite being 4xx.
  if (statusCode >= 500 || statusCode === 408 || statusCode === 429) {
    return { kind: 'retryable', statusCode, error, detail, latencyMs, retryAfterMs: retryAfterMs(response.headers['retry-after']) };
  }
  return { kind: 'rejected', statusCode, error, detail, latencyMs };
}

function retryAfterMs(header: string | undefined): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
