import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { Field } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import { formatMetric } from '../report-query';

type Conversion = ManagementComponents['schemas']['ConversionResponse'];

/** Conversions, newest first, with their current status (a refund shows here as "refunded"); money only where the key may see it. */
export function ConversionsPage() {
  const [offerId, setOfferId] = useState('');
  const conversions = useLoad(
    async () => answer(await management.GET('/v1/conversions', { params: { query: { limit: 100, ...(offerId ? { offer_id: Number(offerId) } : {}) } } })).data,
    offerId,
    10_000,
  );
  const rows = conversions.data ?? [];
  const money = (name: 'revenue' | 'payout' | 'saleAmount') => rows.some((row) => row[name] !== undefined);

  return (
    <section>
      <div className="toolbar">
        <Field label="Offer id" name="conversion-offer" type="number" min={1} value={offerId} onChange={(event) => setOfferId(event.target.value)} />
      </div>
      <ErrorNotice error={conversions.error} />
      {!conversions.data && conversions.loading && <Loading what="conversions" />}
      {conversions.data && (
        <Table<Conversion>
          caption="Conversions"
          rows={rows}
          rowKey={(conversion) => conversion.conversionId}
          empty="No conversions yet."
          columns={[
            { key: 'convertedAt', label: 'Converted', render: (conversion) => when(conversion.convertedAt) },
            { key: 'offerId', label: 'Offer', numeric: true },
            { key: 'affiliateId', label: 'Affiliate', numeric: true },
            { key: 'goalCode', label: 'Goal' },
            { key: 'orderId', label: 'Order' },
            { key: 'status', label: 'Status', render: (conversion) => <span className={`badge ${conversion.status}`}>{conversion.status}</span> },
            { key: 'reason', label: 'Reason' },
            ...(money('saleAmount') ? [{ key: 'saleAmount', label: 'Sale', numeric: true, render: (row: Conversion) => formatMetric('revenue', row.saleAmount, row.currency) }] : []),
            ...(money('revenue') ? [{ key: 'revenue', label: 'Revenue', numeric: true, render: (row: Conversion) => formatMetric('revenue', row.revenue, row.currency) }] : []),
            ...(money('payout') ? [{ key: 'payout', label: 'Payout', numeric: true, render: (row: Conversion) => formatMetric('payout', row.payout, row.currency) }] : []),
            { key: 'sub1', label: 'sub1' },
            { key: 'clickId', label: 'Click id', render: (conversion) => <code>{conversion.clickId}</code> },
          ]}
        />
      )}
    </section>
  );
}
