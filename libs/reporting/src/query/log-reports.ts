import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient, types } from 'pg';
import { FilterValues } from './dimensions';
import { RawParameter, parseFilters } from './filters';
import { LogColumn, LogDefinition, logColumns } from './logs';
import { Page, encodeCursor, parsePage } from './paging';
import { ParameterError, notForThisKey } from './parameter-error';
import { resolveRange } from './range-resolution';
import { REPORT_OPTIONS, ReportOptions } from './report-options';
import { inReport } from './report-transaction';
import { RowCursor, openCursor } from './row-cursor';
import { Sql, SqlParams } from './sql-params';
import { TimeInput, parseTimeInput } from './time-input';
import { Visibility } from './visibility';

export interface LogRequest {
  log: LogDefinition;
  from: TimeInput;
  to: TimeInput;
  zone: string;
  filters: FilterValues;
  descending: boolean;
  page: Page;
  visibility: Visibility;
}

export function logParameters(log: LogDefinition): string[] {
  return ['from', 'to', 'timezone', 'order', 'limit', 'cursor', ...log.filters.map((filter) => filter.parameter)];
}

export function parseLogRequest(
  log: LogDefinition,
  params: Record<string, RawParameter>,
  visibility: Visibility,
  isKnownZone: (zone: string) => boolean,
  limits: { defaultLimit: number | null; maxLimit: number | null },
): LogRequest {
  if (log.closedTo === visibility.role) throw notForThisKey('api_key', `${visibility.role} keys cannot read the ${log.name} log`);
  const text = (name: string) => {
    const value = params[name];
    if (Array.isArray(value)) throw new ParameterError(name, 'may be given once');
    return value === '' ? undefined : value;
  };
  const fromText = text('from');
  const toText = text('to');
  if (fromText === undefined) throw new ParameterError('from', 'is required');
  if (toText === undefined) throw new ParameterError('to', 'is required');
  const zone = text('timezone') ?? 'UTC';
  if (!isKnownZone(zone)) throw new ParameterError('timezone', `"${zone}" is not an IANA time zone name (such as Europe/Berlin)`);
  const order = text('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw new ParameterError('order', 'must be asc or desc');
  return {
    log,
    from: parseTimeInput('from', fromText),
    to: parseTimeInput('to', toText),
    zone,
    filters: parseFilters(params, log.filters, visibility),
    descending: order === 'desc',
    page: parsePage(params, limits, logParameters(log), true),
    visibility,
  };
}

// Ids of the delivery log are bigint; they fit a JS number for the life of any real network.
const parseBigint = (value: string) => Number(value);
const TYPES = { getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
  oid === types.builtins.INT8 ? parseBigint : types.getTypeParser(oid, format)) as typeof types.getTypeParser };

/** Raw logs: one page of JSON, or every row (or `limit` rows) as CSV through a cursor. */
@Injectable()
export class LogReports {
  constructor(
    private readonly pool: Pool,
    @Inject(REPORT_OPTIONS) private readonly options: ReportOptions,
  ) {}

  private async sql(client: PoolClient, request: LogRequest, forJson: boolean): Promise<Sql> {
    const range = await resolveRange(client, request.from, request.to, null, this.options);
    const { log, page } = request;
    const params = new SqlParams();
    const where = [`x.${log.time} >= ${params.add(range.from, 'timestamptz')}`, `x.${log.time} < ${params.add(range.to, 'timestamptz')}`];
    for (const [filter, values] of request.filters) {
      where.push(`x.${filter.column} = ANY(${params.add(values, filter.kind === 'id' ? 'int[]' : 'text[]')})`);
    }
    const direction = request.descending ? 'DESC' : 'ASC';
    if (page.after) {
      const [time, id] = page.after;
      if (typeof time !== 'string' || typeof id !== 'string') throw new ParameterError('cursor', 'is not a cursor this API returned');
      where.push(
        `(x.${log.time}, x.${log.id}) ${request.descending ? '<' : '>'} (${params.add(time, 'timestamptz')}, ${params.add(id, log.idType)})`,
      );
    }
    const columns = logColumns(log, request.visibility);
    const select = columns.map((column) => `${forJson ? column.sql : `(${column.sql})::text`} AS "${column.name}"`);
    if (forJson) select.push(`x.${log.time}::text AS "__time"`, `x.${log.id}::text AS "__id"`);
    // One row more than the page shows whether there is a next page.
    const limit = page.limit === null ? '' : `LIMIT ${params.add(forJson ? page.limit + 1 : page.limit, 'bigint')}`;
    const text = `SELECT ${select.join(', ')} FROM ${log.table} x WHERE ${where.join(' AND ')}
      ORDER BY x.${log.time} ${direction}, x.${log.id} ${direction} ${limit}`;
    return { text, values: params.values };
  }

  async json(request: LogRequest): Promise<string> {
    return inReport(this.pool, request.zone, this.options, async (client) => {
      const sql = await this.sql(client, request, true);
      const { rows } = await client.query<Record<string, unknown>>({ text: sql.text, values: sql.values, types: TYPES });
      const limit = request.page.limit as number;
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const meta = {
        timezone: request.zone,
        limit,
        next_cursor: rows.length > limit ? encodeCursor(request.page.fingerprint, [last.__time, last.__id]) : null,
      };
      return JSON.stringify({ rows: page.map(({ __time: _time, __id: _id, ...row }) => row), meta });
    });
  }

  async csv(request: LogRequest): Promise<{ columns: LogColumn[]; cursor: RowCursor }> {
    const cursor = await openCursor(this.pool, request.zone, this.options, (client) => this.sql(client, request, false));
    return { columns: logColumns(request.log, request.visibility), cursor };
  }
}
