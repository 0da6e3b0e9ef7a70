import { clickFacts, conversionFacts } from '../read-model/raw-facts';
import { DimensionColumn, MEASURE_COLUMNS, RollupLevel, coveringLevel, rollupTable } from '../read-model/rollup-levels';
import { RAW_ONLY_COLUMNS, ReportColumn, TimeGrain, isRawOnly } from './dimensions';
import { METRICS, metric } from './metrics';
import { OutputColumn, metricColumn, statsColumns } from './output-columns';
import { ReadPlan, ResolvedRange, planReads } from './read-plan';
import { Sql, SqlParams } from './sql-params';
import { StatsRequest } from './stats-request';

/**
 * SQL for a stats report. The session's TimeZone must be the report's zone:
 * date_trunc and ::date then cut buckets in that zone, DST included.
 *
 *   src   rows of the daily rollup, the hourly rollup and the raw tables,
 *         each for its part of the range (see ReadPlan), all of one shape
 *   st    the same, split into one row per conversion status when asked
 *   agg   sums per group
 *   page  the groups of the page, in order, numbered (n)
 *
 * A report that reads one rollup at its own grain and is sorted by its group
 * keys is "streamed" instead: no agg, the page sums groups in key order
 * straight from src and stops after its last row (see streamable).
 */
const CAST: Record<string, string> = { id: 'int[]', text: 'text[]', country: 'text[]', currency: 'text[]', status: 'text[]' };
const conversionCount = (alias: string) =>
  `(${alias}.approved_conversions + ${alias}.pending_conversions + ${alias}.rejected_conversions + ${alias}.refunded_conversions)`;
const quoted = (name: string) => `"${name}"`;

function bucket(grain: TimeGrain | null, time: string, isDate = false): string | null {
  if (!grain) return null;
  if (grain === 'hour') return `date_trunc('hour', ${time})`;
  return isDate ? `date_trunc('${grain}', ${time}::timestamp)::date` : `date_trunc('${grain}', ${time})::date`;
}

export interface StatsPlan {
  level: RollupLevel;
  plan: ReadPlan;
  range: ResolvedRange;
  zone: string;
  /** The zone has daily rollups (and the report may read rollups): its totals can be read from them. */
  dailyRollups: boolean;
}

/** The rollup level holding the report's columns; raw-only columns are in none, and their reports read no rollup. */
export function chooseLevel(request: StatsRequest): RollupLevel {
  const needed = new Set<DimensionColumn>();
  const column = (name: ReportColumn | 'status') => name !== 'status' && !isRawOnly(name) && needed.add(name);
  for (const dimension of request.dimensions) column(dimension.column);
  for (const filter of request.filters.keys()) column(filter.column);
  return coveringLevel(needed, request.conversionsOnly);
}

/** Reads one rollup only, at the grain of the report's buckets: days of the daily rollup by day, hours of the hourly rollup by hour. */
function readsOneRollupAtItsGrain(plan: ReadPlan, grain: TimeGrain | null): boolean {
  if (plan.raw.length > 0) return false;
  if (grain === 'day') return plan.daily !== null && plan.hourly.spans.length === 0;
  if (grain === 'hour') return plan.daily === null && plan.hourly.spans.length > 0;
  return false;
}

/** The same report without its groups: what its totals per currency sum, over the same range and filters. */
function totalsRequest(request: StatsRequest): StatsRequest {
  return { ...request, grain: null, dimensions: [], sort: [], page: { ...request.page, limit: null, offset: 0 } };
}

class StatsSqlBuilder {
  private readonly groupColumns: ReportColumn[];
  private readonly byStatus: boolean;
  private readonly streamed: boolean;

  constructor(
    private readonly request: StatsRequest,
    private readonly statsPlan: StatsPlan,
    readonly params = new SqlParams(),
  ) {
    this.groupColumns = request.dimensions.flatMap((dimension) => (dimension.column === 'status' ? [] : [dimension.column]));
    this.byStatus = request.dimensions.some((dimension) => dimension.column === 'status') || this.statusFilter() !== null;
    this.streamed = this.streamable();
  }

  /**
   * A report that reads one rollup at its own grain has the rollup's time
   * column as its bucket (a day of the daily rollup is its own day bucket; an
   * hour read from the hourly rollup lies inside one hour bucket, which then
   * is that hour). Sorted by its group keys, it can then be summed in key
   * order along an index on (time, dimension, currency) and cut after the
   * page: a first page costs its own rows, not every group of the range.
   */
  private streamable(): boolean {
    const sortedByKeys = this.request.sort.every((sort) => metric(sort.key) === undefined);
    return !this.byStatus && sortedByKeys && readsOneRollupAtItsGrain(this.statsPlan.plan, this.request.grain);
  }

  private statusFilter(): readonly (string | number)[] | null {
    for (const [filter, values] of this.request.filters) if (filter.column === 'status') return values;
    return null;
  }

  /** Filters on any source; rollup rows in conversion-only reports must also hold conversions. */
  private conditions(alias: string, rollup: boolean): string[] {
    const out: string[] = [];
    for (const [filter, values] of this.request.filters) {
      if (filter.column === 'status') continue;
      out.push(`${alias}.${filter.column} = ANY(${this.params.add(values, CAST[filter.kind])})`);
    }
    if (rollup && this.request.conversionsOnly) out.push(`${conversionCount(alias)} <> 0`);
    return out;
  }

  private projection(alias: string, bucketSql: string | null): string {
    return [
      ...(bucketSql ? [`${bucketSql} AS b`] : []),
      ...this.groupColumns.map((column) => `${alias}.${column}`),
      `${alias}.currency`,
      ...MEASURE_COLUMNS.map((column) => `${alias}.${column}`),
    ].join(', ');
  }

  private sources(): string[] {
    const { plan, level, zone } = this.statsPlan;
    const grain = this.request.grain;
    const out: string[] = [];
    if (plan.daily) {
      const where = [
        `t.zone = ${this.params.add(zone, 'text')}`,
        `t.day >= ${this.params.add(plan.daily.fromDay, 'date')}`,
        `t.day < ${this.params.add(plan.daily.toDay, 'date')}`,
        ...this.conditions('t', true),
      ];
      const day = this.streamed ? 't.day' : bucket(grain, 't.day', true);
      out.push(`SELECT ${this.projection('t', day)} FROM ${rollupTable(level, 'daily')} t WHERE ${where.join(' AND ')}`);
    }
    if (plan.hourly.spans.length > 0) {
      const spans = plan.hourly.spans.map(
        (span) => `(t.hour >= ${this.params.add(span.from, 'timestamptz')} AND t.hour < ${this.params.add(span.to, 'timestamptz')})`,
      );
      const where = [`(${spans.join(' OR ')})`, ...this.conditions('t', true)];
      if (plan.hourly.excludedHours.length > 0) where.push(`t.hour <> ALL(${this.params.add(plan.hourly.excludedHours, 'timestamptz[]')})`);
      const hour = this.streamed ? 't.hour' : bucket(grain, 't.hour');
      out.push(`SELECT ${this.projection('t', hour)} FROM ${rollupTable(level, 'hourly')} t WHERE ${where.join(' AND ')}`);
    }
    if (plan.raw.length > 0) {
      const starts = this.params.add(
        plan.raw.map((span) => span.from),
        'timestamptz[]',
      );
      const ends = this.params.add(
        plan.raw.map((span) => span.to),
        'timestamptz[]',
      );
      const raw = (facts: string) =>
        `SELECT ${this.projection('f', bucket(grain, 'f.at'))} FROM unnest(${starts}, ${ends}) r(s, e) CROSS JOIN LATERAL (${facts}) f`;
      const rawWhere = (alias: string, time: string) =>
        [`${alias}.${time} >= r.s`, `${alias}.${time} < r.e`, ...this.conditions(alias, false)].join(' AND ');
      if (!this.request.conversionsOnly) out.push(raw(clickFacts('rep_clicks', rawWhere('c', 'occurred_at'))));
      // Raw-only columns only in conversion-only reports: click facts have no such column to match.
      out.push(raw(conversionFacts('rep_conversions', rawWhere('v', 'converted_at'), this.request.rawOnly ? RAW_ONLY_COLUMNS : [])));
    }
    return out;
  }

  /** One row per status a conversion count sits in, with the measures of that status only. */
  private splitByStatus(source: string): string {
    const statuses = this.statusFilter();
    const values = [
      `('approved', s.approved_conversions, 0::bigint, 0::bigint, 0::bigint, s.approved_revenue_e4, 0::bigint, s.approved_payout_e4, 0::bigint)`,
      `('pending', 0::bigint, s.pending_conversions, 0::bigint, 0::bigint, 0::bigint, s.pending_revenue_e4, 0::bigint, s.pending_payout_e4)`,
      `('rejected', 0::bigint, 0::bigint, s.rejected_conversions, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint)`,
      `('refunded', 0::bigint, 0::bigint, 0::bigint, s.refunded_conversions, 0::bigint, 0::bigint, 0::bigint, 0::bigint)`,
    ];
    const keep = [`${conversionCount('u')} <> 0`];
    if (statuses) keep.push(`u.status = ANY(${this.params.add(statuses, 'text[]')})`);
    const carried = [...(this.request.grain ? ['s.b'] : []), ...this.groupColumns.map((column) => `s.${column}`), 's.currency'];
    return `SELECT ${carried.join(', ')}, u.status, s.clicks, s.unique_clicks, s.invalid_clicks,
        u.approved_conversions, u.pending_conversions, u.rejected_conversions, u.refunded_conversions,
        u.approved_revenue_e4, u.pending_revenue_e4, u.approved_payout_e4, u.pending_payout_e4
      FROM ${source} s CROSS JOIN LATERAL (VALUES ${values.join(', ')})
        AS u(status, approved_conversions, pending_conversions, rejected_conversions, refunded_conversions,
             approved_revenue_e4, pending_revenue_e4, approved_payout_e4, pending_payout_e4)
      WHERE ${keep.join(' AND ')}`;
  }

  private keys(): string[] {
    return [
      ...(this.request.grain ? ['b'] : []),
      ...this.groupColumns,
      ...(this.request.dimensions.some((dimension) => dimension.column === 'status') ? ['status'] : []),
    ];
  }

  /** Only the sums the asked-for (and sorted-by) metrics are computed from; `from` qualifies the summed columns. */
  private sums(from = ''): string[] {
    const sorted = this.request.sort.map((sort) => metric(sort.key)).filter((found) => found !== undefined);
    const needed = new Set([...this.request.metrics, ...sorted].flatMap((found) => found.measures));
    return MEASURE_COLUMNS.filter((column) => needed.has(column)).map((column) => `sum(${from}${column}) AS ${column}`);
  }

  /** One row per group: its keys, currency and sums. */
  private grouped(source: string): string {
    const keys = [...this.keys(), 'currency'].join(', ');
    return `SELECT ${keys}, ${this.sums().join(', ')} FROM ${source} GROUP BY ${keys}`;
  }

  /**
   * The report's order, over the columns of the groups (prefix 'a.'), or
   * over the bare names of a grouping query (prefix ''), which only key
   * sorts use (see streamable).
   */
  private orderBy(prefix: string): string {
    const expressions = new Map<string, string>([['currency', `${prefix}currency`]]);
    if (this.request.grain) expressions.set(this.request.grain, `${prefix}b`);
    for (const dimension of this.request.dimensions) expressions.set(dimension.name, `${prefix}${dimension.column}`);
    for (const metric of METRICS) expressions.set(metric.name, metricColumn(metric).sql.replace(/::text$/, ''));
    const order = this.request.sort.map((sort) => `${expressions.get(sort.key)} ${sort.descending ? 'DESC' : 'ASC'}`);
    // Every group key last, so the order is total and pages never overlap.
    const tieBreakers = this.keys().map((key) => `${prefix}${key} ASC`);
    return [...order, ...tieBreakers, `${prefix}currency ASC`].join(', ');
  }

  private nameJoins(): string {
    return this.request.dimensions
      .filter((dimension) => dimension.names && dimension.names.hiddenFrom !== this.request.visibility.role)
      .map((dimension) => {
        const names = dimension.names as NonNullable<typeof dimension.names>;
        return `LEFT JOIN ${names.table} ON ${names.table}.id = a.${dimension.column}`;
      })
      .join(' ');
  }

  private paging(): string {
    const { limit, offset } = this.request.page;
    return [limit !== null ? `LIMIT ${this.params.add(limit, 'bigint')}` : '', offset > 0 ? `OFFSET ${this.params.add(offset, 'bigint')}` : '']
      .filter(Boolean)
      .join(' ');
  }

  private withClause(): string {
    const union = this.sources().join('\n  UNION ALL\n  ');
    // Streamed, src is read twice (page and count), each time along an index: inlined, not materialised.
    if (this.streamed) return `WITH src AS NOT MATERIALIZED (\n  ${union}\n)`;
    const ctes = [`src AS (\n  ${union}\n)`];
    let rows = 'src';
    if (this.byStatus) {
      ctes.push(`st AS (${this.splitByStatus('src')})`);
      rows = 'st';
    }
    ctes.push(`agg AS (${this.grouped(rows)})`);
    return `WITH ${ctes.join(',\n')}`;
  }

  /**
   * The page's groups in order, numbered (n), before anything is formatted:
   * sorting happens on the sums, and only the rows on the page get names and
   * formatted values. The page is cut first (ORDER BY … LIMIT: a top-N sort
   * of the groups, or, streamed, an index walk that stops) and numbered
   * after, so no group beyond the page is ever fully sorted.
   */
  private page(): string {
    const rows = this.streamed
      ? `${this.grouped('src')} ORDER BY ${this.orderBy('')} ${this.paging()}`
      : `SELECT * FROM agg a ORDER BY ${this.orderBy('a.')} ${this.paging()}`;
    return `page AS (
  SELECT a.*, row_number() OVER (ORDER BY ${this.orderBy('a.')}) AS n
  FROM (${rows}) a
)`;
  }

  /**
   * How many groups the whole report has (meta.total_rows). Streamed and
   * grouped by every dimension its rollup keeps, each rollup row (one per
   * time and dimension values) is a group of its own: counting rows is
   * enough, along the index, without comparing keys.
   */
  private groupCount(): string {
    if (!this.streamed) return 'SELECT count(*) FROM agg';
    const rowPerGroup = this.statsPlan.level.dimensions.every((column) => column === 'currency' || this.groupColumns.includes(column));
    if (rowPerGroup) return 'SELECT count(*) FROM src';
    const keys = [...this.keys(), 'currency'].join(', ');
    return `SELECT count(*) FROM (SELECT 1 FROM src GROUP BY ${keys}) d`;
  }

  /**
   * Totals per currency as a JSON array. Without groups they are the rows;
   * otherwise the sums of the groups' sums, or, streamed (no agg to sum),
   * the same report without groups read through its own plan: from the
   * smallest rollup and the daily rollups where it can, so totals over a
   * week of hours read a week of days.
   */
  private totals(object: (list: OutputColumn[]) => string, columns: OutputColumn[]): string {
    const list = columns.filter((column) => column.name === 'currency' || this.request.metrics.some((m) => m.name === column.name));
    const json = `coalesce(json_agg(${object(list)} ORDER BY a.currency), '[]'::json)`;
    if (this.keys().length === 0) return `SELECT ${json} FROM agg a`;
    if (!this.streamed) {
      return `SELECT ${json} FROM (SELECT g.currency, ${this.sums('g.').join(', ')} FROM agg g GROUP BY g.currency) a`;
    }
    const { range, zone, dailyRollups } = this.statsPlan;
    const request = totalsRequest(this.request);
    const plan = planReads({ ...range, edges: [] }, null, dailyRollups);
    const totals = new StatsSqlBuilder(request, { level: chooseLevel(request), plan, range, zone, dailyRollups }, this.params);
    return `${totals.withClause()} SELECT ${json} FROM agg a`;
  }

  /**
   * The page's rows as text columns in page order, behind a head row (n = 0)
   * that carries the totals (JSON) and the group count: one statement, one
   * snapshot. The service writes the rows' JSON itself (jsonRows), where
   * Postgres' json_build_object cost about 20 µs a row.
   */
  json(columns: OutputColumn[]): Sql {
    const object = (list: OutputColumn[]) => `json_build_object(${list.map((column) => `'${column.name}', ${column.sql}`).join(', ')})`;
    const text = `${this.withClause()},
${this.page()}
SELECT 0::bigint AS n, (${this.totals(object, columns)})::text AS totals, (${this.groupCount()})::int AS total_rows,
  ${columns.map(() => 'NULL::text').join(', ')}
UNION ALL
SELECT a.n, NULL, NULL, ${this.textColumns(columns)}
FROM page a ${this.nameJoins()}
ORDER BY n`;
    return { text, values: this.params.values };
  }

  private textColumns(columns: OutputColumn[]): string {
    return columns.map((column) => `(${column.sql})::text AS ${quoted(column.name)}`).join(', ');
  }

  csv(columns: OutputColumn[]): Sql {
    const text = `${this.withClause()},
${this.page()}
SELECT ${this.textColumns(columns)}
FROM page a ${this.nameJoins()}
ORDER BY a.n`;
    return { text, values: this.params.values };
  }
}

export function statsJsonSql(request: StatsRequest, plan: StatsPlan, columns = statsColumns(request)): Sql {
  return new StatsSqlBuilder(request, plan).json(columns);
}

export function statsCsvSql(request: StatsRequest, plan: StatsPlan): Sql {
  return new StatsSqlBuilder(request, plan).csv(statsColumns(request));
}
