import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { TimeZones } from '../read-model/time-zones';
import { ByteWriter, OutputColumn, jsonRows, statsColumns } from './output-columns';
import { encodeCursor } from './paging';
import { resolveRange } from './range-resolution';
import { planReads } from './read-plan';
import { REPORT_OPTIONS, ReportOptions } from './report-options';
import { inReport } from './report-transaction';
import { RowCursor, openCursor } from './row-cursor';
import { StatsPlan, chooseLevel, statsCsvSql, statsJsonSql } from './stats-sql';
import { StatsRequest } from './stats-request';

export type Source = 'rollups' | 'raw';

/** n, totals and total_rows come before a stats row's own columns. */
const HEAD_COLUMNS = 3;

export interface StatsCsv {
  columns: OutputColumn[];
  cursor: RowCursor;
}

/** Runs stats reports: JSON rows read in one statement and written here, CSV read through a cursor. */
@Injectable()
export class StatsReports {
  constructor(
    private readonly pool: Pool,
    private readonly timeZones: TimeZones,
    @Inject(REPORT_OPTIONS) private readonly options: ReportOptions,
  ) {}

  private async plan(client: PoolClient, request: StatsRequest, source: Source): Promise<StatsPlan> {
    const range = await resolveRange(client, request.from, request.to, request.grain, this.options);
    const raw = source === 'raw' || request.rawOnly;
    const dailyRollups = !raw && this.timeZones.hasDailyRollups(request.zone);
    const plan =
      raw
        ? { daily: null, hourly: { spans: [], excludedHours: [] }, raw: [{ from: range.from, to: range.to }] }
        : planReads(range, request.grain, dailyRollups);
    return { level: chooseLevel(request), plan, zone: request.zone, range, dailyRollups };
  }

  /**
   * Runs the JSON statement in the caller's report transaction: the page's
   * rows as text (their values from HEAD_COLUMNS on, in `columns`' order),
   * the totals as JSON text. `raw` computes the same report from raw rows
   * only, the yardstick the rollups are audited and benchmarked against.
   */
  async run(
    client: PoolClient,
    request: StatsRequest,
    source: Source = 'rollups',
  ): Promise<{ plan: StatsPlan; columns: OutputColumn[]; page: (string | null)[][]; totals: string; totalRows: number }> {
    const plan = await this.plan(client, request, source);
    const columns = statsColumns(request);
    const sql = statsJsonSql(request, plan, columns);
    // The head row (n = 0) holds the totals and the group count; the page's rows follow in order.
    const { rows } = await client.query<(string | number | null)[]>({ text: sql.text, values: sql.values, rowMode: 'array' });
    const [head] = rows;
    return { plan, columns, page: rows.slice(1) as (string | null)[][], totals: head[1] as string, totalRows: head[2] as number };
  }

  /** The whole JSON body, as UTF-8: rows, totals per currency and what was read. */
  async json(request: StatsRequest, source: Source = 'rollups'): Promise<Buffer> {
    const { plan, columns, page, totals, totalRows } = await inReport(this.pool, request.zone, this.options, (client) => this.run(client, request, source));
    const { limit, offset, fingerprint } = request.page;
    const meta = {
      from: plan.range.from.toISOString(),
      to: plan.range.to.toISOString(),
      timezone: request.zone,
      group_by: [...(request.grain ? [request.grain] : []), ...request.dimensions.map((dimension) => dimension.name)],
      metrics: request.metrics.map((metric) => metric.name),
      total_rows: totalRows,
      limit,
      offset,
      next_cursor: limit !== null && offset + limit < totalRows ? encodeCursor(fingerprint, [offset + limit]) : null,
      read_from: {
        rollup: source === 'raw' || request.rawOnly ? null : plan.level.name,
        daily_rollups: plan.plan.daily !== null,
        hourly_spans: plan.plan.hourly.spans.length,
        raw_ranges: plan.plan.raw.length,
      },
    };
    const body = new ByteWriter();
    body.write('{"rows":');
    jsonRows(columns, page, HEAD_COLUMNS, body);
    body.write(`,"totals":${totals},"meta":${JSON.stringify(meta)}}`);
    return body.bytes();
  }

  async csv(request: StatsRequest): Promise<StatsCsv> {
    const cursor = await openCursor(this.pool, request.zone, this.options, async (client) =>
      statsCsvSql(request, await this.plan(client, request, 'rollups')),
    );
    return { columns: statsColumns(request), cursor };
  }
}
