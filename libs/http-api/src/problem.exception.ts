import { HttpException } from '@nestjs/common';
import { FieldProblem, invalidFieldsProblem, problem, ProblemDetails } from './problem';

/**
 * An HTTP error answered as problem details by ProblemDetailsFilter, with the
 * headers it needs (WWW-Authenticate, Retry-After). Throw it, or one of the
 * helpers below, from controllers, services, guards and pipes.
 */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem, problem.status);
    // Logs and toThrow(/…/) read the message: the detail, which names the field.
    this.message = problem.detail;
  }
}

/** 400 naming the field (or parameter) and what is wrong with it. */
export function invalid(field: string, reason: string): ProblemException {
  return invalidFields([{ field, reason }]);
}

/** 400 naming every refused field. */
export function invalidFields(errors: FieldProblem[]): ProblemException {
  return new ProblemException(invalidFieldsProblem(errors));
}

/** 403: the key is known but may not do this; naming the parameter it may not use, when there is one. */
export function forbidden(detail: string, field?: string): ProblemException {
  return new ProblemException(problem('forbidden', field ? `${field}: ${detail}` : detail, field ? { errors: [{ field, reason: detail }] } : {}));
}

/** 404 — also what another tenant's object answers, so its existence is not revealed. */
export function notFound(detail: string): ProblemException {
  return new ProblemException(problem('notFound', detail));
}

/** 409 naming the field whose value clashes with another object or change. */
export function conflict(field: string, reason: string): ProblemException {
  return new ProblemException(problem('conflict', `${field}: ${reason}`, { errors: [{ field, reason }] }));
}

/** 503 the client should retry after a while. */
export function unavailable(detail: string, retryAfterSeconds?: number): ProblemException {
  return new ProblemException(
    problem('unavailable', detail, retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  );
}
