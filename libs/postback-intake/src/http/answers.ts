import { asksForProblemJson, problem, PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, ProblemDetails, problemForStatus, ProblemKind } from '@tracklane/http-api';
import type { FastifyReply } from 'fastify';
import { Accepted } from '../intake/postback-intake';
import { PostbackRefusal, PostbackUnavailable } from '../refusals';

/** json: the default; text: `success=true;…` for partners that parse text; pixel: a 1×1 GIF on success. */
export type AnswerFormat = 'json' | 'text' | 'pixel';

/** Seconds an advertiser should wait before retrying a postback that got a 503. */
export const RETRY_AFTER_SECONDS = 5;

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** `format=text|json`, else an Accept header that asks for text and not JSON. */
export function answerFormat(formatParam: string | undefined, accept: string | undefined): AnswerFormat {
  if (formatParam === 'text' || formatParam === 'json') return formatParam;
  return accept !== undefined && accept.includes('text/plain') && !accept.includes('json') ? 'text' : 'json';
}

function textPairs(pairs: Record<string, string | null | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(pairs)) {
    if (value !== null && value !== undefined) out += `${name}=${value.replace(/[;\r\n]/g, ' ')};`;
  }
  return out;
}

function send(reply: FastifyReply, status: number, format: AnswerFormat, json: object, text: Record<string, string | null | undefined>, jsonType = JSON_TYPE): void {
  reply.code(status).header('cache-control', 'no-store');
  if (format === 'text') {
    reply.header('content-type', 'text/plain; charset=utf-8').send(textPairs(text));
  } else {
    reply.header('content-type', jsonType).send(JSON.stringify(json));
  }
}

export const JSON_TYPE = 'application/json; charset=utf-8';

const PROBLEM_KINDS: Record<string, ProblemKind> = {
  invalid_parameter: 'invalidRequest',
  invalid_body: 'invalidRequest',
  unauthorized: 'unauthenticated',
  forbidden: 'forbidden',
  not_found: 'notFound',
  conflict: 'conflict',
  unavailable: 'unavailable',
  internal: 'internal',
};

/**
 * A refusal as problem details (type, title, status, detail) plus the fields
 * partners already parse (ok, error, reason, field, param, rule, errors),
 * which stay as they were: nothing an integration reads has moved.
 */
export function refusalBody(status: number, error: string, reason: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const kind = PROBLEM_KINDS[error];
  const details = kind && PROBLEM_TYPES[kind].status === status ? problem(kind, reason) : problemForStatus(status, reason);
  return { ...details, ok: false, error, reason, ...extensions };
}

/**
 * Partners' HTTP clients have long been answered application/json; a client
 * that names application/problem+json in Accept gets that media type (the
 * body is the same).
 */
export function refusalContentType(accept: string | undefined): string {
  return asksForProblemJson(accept) ? `${PROBLEM_CONTENT_TYPE}; charset=utf-8` : JSON_TYPE;
}

export function sendAccepted(reply: FastifyReply, format: AnswerFormat, { answer, replayed }: Accepted): void {
  if (replayed) reply.header('idempotent-replayed', 'true');
  if (format === 'pixel') {
    reply.code(200).header('cache-control', 'no-store').header('content-type', 'image/gif').send(PIXEL);
    return;
  }
  send(reply, 200, format, answer, {
    success: 'true',
    kind: answer.kind,
    conversion_id: answer.conversionId,
    event_id: answer.eventId,
    click_id: answer.clickId,
    status: answer.status,
  });
}

export function sendRefusal(reply: FastifyReply, format: AnswerFormat, refusal: PostbackRefusal, accept?: string): void {
  const first = refusal.problems[0];
  const json = refusalBody(refusal.status, refusal.error, refusal.reason, {
    ...(first && { field: first.field, ...(first.param && { param: first.param }), rule: first.rule }),
    ...(refusal.problems.length > 0 && { errors: refusal.problems }),
  });
  send(reply, refusal.status, format, json, {
    success: 'false',
    error: refusal.error,
    field: first?.field,
    reason: refusal.reason,
  }, refusalContentType(accept));
}

export function sendUnavailable(reply: FastifyReply, format: AnswerFormat, unavailable: PostbackUnavailable, accept?: string): void {
  reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  send(
    reply,
    503,
    format,
    refusalBody(503, 'unavailable', unavailable.reason, { retryAfterSeconds: RETRY_AFTER_SECONDS }),
    { success: 'false', error: 'unavailable', reason: unavailable.reason },
    refusalContentType(accept),
  );
}
