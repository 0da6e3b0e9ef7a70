import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { invalid } from '@tracklane/network-admin';

export interface FieldProblem {
  field: string;
  reason: string;
}

/** Every problem with its dotted field path ("revenue.amount") and the reason without the field name. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = error.property ? (parent ? `${parent}.${error.property}` : error.property) : parent || 'body';
    const constraints = Object.entries(error.constraints ?? {});
    // A field that was validated while absent is a required one (optional fields skip validation when absent).
    if (error.value === undefined && constraints.length > 0 && !error.constraints?.whitelistValidation) return [{ field, reason: 'is required' }, ...fieldProblems(error.children ?? [], field)];
    const own = constraints.map(([constraint, message]) => ({
      field,
      reason:
        constraint === 'whitelistValidation'
          ? 'is not a known field'
          : message.startsWith(`${error.property} `)
            ? message.slice(error.property.length + 1)
            : message,
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/**
 * class-validator on bodies and queries: unknown fields are refused (a typo
 * must not be silently ignored), nothing is converted implicitly (a number
 * where a decimal string belongs is an error), and a 400 names every field.
 */
export function validationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const problems = fieldProblems(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: problems.map((problem) => `${problem.field} ${problem.reason}`).join('; '),
        errors: problems,
      });
    },
  });
}

/** A body that is not a JSON object (an array, a string, text/plain) is refused as a whole. */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw invalid('body', 'must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}
