import { ValidationOptions } from 'class-validator';
import { checkedBy } from './checked';

const NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * An IANA time zone name that ICU (Node's Intl) and PostgreSQL both know.
 * Names are kept as given (Asia/Kolkata stays Asia/Kolkata even though ICU
 * calls it Asia/Calcutta); only a wrong capitalisation is refused, with the
 * right spelling, so reports never group one zone under two names.
 */
export function timeZoneProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  let resolved: string;
  try {
    if (!NAME.test(value) || value.length > 64) throw new RangeError(value);
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return 'must be an IANA time zone name such as "Europe/Berlin" or "UTC"';
  }
  return resolved !== value && resolved.toLowerCase() === value.toLowerCase() ? `must be spelled "${resolved}"` : null;
}

export const IsIanaTimeZone = (options?: ValidationOptions) => checkedBy('isIanaTimeZone', timeZoneProblem, options);
