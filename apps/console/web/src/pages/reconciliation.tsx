import { useState } from 'react';
import { answer, reporting } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { Field } from '../components/forms';
import { Table } from '../components/table';
import { useLoad } from '../hooks';
import { period, today } from '../report-query';

type Figures = Record<string, string | number | undefined>;
interface CurrencyCheck {
  currency?: string;
  ledger?: Figures;
  rollups?: Figures;
}

const FIGURES = ['approved_revenue', 'pending_revenue', 'approved_payout', 'pending_payout', 'approved_conversions', 'pending_conversions', 'rejected_conversions', 'refunded_conversions'];

/** Reports against the ledger for a period: each figure from both sides, and whether they balance to the cent. */
export function ReconciliationPage() {
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const [range, setRange] = useState(() => period('last7', today(timezone)));
  const check = useLoad(async () => answer(await reporting.GET('/v1/reconciliation', { params: { query: { ...range, timezone } } })), `${range.from}|${range.to}`);
  const result = check.data;

  return (
    <section>
      <div className="toolbar">
        <Field label="From" name="from" type="date" value={range.from} onChange={(event) => event.target.value && setRange({ ...range, from: event.target.value })} />
        <Field label="To" name="to" type="date" value={range.to} onChange={(event) => event.target.value && setRange({ ...range, to: event.target.value })} />
        <button type="button" className="secondary" onClick={check.reload}>
          Check again
        </button>
      </div>
      <ErrorNotice error={check.error} />
      {!result && check.loading && <Loading what="the reconciliation" />}
      {result && (
        <>
          <p className={`notice ${result.balanced ? 'success' : 'error'}`} role="status" data-testid="balanced">
            {result.balanced ? 'Reports equal the ledger to the cent.' : `Reports differ from the ledger: ${result.mismatched_conversions.length} conversions${result.mismatches_truncated ? ' (and more)' : ''}.`}
          </p>
          {(result.currencies as CurrencyCheck[]).map((currency) => (
            <Table
              key={currency.currency}
              caption={`Reconciliation in ${currency.currency}`}
              rows={FIGURES.map((name) => ({ name, ledger: currency.ledger?.[name], rollups: currency.rollups?.[name] }))}
              rowKey={(row) => row.name}
              empty=""
              columns={[
                { key: 'name', label: `Figure (${currency.currency})` },
                { key: 'ledger', label: 'Ledger', numeric: true },
                { key: 'rollups', label: 'Reports', numeric: true },
                { key: 'equal', label: '', render: (row) => (String(row.ledger) === String(row.rollups) ? '✓' : '≠') },
              ]}
            />
          ))}
        </>
      )}
    </section>
  );
}
