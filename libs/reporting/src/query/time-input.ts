import { ParameterError } from './parameter-error';

/**
 * from/to as given: an instant (with Z or an offset), a local date-time, or a
 * date, the last two read in the report's time zone. A date in `to` includes
 * that whole day, as in "from=2025-03-01&to=2025-03-31".
 */
export interface TimeInput {
  text: string;
  kind: 'instant' | 'local' | 'date';
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function parseTimeInput(parameter: string, value: string): TimeInput {
  const match = PATTERN.exec(value);
  const invalid = () =>
    new ParameterError(parameter, `"${value}" is not an ISO 8601 date (2025-03-01), local date-time (2025-03-01T10:00) or instant (2025-03-01T10:00:00Z)`);
  if (!match) throw invalid();
  const [, year, month, day, hour, minute, second, , offset] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    throw invalid();
  }
  if (Number(year) < 2000 || Number(year) > 2999) throw new ParameterError(parameter, `year ${year} is out of range`);
  if (hour === undefined) return { text: value, kind: 'date' };
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) throw invalid();
  if (offset && offset !== 'Z' && (Number(offset.slice(1, 3)) > 14 || Number(offset.slice(4)) > 59)) throw invalid();
  return { text: value, kind: offset ? 'instant' : 'local' };
}
