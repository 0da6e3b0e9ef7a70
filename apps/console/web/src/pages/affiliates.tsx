import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { ErrorNotice, Loading, ShownOnce } from '../components/feedback';
import { CreateForm, Field, Select, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import type { PageProps } from './index';

type Affiliate = ManagementComponents['schemas']['AffiliateResponse'];

export function AffiliatesPage({ principal }: PageProps) {
  const affiliates = useLoad(async () => answer(await management.GET('/v1/affiliates', { params: { query: { limit: 200 } } })).data, 'affiliates');
  const create = useAction();
  const change = useAction();
  const [form, setForm] = useState({ name: '', postbackUrl: '', status: 'active' });
  const [secret, setSecret] = useState<string | null>(null);

  const setStatus = (affiliate: Affiliate, status: 'active' | 'suspended') =>
    change.run(async () => {
      answer(await management.PATCH('/v1/affiliates/{affiliateId}', { params: { path: { affiliateId: affiliate.id } }, body: { status } }));
      affiliates.reload();
    });

  return (
    <section>
      {!principal.readOnly && (
        <CreateForm
          title="New affiliate"
          busy={create.busy}
          error={create.error}
          onSubmit={() =>
            create.run(async () => {
              const affiliate = answer(
                await management.POST('/v1/affiliates', { body: { name: form.name, status: form.status as 'active' | 'pending', postbackUrl: form.postbackUrl || undefined } }),
              );
              setSecret(affiliate.postbackSecret);
              setForm({ name: '', postbackUrl: '', status: 'active' });
              affiliates.reload();
            })
          }
        >
          <Field label="Name" name="name" required value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} error={create.error} />
          <Field
            label="Postback URL"
            name="postbackUrl"
            value={form.postbackUrl}
            placeholder="https://tracker.example/pb?cid={aff_click_id}&payout={payout}"
            onChange={(event) => setForm({ ...form, postbackUrl: event.target.value })}
            error={create.error}
            hint="Macros: {click_id} {aff_click_id} {sub1}…{sub5} {status} {payout} {currency} {goal} {offer_id}"
          />
          <Select label="Status" name="status" value={form.status} onChange={(value) => setForm({ ...form, status: value })} options={[['active', 'active'], ['pending', 'pending']]} />
        </CreateForm>
      )}
      {secret && <ShownOnce label="Postback signing secret" value={secret} />}
      <ErrorNotice error={affiliates.error ?? change.error} />
      {!affiliates.data && affiliates.loading && <Loading what="affiliates" />}
      {affiliates.data && (
        <Table<Affiliate>
          caption="Affiliates"
          rows={affiliates.data}
          rowKey={(affiliate) => String(affiliate.id)}
          empty="No affiliates yet."
          columns={[
            { key: 'id', label: 'Id', numeric: true },
            { key: 'name', label: 'Name' },
            { key: 'status', label: 'Status', render: (affiliate) => <span className={`badge ${affiliate.status}`}>{affiliate.status}</span> },
            { key: 'postbackUrl', label: 'Postback URL', render: (affiliate) => <code className="wrap">{affiliate.postbackUrl ?? '—'}</code> },
            { key: 'postbackStatuses', label: 'Sends' },
            { key: 'createdAt', label: 'Created', render: (affiliate) => when(affiliate.createdAt) },
            {
              key: 'actions',
              label: 'Actions',
              render: (affiliate) =>
                principal.readOnly ? null : affiliate.status === 'active' ? (
                  <button type="button" className="secondary" disabled={change.busy} onClick={() => setStatus(affiliate, 'suspended')}>
                    Suspend
                  </button>
                ) : affiliate.status !== 'archived' ? (
                  <button type="button" className="secondary" disabled={change.busy} onClick={() => setStatus(affiliate, 'active')}>
                    Activate
                  </button>
                ) : null,
            },
          ]}
        />
      )}
    </section>
  );
}
