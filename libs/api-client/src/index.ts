import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components as ManagementComponents, paths as ManagementPaths } from './generated/management';
import type { paths as ReportingPaths } from './generated/reporting';

export type { ManagementComponents, ManagementPaths, ReportingPaths };
/** JSON answers and problem details; a CSV export is asked for with parseAs: 'text'. */
type Json = `${string}/${string}json`;
export type ManagementClient = Client<ManagementPaths, Json>;
export type ReportingClient = Client<ReportingPaths, Json>;

/** Every error answer of both APIs (RFC 9457 problem details). */
export type ProblemDetails = ManagementComponents['schemas']['ProblemDetails'];

export interface ApiClientOptions {
  /** The API's base URL, e.g. https://manage.example.com (no trailing /v1). */
  baseUrl: string;
  /** An API key, or a function asked before each request (a console whose user signs in and out). */
  apiKey?: string | (() => string | null | undefined);
  /** A fetch of your own (tests, proxies); the global fetch by default. */
  fetch?: typeof fetch;
}

/** Sends the key as "Authorization: Bearer <key>", never in the URL. */
function authentication(apiKey: ApiClientOptions['apiKey']): Middleware {
  return {
    onRequest({ request }) {
      const key = typeof apiKey === 'function' ? apiKey() : apiKey;
      if (key) request.headers.set('authorization', `Bearer ${key}`);
      return request;
    },
  };
}

function client<Paths extends object>(options: ApiClientOptions): Client<Paths, Json> {
  const api = createClient<Paths, Json>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: options.fetch });
  api.use(authentication(options.apiKey));
  return api;
}

/**
 * The management API, typed from its OpenAPI document: paths, parameters,
 * bodies and answers are checked by the compiler. Calls resolve to
 * `{ data, error, response }`; `error` is the problem details of a 4xx/5xx.
 * Works in a browser and in Node (fetch only).
 */
export function managementClient(options: ApiClientOptions): ManagementClient {
  return client<ManagementPaths>(options);
}

/** The reporting API, typed from its OpenAPI document (JSON answers; pass parseAs: 'text' for CSV). */
export function reportingClient(options: ApiClientOptions): ReportingClient {
  return client<ReportingPaths>(options);
}

/** Whether a value is problem details, as every error answer of our APIs is. */
export function isProblem(value: unknown): value is ProblemDetails {
  const candidate = value as Partial<ProblemDetails> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.type === 'string' && typeof candidate.status === 'number';
}

/** The data of an answer, or an Error carrying the problem's detail (for scripts and tests that stop at the first failure). */
export function dataOf<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.error !== undefined || answer.data === undefined) {
    const detail = isProblem(answer.error) ? `${answer.error.title}: ${answer.error.detail}` : JSON.stringify(answer.error);
    throw new Error(`${answer.response.status} from ${answer.response.url}: ${detail}`);
  }
  return answer.data;
}
