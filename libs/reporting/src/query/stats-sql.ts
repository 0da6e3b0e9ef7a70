import { clickFacts, conversionFacts } from '../read-model/raw-facts';
import { DimensionColumn, MEASURE_COLUMNS, RollupLevel, coveringLevel, rollupTable } from '../read-model/rollup-levels';
import { TimeGrain } from './dimensions';
import { METRICS, metric } from './metrics';
import { OutputColumn, metricColumn, statsColumns } from './output-columns';
import { ReadPlan, ResolvedRange } from './read-plan';
import { Sql, SqlParams } from './sql-params';
import { StatsRequest } from './stats-request';

/**
 * SQL for a stats report. The session's TimeZone must be the report's zone:
 * date_trunc and ::date then cut buckets in that zone, DST included.
 *
 *   src   rows of the daily rollup, the hourly rollup and the raw tables,
 *         each for its part of the range (see ReadPlan), all of one shape
 *   st    the same, split into one row per conversion status when asked
 *   agg   sums per group (plus totals per currency, for JSON)
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
}

export function chooseLevel(request: StatsRequest): RollupLevel {
  const needed = new Set<DimensionColumn>();
  for (const dimension of request.dimensions) if (dimension.column !== 'status') needed.add(dimension.column);
  for (const filter of request.filters.keys()) if (filter.column !== 'status') needed.add(filter.column);
  return coveringLevel(needed, request.conversionsOnly);
}

class StatsSqlBuilder {
  readonly params = new SqlParams();
  private readonly groupColumns: DimensionColumn[];
  private readonly byStatus: boolean;

  constructor(
    private readonly request: StatsRequest,
    private readonly statsPlan: StatsPlan,
  ) {
    this.groupColumns = request.dimensions.flatMap((dimension) => (dimension.column === 'status' ? [] : [dimension.column]));
    this.byStatus = request.dimensions.some((dimension) => dimension.column === 'status') || this.statusFilter() !== null;
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
      out.push(`SELECT ${this.projection('t', bucket(grain, 't.day', true))} FROM ${rollupTable(level, 'daily')} t WHERE ${where.join(' AND ')}`);
    }
    if (plan.hourly.spans.length > 0) {
      const spans = plan.hourly.spans.map(
        (span) => `(t.hour >= ${this.params.add(span.from, 'timestamptz')} AND t.hour < ${this.params.add(span.to, 'timestamptz')})`,
      );
      const where = [`(${spans.join(' OR ')})`, ...this.conditions('t', true)];
      if (plan.hourly.excludedHours.length > 0) where.push(`t.hour <> ALL(${this.params.add(plan.hourly.excludedHours, 'timestamptz[]')})`);
      out.push(`SELECT ${this.projection('t', bucket(grain, 't.hour'))} FROM ${rollupTable(level, 'hourly')} t WHERE ${where.join(' AND ')}`);
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
      out.push(raw(conversionFacts('rep_conversions', rawWhere('v', 'converted_at'))));
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

  /** Only the sums the asked-for (and sorted-by) metrics are computed from. */
  private aggregate(source: string, withTotals: boolean): string {
    const keys = this.keys();
    const sorted = this.request.sort.map((sort) => metric(sort.key)).filter((found) => found !== undefined);
    const needed = new Set([...this.request.metrics, ...sorted].flatMap((found) => found.measures));
    const sums = MEASURE_COLUMNS.filter((column) => needed.has(column))
      .map((column) => `sum(${column}) AS ${column}`)
      .join(', ');
    if (keys.length === 0) return `SELECT currency, ${sums}, 0 AS g FROM ${source} GROUP BY currency`;
    if (!withTotals) return `SELECT ${keys.join(', ')}, currency, ${sums}, 0 AS g FROM ${source} GROUP BY ${keys.join(', ')}, currency`;
    return `SELECT ${keys.join(', ')}, currency, ${sums}, GROUPING(${keys.join(', ')}) AS g
      FROM ${source} GROUP BY GROUPING SETS ((${keys.join(', ')}, currency), (currency))`;
  }

  private orderBy(): string {
    const expressions = new Map<string, string>([['currency', 'a.currency']]);
    if (this.request.grain) expressions.set(this.request.grain, 'a.b');
    for (const dimension of this.request.dimensions) expressions.set(dimension.name, `a.${dimension.column}`);
    for (const metric of METRICS) expressions.set(metric.name, metricColumn(metric).sql.replace(/::text$/, ''));
    const order = this.request.sort.map((sort) => `${expressions.get(sort.key)} ${sort.descending ? 'DESC' : 'ASC'}`);
    // Every group key last, so the order is total and pages never overlap.
    const tieBreakers = this.keys().map((key) => `a.${key} ASC`);
    return [...order, ...tieBreakers, 'a.currency ASC'].join(', ');
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

  private withClause(withTotals: boolean): string {
    const union = this.sources().join('\n  UNION ALL\n  ');
    const ctes = [`src AS (\n  ${union}\n)`];
    let rows = 'src';
    if (this.byStatus) {
      ctes.push(`st AS (${this.splitByStatus('src')})`);
      rows = 'st';
    }
    ctes.push(`agg AS (${this.aggregate(rows, withTotals)})`);
    return `WITH ${ctes.join(',\n')}`;
  }

  /**
   * The page's groups in order, numbered (n), before anything is formatted:
   * sorting happens on the sums, and only the rows on the page get names and
   * formatted values.
   */
  private page(): string {
    return `page AS (
  SELECT a.*, row_number() OVER (ORDER BY ${this.orderBy()}) AS n
  FROM agg a WHERE a.g = 0
  ORDER BY ${this.orderBy()} ${this.paging()}
)`;
  }

  json(columns: OutputColumn[]): Sql {
    const hasKeys = this.keys().length > 0;
    const withClause = this.withClause(hasKeys);
    const object = (list: OutputColumn[]) => `json_build_object(${list.map((column) => `'${column.name}', ${column.sql}`).join(', ')})`;
    const totals = columns.filter((column) => column.name === 'currency' || this.request.metrics.some((m) => m.name === column.name));
    const text = `${withClause},
${this.page()}
SELECT coalesce((SELECT json_agg(${object(columns)} ORDER BY a.n) FROM page a ${this.nameJoins()}), '[]'::json)::text AS rows,
  coalesce((SELECT json_agg(${object(totals)} ORDER BY a.currency) FROM agg a WHERE a.g ${hasKeys ? '<> 0' : '= 0'}), '[]'::json)::text AS totals,
  (SELECT count(*) FROM agg WHERE g = 0)::int AS total_rows`;
    return { text, values: this.params.values };
  }

  csv(columns: OutputColumn[]): Sql {
    const text = `${this.withClause(false)},
${this.page()}
SELECT ${columns.map((column) => `(${column.sql})::text AS ${quoted(column.name)}`).join(', ')}
FROM page a ${this.nameJoins()}
ORDER BY a.n`;
    return { text, values: this.params.values };
  }
}

export function statsJsonSql(request: StatsRequest, plan: StatsPlan): Sql {
  return new StatsSqlBuilder(request, plan).json(statsColumns(request));
}

export function statsCsvSql(request: StatsRequest, plan: StatsPlan): Sql {
  return new StatsSqlBuilder(request, plan).csv(statsColumns(request));
}
