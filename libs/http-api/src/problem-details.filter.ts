import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { LOGGER, Logger } from '@tracklane/observability';
import { problem, PROBLEM_CONTENT_TYPE, ProblemDetails, problemForStatus } from './problem';
import { ProblemException } from './problem.exception';

interface Reply {
  code(status: number): Reply;
  header(name: string, value: string): Reply;
  send(body: string): void;
}

/** A write that lost a race with a concurrent one: Prisma's unique/foreign-key errors, or Postgres' own. */
const CONCURRENT_CHANGE = new Set(['P2002', 'P2003', '23505', '23503']);
/** Postgres cancelled the statement (statement_timeout). */
const QUERY_CANCELED = '57014';

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** Fastify's own refusals (malformed JSON, unsupported media type, body too large) carry a 4xx status. */
function clientErrorStatus(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** What Nest's own HttpExceptions (an unknown route, a pipe of theirs) said. */
function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  const message = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * The one last word on errors of the management and reporting APIs: every
 * error leaves as problem details (application/problem+json), never cached.
 * A write that lost a race to a concurrent change is a 409; a statement
 * Postgres cancelled for taking too long is a 503 the caller can act on;
 * anything unexpected is a 500 that is logged and says nothing of the inside.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<Reply>();
    const { body, headers } = this.answer(exception);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    reply.code(body.status).header('cache-control', 'no-store').header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private answer(exception: unknown): { body: ProblemDetails; headers: Record<string, string> } {
    if (exception instanceof ProblemException) return { body: exception.problem, headers: exception.headers };
    if (exception instanceof HttpException) return { body: problemForStatus(exception.getStatus(), httpExceptionDetail(exception)), headers: {} };
    const clientStatus = clientErrorStatus(exception);
    if (clientStatus !== null) return { body: problemForStatus(clientStatus, (exception as Error).message), headers: {} };
    const code = codeOf(exception);
    if (typeof code === 'string' && CONCURRENT_CHANGE.has(code)) {
      return { body: problem('conflict', 'a concurrent change got there first; read the object again and retry'), headers: {} };
    }
    if (code === QUERY_CANCELED) {
      return {
        body: problem('unavailable', 'the query took too long and was cancelled; narrow the range, group more coarsely or filter it'),
        headers: {},
      };
    }
    this.logger.error({ err: exception }, 'request failed');
    return { body: problem('internal', 'something went wrong on our side'), headers: {} };
  }
}
