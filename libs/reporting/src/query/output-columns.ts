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
