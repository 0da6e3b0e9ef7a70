import { ValidateIf } from 'class-validator';

/** Validate only when given; null is refused (the field cannot be cleared). */
export const Optional = () => ValidateIf((_object, value) => value !== undefined);

/** Validate only when given and not null; null clears the field. */
export const OptionalNullable = () => ValidateIf((_object, value) => value !== undefined && value !== null);
