import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { UNSTORABLE_TEXT_REASON, unstorablePaths } from '@tracklane/contracts';
import { FieldProblem } from './problem';
import { invalid, invalidFields } from './problem.exception';

/** Carries class-validator's errors out of ValidationPipe to where the parameter's location is known. */
class ValidationFailure extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('validation failed');
  }
}

const UNKNOWN: Record<ArgumentMetadata['type'], string> = {
  body: 'is not a known field',
  query: 'is not a parameter of this endpoint',
  param: 'is not a parameter of this endpoint',
  custom: 'is not known',
};

/**
 * Every problem with its dotted field path ("revenue.amount") and the reason
 * without the field name. A field that was validated while absent is a
 * required one (optional fields skip validation when absent).
 */
export function fieldProblems(errors: ValidationError[], location: ArgumentMetadata['type'] = 'body', parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = error.property ? (parent ? `${parent}.${error.property}` : error.property) : parent || 'body';
    const constraints = Object.entries(error.constraints ?? {});
    const children = fieldProblems(error.children ?? [], location, field);
    if (error.value === undefined && constraints.length > 0 && !error.constraints?.whitelistValidation) {
      return [{ field, reason: 'is required' }, ...children];
    }
    const own = constraints.map(([constraint, message]) => ({
      field,
      reason:
        constraint === 'whitelistValidation'
          ? UNKNOWN[location]
          : message.startsWith(`${error.property} `)
            ? message.slice(error.property.length + 1)
            : message,
    }));
    return [...own, ...children];
  });
}

export interface ApiValidationOptions {
  /** Hand the handler an instance of the parameter's class (management) or the plain object (reporting's parsers). */
  transform: boolean;
}

/**
 * The one validation pipe of the HTTP APIs (class-validator on bodies and
 * queries): unknown fields and parameters are refused (a typo must not pass
 * silently), nothing is converted implicitly (a number where a decimal string
 * belongs is an error), a body must be a JSON object, and the 400 names every
 * refused field with its reason, as problem details. Before any of that,
 * text no store could hold (the storable-text rule: NUL, other control
 * characters, lone surrogates, in a value or a name) is refused, naming
 * each field: nothing an API accepts can fail in PostgreSQL, a report's
 * filter included.
 */
export class ApiValidationPipe extends ValidationPipe {
  constructor(options: ApiValidationOptions) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: options.transform,
      transformOptions: { enableImplicitConversion: false },
      stopAtFirstError: true,
      exceptionFactory: (errors) => new ValidationFailure(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw invalid('body', 'must be a JSON object');
    }
    if (metadata.type !== 'custom') {
      const unstorable = unstorablePaths(value, metadata.data ?? '');
      if (unstorable.length > 0) throw invalidFields(unstorable.map((field) => ({ field, reason: UNSTORABLE_TEXT_REASON })));
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof ValidationFailure) throw invalidFields(fieldProblems(error.errors, metadata.type));
      throw error;
    }
  }
}
