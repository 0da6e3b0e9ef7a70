import { useState } from 'react';
import { answer, reporting } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { Select } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import { period, today } from '../report-query';

type Row = Record<string, unknown>;
const STATES = ['pending', 'delivered', 'failed', 'dead_lettered', 'refused'];

/**
 * Outbound postbacks to affiliates' servers: the endpoints that fail or are
 * paused (their postbacks wait, none is dropped), then every delivery with its
 * state, attempts and last error, newest first.
 */
export function DeliveriesPage() {
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const [state, setState] = useState('');
  const range = period('last7', today(timezone));
  const deliveries = useLoad(
    async () => answer(await reporting.GET('/v1/reports/postbacks', { params: { query: { ...range, timezone, limit: '100', ...(state ? { state: [state] } : {}) } } })).rows as Row[],
    state,
    10_000,
  );
  const health = useLoad(async () => answer(await reporting.GET('/v1/postback-health')).rows, 'health', 10_000);
  return (
    <section>
      <h2>Failing endpoints</h2>
      <ErrorNotice error={health.error} />
      {health.data && (
        <Table
          caption="Affiliates whose postback endpoint fails or is paused"
          rows={health.data}
          rowKey={(row) => String(row.affiliate_id)}
          empty="Every affiliate's endpoint answers."
          columns={[
            { key: 'affiliate', label: 'Affiliate', render: (row) => `${row.affiliate_id}${row.affiliate_name ? ` · ${row.affiliate_name}` : ''}` },
            { key: 'state', label: 'State', render: (row) => <span className={`badge ${row.state}`}>{row.state}</span> },
            { key: 'consecutive_failures', label: 'Failures in a row', numeric: true },
            { key: 'paused_until', label: 'Next try', render: (row) => (row.state === 'paused' ? when(row.paused_until) : 'now') },
            { key: 'last_error', label: 'Last error' },
          ]}
        />
      )}
      <h2>Deliveries</h2>
      <div className="toolbar">
        <Select label="State" name="delivery-state" value={state} onChange={setState} options={[['', 'any'], ...STATES.map((name): [string, string] => [name, name])]} />
        <span className="muted">Last 7 days</span>
      </div>
      <ErrorNotice error={deliveries.error} />
      {!deliveries.data && deliveries.loading && <Loading what="deliveries" />}
      {deliveries.data && (
        <Table
          caption="Outbound postbacks"
          rows={deliveries.data}
          rowKey={(row, index) => String(row.id ?? index)}
          empty="No postbacks sent in the last 7 days."
          columns={[
            { key: 'created_at', label: 'Created', render: (row) => when(row.created_at) },
            { key: 'affiliate_id', label: 'Affiliate', numeric: true },
            { key: 'offer_id', label: 'Offer', numeric: true },
            { key: 'status', label: 'Conversion' },
            { key: 'state', label: 'State', render: (row) => <span className={`badge ${String(row.state)}`}>{String(row.state)}</span> },
            { key: 'attempts', label: 'Attempts', numeric: true },
            { key: 'last_status_code', label: 'Last HTTP', numeric: true },
            { key: 'last_error', label: 'Last error' },
            { key: 'url_masked', label: 'URL', render: (row) => <code className="wrap">{String(row.url_masked ?? '')}</code> },
          ]}
        />
      )}
    </section>
  );
}
