import { ValidationOptions, registerDecorator } from 'class-validator';

/**
 * A class-validator decorator from a function that says what is wrong with a
 * value (or null), so the 400 names the field and the exact reason.
 */
export function checkedBy(name: string, problem: (value: unknown) => string | null, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => problem(value) === null,
        defaultMessage: (args) => `${args?.property} ${problem(args?.value)}`,
      },
    });
}
