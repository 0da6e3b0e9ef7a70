import { PROBLEM_CONTENT_TYPE, invalidFieldsProblem, problemForStatus } from './problem';

const BAD_PATH_REASON = 'is not a valid URL path (its percent-encoding does not decode)';

/** The little of Fastify's reply this needs (typed loosely: Nest's adapter brings a Fastify copy of its own). */
interface ErrorReply {
  code(status: number): ErrorReply;
  header(name: string, value: string): ErrorReply;
  send(payload: string): unknown;
}

/**
 * Fastify's own refusals before any route runs, answered as problem details
 * like every other refusal: a path whose percent-encoding does not decode
 * (/v1/offers/%ZZ) is a 400 naming the path, not Fastify's bare JSON. Pass as
 * the `frameworkErrors` option of a service's Fastify adapter.
 */
export function frameworkErrors(error: { code?: string; statusCode?: number; message: string }, _request: unknown, reply: unknown): void {
  const details =
    error.code === 'FST_ERR_BAD_URL'
      ? invalidFieldsProblem([{ field: 'path', reason: BAD_PATH_REASON }])
      : problemForStatus(error.statusCode ?? 400, error.message);
  (reply as ErrorReply).code(details.status).header('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`).send(JSON.stringify(details));
}
