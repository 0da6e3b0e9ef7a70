import { useMemo, useState } from 'react';
import { answer, reporting } from '../api';
import { TimeChart } from '../components/chart';
import { ErrorNotice, Loading } from '../components/feedback';
import { Table } from '../components/table';
import { useLoad } from '../hooks';
import { bucketLabels, bucketTotals, change, dimensionLabel, formatMetric, period, previousPeriod, today, type PeriodName, type StatsQuery } from '../report-query';
import type { PageProps } from './index';

type StatsRow = Record<string, unknown>;
interface Stats {
  rows: StatsRow[];
  totals: StatsRow[];
  meta: { metrics?: string[] };
}

/** The headline metrics, in the order shown, where the key may see them. */
const HEADLINE = ['clicks', 'unique_clicks', 'conversions', 'cr', 'revenue', 'payout', 'profit'];
const LABELS: Record<string, string> = {
  clicks: 'Clicks',
  unique_clicks: 'Unique clicks',
  conversions: 'Conversions',
  cr: 'CR',
  revenue: 'Revenue',
  payout: 'Payout',
  profit: 'Profit',
};
const PERIODS: Array<[PeriodName, string]> = [
  ['today', 'Today'],
  ['yesterday', 'Yesterday'],
  ['last7', 'Last 7 days'],
  ['last30', 'Last 30 days'],
  ['month', 'This month'],
];
/** Often enough to watch a campaign go live, seldom enough not to load the reporting API. */
const REFRESH_MS = 10_000;

async function stats(query: StatsQuery): Promise<Stats> {
  return answer(await reporting.GET('/v1/reports/stats', { params: { query } })) as Stats;
}

export function DashboardPage({ principal }: PageProps) {
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const [periodName, setPeriodName] = useState<PeriodName>('today');
  const [chartMetric, setChartMetric] = useState('clicks');
  const current = period(periodName, today(timezone));
  const previous = previousPeriod(current.from, current.to);
  const bucket: 'hour' | 'day' = current.from === current.to ? 'hour' : 'day';
  // No metrics named: the API answers every metric this key may see (an affiliate's has no revenue), and the tiles follow.
  const base = { timezone };

  const loaded = useLoad(
    async () => {
      const [now, before, offers, affiliates] = await Promise.all([
        stats({ ...base, ...current, group_by: bucket }),
        stats({ ...base, ...previous, group_by: bucket }),
        stats({ ...base, ...current, group_by: 'offer', sort: '-conversions,-clicks', limit: '5' }),
        principal.role === 'affiliate' ? Promise.resolve(undefined) : stats({ ...base, ...current, group_by: 'affiliate', sort: '-conversions,-clicks', limit: '5' }),
      ]);
      return { now, before, offers, affiliates };
    },
    `${periodName}|${timezone}`,
    REFRESH_MS,
  );

  const data = loaded.data;
  const visible = HEADLINE.filter((name) => data?.now.meta.metrics?.includes(name) ?? false);
  const labels = useMemo(() => bucketLabels(current.from, current.to, bucket), [current.from, current.to, bucket]);
  const lines = useMemo(() => {
    if (!data) return [];
    // Chart points only: the exact figures are the tiles' and tables' decimal strings.
    const thisPeriod = bucketTotals(data.now.rows, bucket, chartMetric);
    const lastPeriod = bucketTotals(data.before.rows, bucket, chartMetric);
    const lastLabels = bucketLabels(previous.from, previous.to, bucket);
    return [
      { name: 'This period', values: labels.map((label) => thisPeriod.get(label) ?? 0) },
      { name: 'Previous period', values: lastLabels.map((label) => lastPeriod.get(label) ?? 0), dashed: true },
    ];
  }, [data, labels, bucket, chartMetric, previous.from, previous.to]);

  return (
    <section aria-labelledby="period-label">
      <div className="toolbar">
        <label id="period-label" htmlFor="period">
          Period
        </label>
        <select id="period" value={periodName} onChange={(event) => setPeriodName(event.target.value as PeriodName)}>
          {PERIODS.map(([name, label]) => (
            <option key={name} value={name}>
              {label}
            </option>
          ))}
        </select>
        <span className="muted">
          {current.from === current.to ? current.from : `${current.from} – ${current.to}`} ({timezone}), compared with{' '}
          {previous.from === previous.to ? previous.from : `${previous.from} – ${previous.to}`}; refreshed every {REFRESH_MS / 1000} s
        </span>
      </div>
      <ErrorNotice error={loaded.error} />
      {!data && loaded.loading && <Loading what="the dashboard" />}
      {data && (
        <>
          <div className="tiles" data-testid="tiles">
            {visible.map((name) => (
              <Tile key={name} name={name} now={data.now.totals} before={data.before.totals} />
            ))}
          </div>
          <div className="chart-head">
            <label htmlFor="chart-metric">Chart</label>
            <select id="chart-metric" value={chartMetric} onChange={(event) => setChartMetric(event.target.value)}>
              {visible
                .filter((name) => name !== 'cr')
                .map((name) => (
                  <option key={name} value={name}>
                    {LABELS[name]}
                  </option>
                ))}
            </select>
            <span className="muted">by {bucket}</span>
          </div>
          <TimeChart title={`${LABELS[chartMetric]} by ${bucket}, this period and the previous one`} labels={labels} lines={lines} />
          <div className="columns">
            <TopList title="Top offers" dimension="offer" stats={data.offers} metrics={visible} />
            {data.affiliates && <TopList title="Top affiliates" dimension="affiliate" stats={data.affiliates} metrics={visible} />}
          </div>
        </>
      )}
    </section>
  );
}

/** One metric's total over the period (per currency for money), with its change against the previous period. */
function Tile({ name, now, before }: { name: string; now: StatsRow[]; before: StatsRow[] }) {
  const money = ['revenue', 'payout', 'profit'].includes(name);
  const lines = money
    ? now.map((row) => ({ currency: String(row.currency), value: row[name], previous: before.find((other) => other.currency === row.currency)?.[name] }))
    : [{ currency: undefined, value: sum(now, name, name === 'cr'), previous: sum(before, name, name === 'cr') }];
  return (
    <div className="tile" data-metric={name}>
      <h2>{LABELS[name]}</h2>
      {lines.length === 0 && <p className="value">{money ? '0.00' : '0'}</p>}
      {lines.map((line) => {
        const delta = change(Number(line.value ?? 0), Number(line.previous ?? 0));
        return (
          <p key={line.currency ?? name} className="value">
            {formatMetric(name, line.value ?? 0, line.currency)}
            {delta !== null && (
              <span className={delta >= 0 ? 'up' : 'down'} title="Against the previous period">
                {' '}
                {delta >= 0 ? '▲' : '▼'} {Math.abs(delta).toFixed(1)} %
              </span>
            )}
          </p>
        );
      })}
    </div>
  );
}

/** Counts add up over currencies; CR is recomputed from the summed clicks and conversions. */
function sum(rows: StatsRow[], name: string, rate: boolean): string | number {
  if (rate) {
    const clicks = rows.reduce((total, row) => total + Number(row.clicks ?? 0), 0);
    const conversions = rows.reduce((total, row) => total + Number(row.conversions ?? 0), 0);
    return clicks === 0 ? '0' : ((100 * conversions) / clicks).toFixed(2);
  }
  return rows.reduce((total, row) => total + Number(row[name] ?? 0), 0);
}

function TopList({ title, dimension, stats: top, metrics }: { title: string; dimension: string; stats: Stats; metrics: string[] }) {
  const shown = metrics.filter((name) => ['clicks', 'conversions', 'revenue', 'payout'].includes(name));
  return (
    <div>
      <h2>{title}</h2>
      <Table
        caption={title}
        rows={top.rows}
        rowKey={(row, index) => `${dimensionLabel(row, dimension)}-${String(row.currency)}-${index}`}
        empty="No traffic in this period yet."
        columns={[
          { key: dimension, label: dimension === 'offer' ? 'Offer' : 'Affiliate', render: (row) => dimensionLabel(row, dimension) },
          ...shown.map((name) => ({ key: name, label: LABELS[name], numeric: true, render: (row: StatsRow) => formatMetric(name, row[name], String(row.currency)) })),
        ]}
      />
    </div>
  );
}
