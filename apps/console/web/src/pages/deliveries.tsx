import { useState } from 'react';
import { answer, reporting } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { Select } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import { period, today } from '../report-query';

type Row = Record<string, unknown>;
const STATES = ['pending', 'delivered', 'failed', 'dead_lettered', 'refused'];

/** Outbound postbacks to affiliates' servers: state, attempts and the last error, newest first. */
export function DeliveriesPage() {
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const [state, setState] = useState('');
  const range = period('last7', today(timezone));
  const deliveries = useLoad(
    async () => answer(await reporting.GET('/v1/reports/postbacks', { params: { query: { ...range, timezone, limit: '100', ...(state ? { state: [state] } : {}) } } })).rows as Row[],
    state,
    10_000,
  );
  return (
    <section>
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
