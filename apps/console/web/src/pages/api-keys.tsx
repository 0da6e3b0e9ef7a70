import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { ErrorNotice, Loading, ShownOnce } from '../components/feedback';
import { CreateForm, Field, optionalNumber, Select, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import type { PageProps } from './index';

type ApiKey = ManagementComponents['schemas']['ApiKeyResponse'];

/** Keys: an admin sees and issues all; an advertiser or affiliate its own (the API decides which). */
export function ApiKeysPage({ principal }: PageProps) {
  const keys = useLoad(async () => answer(await management.GET('/v1/api-keys', { params: { query: { limit: 200 } } })).data, 'keys');
  const issue = useAction();
  const revoke = useAction();
  const [form, setForm] = useState({ name: '', role: 'affiliate', ownerId: '', readOnly: false });
  const [issued, setIssued] = useState<string | null>(null);
  const admin = principal.role === 'admin';

  return (
    <section>
      {!principal.readOnly && (
        <CreateForm
          title="Issue a key"
          submitLabel="Issue"
          busy={issue.busy}
          error={issue.error}
          onSubmit={() =>
            issue.run(async () => {
              const owner = optionalNumber(form.ownerId);
              const key = answer(
                await management.POST('/v1/api-keys', {
                  body: admin
                    ? {
                        name: form.name,
                        role: form.role as ApiKey['role'],
                        readOnly: form.readOnly,
                        ...(form.role === 'advertiser' ? { advertiserId: owner } : form.role === 'affiliate' ? { affiliateId: owner } : {}),
                      }
                    : { name: form.name, readOnly: form.readOnly },
                }),
              );
              setIssued(key.key);
              keys.reload();
            })
          }
        >
          <Field label="Name (who or what uses it)" name="name" required value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} error={issue.error} />
          {admin && (
            <>
              <Select label="Role" name="role" value={form.role} onChange={(value) => setForm({ ...form, role: value })} options={[['admin', 'admin'], ['advertiser', 'advertiser'], ['affiliate', 'affiliate']]} />
              {form.role !== 'admin' && (
                <Field
                  label={form.role === 'advertiser' ? 'Advertiser id' : 'Affiliate id'}
                  name={form.role === 'advertiser' ? 'advertiserId' : 'affiliateId'}
                  type="number"
                  min={1}
                  required
                  value={form.ownerId}
                  onChange={(event) => setForm({ ...form, ownerId: event.target.value })}
                  error={issue.error}
                />
              )}
            </>
          )}
          <label className="check">
            <input type="checkbox" checked={form.readOnly} onChange={(event) => setForm({ ...form, readOnly: event.target.checked })} /> Read-only (reports, BI tools)
          </label>
        </CreateForm>
      )}
      {issued && <ShownOnce label="API key" value={issued} />}
      <ErrorNotice error={keys.error ?? revoke.error} />
      {!keys.data && keys.loading && <Loading what="API keys" />}
      {keys.data && (
        <Table<ApiKey>
          caption="API keys"
          rows={keys.data}
          rowKey={(key) => String(key.id)}
          empty="No keys."
          columns={[
            { key: 'prefix', label: 'Key', render: (key) => <code>tl_{key.prefix}_…</code> },
            { key: 'name', label: 'Name' },
            { key: 'role', label: 'Role', render: (key) => `${key.role}${key.advertiserId ? ` ${key.advertiserId}` : ''}${key.affiliateId ? ` ${key.affiliateId}` : ''}${key.readOnly ? ' (read-only)' : ''}` },
            { key: 'lastUsedAt', label: 'Last used', render: (key) => when(key.lastUsedAt) },
            { key: 'createdAt', label: 'Issued', render: (key) => when(key.createdAt) },
            {
              key: 'revoke',
              label: '',
              render: (key) =>
                !principal.readOnly &&
                key.id !== principal.keyId && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={revoke.busy}
                    onClick={() =>
                      window.confirm(`Revoke the key "${key.name}"? Requests with it fail at once.`) &&
                      revoke.run(async () => {
                        answer(await management.DELETE('/v1/api-keys/{keyId}', { params: { path: { keyId: key.id } } }));
                        keys.reload();
                      })
                    }
                  >
                    Revoke
                  </button>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
