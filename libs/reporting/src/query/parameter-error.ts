import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A request parameter that cannot be honoured: 400 when it is malformed or
 * out of range, 403 when the caller's key may not ask for it. The body names
 * the parameter so a person (or a BI tool's error pane) sees what to fix.
 */
export class ParameterError extends HttpException {
  constructor(
    readonly parameter: string,
    reason: string,
    status: HttpStatus.BAD_REQUEST | HttpStatus.FORBIDDEN = HttpStatus.BAD_REQUEST,
  ) {
    super(
      {
        statusCode: status,
        error: status === HttpStatus.BAD_REQUEST ? 'Bad Request' : 'Forbidden',
        parameter,
        message: `${parameter}: ${reason}`,
      },
      status,
    );
  }
}

export function notForThisKey(parameter: string, reason: string): ParameterError {
  return new ParameterError(parameter, reason, HttpStatus.FORBIDDEN);
}
