import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { LOGGER, Logger } from '@tracklane/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { refusalBody, refusalContentType } from './answers';

const ERROR_BY_STATUS: Record<number, string> = {
  400: 'invalid_body',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
};

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  // Fastify's own errors (body parsing, size limit, media type) carry their status.
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

/**
 * Answers what never reached the postback handler — a malformed or oversized
 * body, an unsupported media type, an unknown route — in the same shape as
 * every other refusal (problem details plus the partner fields), and keeps real failures at 500 (logged).
 */
@Catch()
export class ErrorAnswerFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const accept = http.getRequest<FastifyRequest>().headers.accept;
    const status = statusOf(exception);
    if (status >= 500) this.logger.error({ err: exception }, 'request failed');
    const reason = status >= 500 ? 'internal error' : exception instanceof Error ? exception.message : String(exception);
    const error = ERROR_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .header('content-type', refusalContentType(accept))
      .send(JSON.stringify(refusalBody(status, error, reason)));
  }
}
