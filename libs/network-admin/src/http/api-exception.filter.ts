import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { Prisma } from '@tracklane/db';
import { LOGGER, Logger } from '@tracklane/observability';
import { STATUS_CODES } from 'node:http';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): void;
}

interface ClientError {
  statusCode: number;
  message: string;
}

/** Fastify's own refusals (malformed JSON, unsupported media type, body too large) are 4xx with their message. */
const isClientError = (error: unknown): error is ClientError =>
  error instanceof Error && 'statusCode' in error && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500;

/**
 * The last word on errors: HTTP exceptions as thrown; a race lost to a
 * concurrent change (unique or foreign key) as 409; Fastify's client errors
 * as they are; anything else is a 500 that is logged and says nothing inside.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<Reply>();
    if (exception instanceof HttpException) {
      reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    if (exception instanceof Prisma.PrismaClientKnownRequestError && (exception.code === 'P2002' || exception.code === 'P2003')) {
      reply.status(409).send({
        statusCode: 409,
        error: 'Conflict',
        message: 'a concurrent change got there first; read the object again and retry',
      });
      return;
    }
    if (isClientError(exception)) {
      const { statusCode, message } = exception;
      reply.status(statusCode).send({ statusCode, error: STATUS_CODES[statusCode], message });
      return;
    }
    this.logger.error({ err: exception }, 'request failed');
    reply.status(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'something went wrong on our side' });
  }
}
