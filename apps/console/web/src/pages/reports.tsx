import { useState } from 'react';
import { isProblem } from '@tracklane/api-client';
import { answer, ApiError, reporting } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { Table, type Column } from '../components/table';
import { useLoad } from '../hooks';
import { navigate, useLocation } from '../router';
import {
  DIMENSIONS,
  FILTERS,
  formatMetric,
  METRICS,
  nextSort,
  readReportState,
  sortOf,
  statsQuery,
  TIME_BUCKETS,
  today,
  writeReportState,
  dimensionLabel,
  type Filter,
  type ReportState,
  type StatsQuery,
} from '../report-query';

type Row = Record<string, unknown>;
interface Stats {
  rows: Row[];
  totals: Row[];
  meta: { metrics?: string[]; group_by?: string[]; total_rows?: number; limit?: number | null; offset?: number };
}

/**
 * Every group-by, filter, metric and time zone of the stats API, in a table
 * sorted and paged by the API; the whole state lives in the URL, so a report
 * is shared by copying its address. CSV comes from the API's own export.
 */
export function ReportsPage() {
  const { search } = useLocation();
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const state = readReportState(search, { timezone, today: today(timezone) });
  const query = statsQuery(state);
  const update = (change: Partial<ReportState>) => navigate(`/reports?${writeReportState({ ...state, offset: 0, ...change })}`);

  const loaded = useLoad(async () => answer(await reporting.GET('/v1/reports/stats', { params: { query } })) as Stats, JSON.stringify(query));
  const stats = loaded.data;
  const metrics = stats?.meta.metrics ?? [];
  const groupBy = stats?.meta.group_by ?? state.groupBy;

  const columns: Array<Column<Row>> = [
    ...groupBy.map((dimension) => ({ key: dimension, label: dimension, sort: sortOf(state.sort, dimension), render: (row: Row) => dimensionLabel(row, dimension) })),
    { key: 'currency', label: 'currency', sort: sortOf(state.sort, 'currency') },
    ...metrics.map((name) => ({
      key: name,
      label: name,
      numeric: true,
      sort: sortOf(state.sort, name),
      render: (row: Row) => formatMetric(name, row[name]),
    })),
  ];
  const total = stats?.meta.total_rows ?? 0;

  return (
    <section>
      <ReportForm state={state} onChange={update} />
      <div className="toolbar">
        <CsvDownload query={query} />
        <span className="muted" role="status">
          {stats ? `${total.toLocaleString()} ${total === 1 ? 'row' : 'rows'}` : ''}
        </span>
      </div>
      <ErrorNotice error={loaded.error} />
      {!stats && loaded.loading && <Loading what="the report" />}
      {stats && (
        <>
          <Table caption="Report" columns={columns} rows={stats.rows} rowKey={(_, index) => String(index)} empty="No rows for this period and these filters." onSort={(column) => update({ sort: nextSort(state.sort, column) })} />
          {stats.totals.length > 0 && (
            <Table
              caption="Totals"
              columns={[{ key: 'currency', label: 'Totals' }, ...metrics.map((name) => ({ key: name, label: name, numeric: true, render: (row: Row) => formatMetric(name, row[name]) }))]}
              rows={stats.totals}
              rowKey={(row) => String(row.currency)}
              empty=""
            />
          )}
          <div className="pager">
            <button type="button" className="secondary" disabled={state.offset === 0} onClick={() => update({ offset: Math.max(0, state.offset - state.limit) })}>
              Previous page
            </button>
            <span>
              {total === 0 ? 0 : state.offset + 1}–{Math.min(state.offset + state.limit, total)} of {total}
            </span>
            <button type="button" className="secondary" disabled={state.offset + state.limit >= total} onClick={() => update({ offset: state.offset + state.limit })}>
              Next page
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function ReportForm({ state, onChange }: { state: ReportState; onChange: (change: Partial<ReportState>) => void }) {
  const [filterName, setFilterName] = useState<Filter>('offer_id');
  const [filterValue, setFilterValue] = useState('');
  const bucket = state.groupBy.find((name) => (TIME_BUCKETS as readonly string[]).includes(name)) ?? '';
  const dimensions = state.groupBy.filter((name) => !(TIME_BUCKETS as readonly string[]).includes(name));
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((item) => item !== value) : [...list, value]);

  return (
    <form className="report-form" onSubmit={(event) => event.preventDefault()}>
      <fieldset>
        <legend>Period</legend>
        <label>
          From <input type="date" value={state.from} onChange={(event) => event.target.value && onChange({ from: event.target.value })} />
        </label>
        <label>
          To <input type="date" value={state.to} onChange={(event) => event.target.value && onChange({ to: event.target.value })} />
        </label>
        <label>
          Time zone{' '}
          <input list="time-zones" value={state.timezone} onChange={(event) => onChange({ timezone: event.target.value })} size={18} />
        </label>
        <datalist id="time-zones">
          {Intl.supportedValuesOf('timeZone').map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </fieldset>
      <fieldset>
        <legend>Group by</legend>
        <label>
          Time{' '}
          <select value={bucket} onChange={(event) => onChange({ groupBy: [...(event.target.value ? [event.target.value] : []), ...dimensions] })}>
            <option value="">none</option>
            {TIME_BUCKETS.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        {DIMENSIONS.map((name) => (
          <label key={name} className="check">
            <input type="checkbox" checked={dimensions.includes(name)} onChange={() => onChange({ groupBy: [...(bucket ? [bucket] : []), ...toggle(dimensions, name)] })} /> {name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Metrics (none ticked: every one your key may see)</legend>
        {METRICS.map((name) => (
          <label key={name} className="check">
            <input type="checkbox" checked={state.metrics.includes(name)} onChange={() => onChange({ metrics: toggle(state.metrics, name) })} /> {name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Filters</legend>
        {FILTERS.filter((name) => state.filters[name]?.length).map((name) => (
          <span key={name} className="chip">
            {name} = {state.filters[name]?.join(', ')}{' '}
            <button type="button" className="link" aria-label={`Remove the ${name} filter`} onClick={() => onChange({ filters: { ...state.filters, [name]: undefined } })}>
              ×
            </button>
          </span>
        ))}
        <label>
          Field{' '}
          <select value={filterName} onChange={(event) => setFilterName(event.target.value as Filter)}>
            {FILTERS.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          Values <input value={filterValue} placeholder="comma-separated" onChange={(event) => setFilterValue(event.target.value)} />
        </label>
        <button
          type="button"
          className="secondary"
          disabled={!filterValue.trim()}
          onClick={() => {
            const values = filterValue.split(',').map((value) => value.trim()).filter(Boolean);
            onChange({ filters: { ...state.filters, [filterName]: values } });
            setFilterValue('');
          }}
        >
          Add filter
        </button>
      </fieldset>
    </form>
  );
}

/** Downloads the API's CSV export of the report (every row), with the signed-in key in the header, not the URL. */
function CsvDownload({ query }: { query: StatsQuery }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const { limit: _limit, offset: _offset, ...everyRow } = query;
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            const result = await reporting.GET('/v1/reports/stats', { params: { query: { ...everyRow, format: 'csv' } }, parseAs: 'text' });
            if (!result.response.ok) throw new ApiError(result.response.status, isProblem(result.error) ? result.error : undefined);
            const url = URL.createObjectURL(new Blob([result.data as unknown as string], { type: 'text/csv' }));
            const link = Object.assign(document.createElement('a'), { href: url, download: `tracklane-report-${query.from}-${query.to}.csv` });
            link.click();
            window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
          } catch (failure) {
            setError(failure);
          } finally {
            setBusy(false);
          }
        }}
      >
        Download CSV
      </button>
      <ErrorNotice error={error} />
    </>
  );
}
