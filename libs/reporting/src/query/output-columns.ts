import { TimeGrain } from './dimensions';
import { Metric } from './metrics';
import { StatsRequest } from './stats-request';

/**
 * text: free text a partner may have typed (sub ids, names), neutralised in
 * CSV; number: counts, ids and percentages; money: exact decimal strings;
 * boolean: flags.
 */
export type ColumnKind = 'text' | 'number' | 'money' | 'boolean';

export interface OutputColumn {
  name: string;
  /** Expression over the aggregate (alias a) and the name joins. */
  sql: string;
  kind: ColumnKind;
}

const TIME_FORMATS: Record<TimeGrain, string> = {
  // Local time with its offset: unambiguous even for the hour a DST change repeats.
  hour: `to_char(a.b, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')`,
  day: `to_char(a.b, 'YYYY-MM-DD')`,
  week: `to_char(a.b, 'YYYY-MM-DD')`,
  month: `to_char(a.b, 'YYYY-MM-DD')`,
};

export function metricColumn(metric: Metric): OutputColumn {
  return metric.kind === 'money'
    ? { name: metric.name, sql: `(${metric.sql})::text`, kind: 'money' }
    : { name: metric.name, sql: metric.sql, kind: 'number' };
}

/** The columns of a stats row, in order: time, dimensions (with names), currency, metrics. */
export function statsColumns(request: StatsRequest): OutputColumn[] {
  const columns: OutputColumn[] = [];
  if (request.grain) columns.push({ name: request.grain, sql: TIME_FORMATS[request.grain], kind: 'text' });
  for (const dimension of request.dimensions) {
    const isId = dimension.column.endsWith('_id');
    columns.push({ name: dimension.output, sql: `a.${dimension.column}`, kind: isId ? 'number' : 'text' });
    if (dimension.names && dimension.names.hiddenFrom !== request.visibility.role) {
      columns.push({ name: dimension.names.column, sql: `${dimension.names.table}.name`, kind: 'text' });
    }
  }
  columns.push({ name: 'currency', sql: 'a.currency::text', kind: 'text' });
  for (const metric of request.metrics) columns.push(metricColumn(metric));
  return columns;
}

/** Characters a JSON string must escape: the quote, the backslash and the control characters. */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/**
 * Rows read as text (one array per row, in the columns' order) written as a
 * JSON array of objects: numbers and flags as Postgres printed them (exact,
 * never through a double), money and text as strings, NULL as null.
 *
 * Written as UTF-8 bytes a row at a time, not as one string: a page held as
 * a string is a rope of every value that the response must flatten, measure
 * and encode again (about 30 ms for 9,000 rows of twenty values); each row's
 * small string is encoded once, while it is still in cache. Written into
 * `out` when given (a body around the rows), and returns what `out` holds.
 */
export function jsonRows(
  columns: readonly OutputColumn[],
  rows: readonly (readonly (string | null)[])[],
  first = 0,
  out = new ByteWriter(),
): Buffer {
  const keys = columns.map((column, index) => `${index === 0 ? '{' : ','}${JSON.stringify(column.name)}:`);
  // Numbers and flags are written bare; money is digits, a sign and a point; only text may need escaping.
  const bare = columns.map((column) => column.kind === 'number' || column.kind === 'boolean');
  const plain = columns.map((column) => column.kind === 'money');
  for (let row = 0; row < rows.length; row++) {
    const values = rows[row];
    let line = row === 0 ? '[' : ',';
    for (let index = 0; index < columns.length; index++) {
      const value = values[first + index];
      line += keys[index];
      if (value === null) line += 'null';
      else if (bare[index]) line += value;
      else if (plain[index] || !NEEDS_ESCAPE.test(value)) line += `"${value}"`;
      else line += JSON.stringify(value);
    }
    out.write(`${line}}`);
  }
  out.write(rows.length === 0 ? '[]' : ']');
  return out.bytes();
}

/** A growing UTF-8 buffer: a body written in parts without a copy of the whole at the end. */
export class ByteWriter {
  private buffer = Buffer.allocUnsafe(16 * 1024);
  private length = 0;

  write(text: string): void {
    // A UTF-16 unit takes at most three bytes in UTF-8.
    const room = this.length + text.length * 3;
    if (room > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(room, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(text, this.length);
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
