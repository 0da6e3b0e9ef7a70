import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ParameterError } from '../query/parameter-error';

function firstProblem(errors: ValidationError[]): ParameterError {
  const error = errors[0];
  const constraints = error.constraints ?? {};
  if (constraints.whitelistValidation) return new ParameterError(error.property, 'is not a parameter of this endpoint');
  return new ParameterError(error.property, Object.values(constraints)[0] ?? 'is invalid');
}

/** Query parameters: known names only, shapes checked, the first problem reported by name. */
export const queryValidation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: false,
  stopAtFirstError: true,
  transform: false,
  exceptionFactory: firstProblem,
});
