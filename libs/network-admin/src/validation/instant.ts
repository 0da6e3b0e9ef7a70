import { ValidationOptions } from 'class-validator';
import { checkedBy } from './checked';

/** A point in time with its offset: "2025-03-30T00:00:00Z" or "…+02:00". A bare date or local time is ambiguous. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export function instantProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    return 'must be an ISO 8601 date and time with an offset, such as "2025-03-30T00:00:00Z"';
  }
  return null;
}

export const IsInstant = (options?: ValidationOptions) => checkedBy('isInstant', instantProblem, options);
