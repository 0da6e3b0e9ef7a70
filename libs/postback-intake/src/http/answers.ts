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

function send(reply: FastifyReply, status: number, format: AnswerFormat, json: object, text: Record<string, string | null | undefined>): void {
  reply.code(status).header('cache-control', 'no-store');
  if (format === 'text') {
    reply.header('content-type', 'text/plain; charset=utf-8').send(textPairs(text));
  } else {
    reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(json));
  }
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

export function sendRefusal(reply: FastifyReply, format: AnswerFormat, refusal: PostbackRefusal): void {
  const first = refusal.problems[0];
  const json = {
    ok: false,
    error: refusal.error,
    reason: refusal.reason,
    ...(first && { field: first.field, ...(first.param && { param: first.param }), rule: first.rule }),
    ...(refusal.problems.length > 0 && { errors: refusal.problems }),
  };
  send(reply, refusal.status, format, json, {
    success: 'false',
    error: refusal.error,
    field: first?.field,
    reason: refusal.reason,
  });
}

export function sendUnavailable(reply: FastifyReply, format: AnswerFormat, unavailable: PostbackUnavailable): void {
  reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  send(reply, 503, format, { ok: false, error: 'unavailable', reason: unavailable.reason, retryAfterSeconds: RETRY_AFTER_SECONDS }, {
    success: 'false',
    error: 'unavailable',
    reason: unavailable.reason,
  });
}
