import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { CreateForm, Field, Select, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import type { PageProps } from './index';

type Approval = ManagementComponents['schemas']['ApprovalResponse'];
type Standing = Approval['status'];

/** The approvals queue (pending first by default) and each affiliate's standing on an offer; an affiliate sees its own. */
export function ApprovalsPage({ principal }: PageProps) {
  const [status, setStatus] = useState(principal.role === 'admin' ? 'pending' : '');
  const approvals = useLoad(async () => answer(await management.GET('/v1/approvals', { params: { query: { limit: 200, ...(status ? { status: status as Standing } : {}) } } })).data, status);
  const decide = useAction();
  const canDecide = principal.role === 'admin' && !principal.readOnly;
  const [form, setForm] = useState({ offerId: '', affiliateId: '', status: 'approved' });

  const put = (offerId: number, affiliateId: number, next: Standing) =>
    decide.run(async () => {
      answer(await management.PUT('/v1/approvals/{offerId}/{affiliateId}', { params: { path: { offerId, affiliateId } }, body: { status: next } }));
      approvals.reload();
    });

  return (
    <section>
      {canDecide && (
        <CreateForm title="Set an affiliate's standing on an offer" submitLabel="Save" busy={decide.busy} error={decide.error} onSubmit={() => put(Number(form.offerId), Number(form.affiliateId), form.status as Standing)}>
          <Field label="Offer id" name="offerId" type="number" required min={1} value={form.offerId} onChange={(event) => setForm({ ...form, offerId: event.target.value })} error={decide.error} />
          <Field label="Affiliate id" name="affiliateId" type="number" required min={1} value={form.affiliateId} onChange={(event) => setForm({ ...form, affiliateId: event.target.value })} error={decide.error} />
          <Select label="Standing" name="status" value={form.status} onChange={(value) => setForm({ ...form, status: value })} options={['approved', 'pending', 'rejected', 'blocked'].map((value): [string, string] => [value, value])} />
        </CreateForm>
      )}
      <div className="toolbar">
        <Select label="Show" name="approval-filter" value={status} onChange={setStatus} options={[['', 'any'], ['pending', 'pending'], ['approved', 'approved'], ['rejected', 'rejected'], ['blocked', 'blocked']]} />
      </div>
      <ErrorNotice error={approvals.error ?? decide.error} />
      {!approvals.data && approvals.loading && <Loading what="approvals" />}
      {approvals.data && (
        <Table<Approval>
          caption="Approvals"
          rows={approvals.data}
          rowKey={(approval) => `${approval.offerId}-${approval.affiliateId}`}
          empty={status === 'pending' ? 'Nothing waits for approval.' : 'No approvals.'}
          columns={[
            { key: 'offerId', label: 'Offer', numeric: true },
            { key: 'affiliateId', label: 'Affiliate', numeric: true },
            { key: 'status', label: 'Standing', render: (approval) => <span className={`badge ${approval.status}`}>{approval.status}</span> },
            { key: 'dailyCap', label: 'Daily cap', numeric: true },
            { key: 'updatedAt', label: 'Updated', render: (approval) => when(approval.updatedAt) },
            ...(canDecide
              ? [
                  {
                    key: 'actions',
                    label: 'Decide',
                    render: (approval: Approval) => (
                      <span className="actions">
                        {approval.status !== 'approved' && (
                          <button type="button" disabled={decide.busy} onClick={() => put(approval.offerId, approval.affiliateId, 'approved')}>
                            Approve
                          </button>
                        )}
                        {approval.status !== 'rejected' && (
                          <button type="button" className="secondary" disabled={decide.busy} onClick={() => put(approval.offerId, approval.affiliateId, 'rejected')}>
                            Reject
                          </button>
                        )}
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </section>
  );
}
