import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { CreateForm, Field, optionalNumber, Select, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import { moneyRule } from '../report-query';
import type { PageProps } from './index';

type Override = ManagementComponents['schemas']['PayoutOverrideResponse'];

export function PayoutOverridesPage({ principal }: PageProps) {
  const overrides = useLoad(async () => answer(await management.GET('/v1/payout-overrides', { params: { query: { limit: 200 } } })).data, 'overrides');
  const create = useAction();
  const remove = useAction();
  const [form, setForm] = useState({ offerId: '', affiliateId: '', goalId: '', type: 'fixed', value: '' });

  return (
    <section>
      {!principal.readOnly && (
        <CreateForm
          title="Pay an affiliate differently on an offer"
          busy={create.busy}
          error={create.error}
          onSubmit={() =>
            create.run(async () => {
              answer(
                await management.POST('/v1/payout-overrides', {
                  body: {
                    offerId: Number(form.offerId),
                    affiliateId: Number(form.affiliateId),
                    goalId: optionalNumber(form.goalId),
                    payout: form.type === 'percent' ? { type: 'percent', percent: form.value } : { type: 'fixed', amount: form.value },
                  },
                }),
              );
              overrides.reload();
            })
          }
        >
          <Field label="Offer id" name="offerId" type="number" required min={1} value={form.offerId} onChange={(event) => setForm({ ...form, offerId: event.target.value })} error={create.error} />
          <Field label="Affiliate id" name="affiliateId" type="number" required min={1} value={form.affiliateId} onChange={(event) => setForm({ ...form, affiliateId: event.target.value })} error={create.error} />
          <Field label="Goal id (empty: every goal)" name="goalId" type="number" min={1} value={form.goalId} onChange={(event) => setForm({ ...form, goalId: event.target.value })} error={create.error} />
          <Select label="Payout is" name="type" value={form.type} onChange={(value) => setForm({ ...form, type: value })} options={[['fixed', 'a fixed amount'], ['percent', 'a percentage of the sale']]} />
          <Field label="Payout" name="payout" required inputMode="decimal" value={form.value} onChange={(event) => setForm({ ...form, value: event.target.value })} error={create.error} />
        </CreateForm>
      )}
      <ErrorNotice error={overrides.error ?? remove.error} />
      {!overrides.data && overrides.loading && <Loading what="payout overrides" />}
      {overrides.data && (
        <Table<Override>
          caption="Payout overrides"
          rows={overrides.data}
          rowKey={(override) => String(override.id)}
          empty="No affiliate is paid differently."
          columns={[
            { key: 'offerId', label: 'Offer', numeric: true },
            { key: 'affiliateId', label: 'Affiliate', numeric: true },
            { key: 'goalId', label: 'Goal', render: (override) => (override.goalId === null ? 'every goal' : String(override.goalId)) },
            { key: 'payout', label: 'Payout', render: (override) => moneyRule(override.payout) },
            { key: 'updatedAt', label: 'Updated', render: (override) => when(override.updatedAt) },
            {
              key: 'remove',
              label: '',
              render: (override) =>
                !principal.readOnly && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={remove.busy}
                    onClick={() =>
                      remove.run(async () => {
                        answer(await management.DELETE('/v1/payout-overrides/{overrideId}', { params: { path: { overrideId: override.id } } }));
                        overrides.reload();
                      })
                    }
                  >
                    Remove
                  </button>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
