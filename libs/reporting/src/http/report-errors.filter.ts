import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Inject } from '@nestjs/common';
import { LOGGER, Logger } from '@tracklane/observability';
import type { FastifyReply } from 'fastify';
import { DatabaseError } from 'pg';

const QUERY_CANCELED = '57014';

/**
 * A report Postgres gave up on (statement timeout) is a 503 the caller can act
 * on: narrow the range or group more coarsely. Any other database error is
 * ours: logged, and answered without internals.
 */
@Catch(DatabaseError)
export class ReportErrorsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: DatabaseError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error.code === QUERY_CANCELED) {
      reply.code(HttpStatus.SERVICE_UNAVAILABLE).send({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: 'the report took too long; narrow the range, group more coarsely or filter it',
      });
      return;
    }
    this.logger.error({ err: error }, 'report query failed');
    reply.code(HttpStatus.INTERNAL_SERVER_ERROR).send({ statusCode: 500, error: 'Internal Server Error', message: 'the report failed' });
  }
}
