import { ColumnKind } from '../query/output-columns';

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage
 * return) as a formula: a sub id like =HYPERLINK(...) would execute on the
 * analyst's machine. Free-text cells that start so get a leading apostrophe,
 * which spreadsheets show as text. Numbers and money are ours and left as
 * they are (a negative amount is not a formula).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralised(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes. */
function quoted(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvField(value: string | null, kind: ColumnKind): string {
  if (value === null) return '';
  return quoted(kind === 'text' ? neutralised(value) : value);
}

export function csvLine(values: readonly (string | null)[], kinds: readonly ColumnKind[]): string {
  return `${values.map((value, index) => csvField(value, kinds[index])).join(',')}\r\n`;
}
