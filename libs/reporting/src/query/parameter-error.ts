import { HttpStatus } from '@nestjs/common';
import { forbidden, invalid, ProblemException } from '@tracklane/http-api';

/**
 * A request parameter that cannot be honoured: 400 when it is malformed or
 * out of range, 403 when the caller's key may not ask for it. The problem
 * names the parameter so a person (or a BI tool's error pane) sees what to fix.
 */
export class ParameterError extends ProblemException {
  constructor(
    readonly parameter: string,
    reason: string,
    status: HttpStatus.BAD_REQUEST | HttpStatus.FORBIDDEN = HttpStatus.BAD_REQUEST,
  ) {
    super((status === HttpStatus.BAD_REQUEST ? invalid(parameter, reason) : forbidden(reason, parameter)).problem);
  }
}

export function notForThisKey(parameter: string, reason: string): ParameterError {
  return new ParameterError(parameter, reason, HttpStatus.FORBIDDEN);
}
