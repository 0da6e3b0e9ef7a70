import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { ErrorNotice, Loading, ShownOnce } from '../components/feedback';
import { CreateForm, Field, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import type { PageProps } from './index';

type Advertiser = ManagementComponents['schemas']['AdvertiserResponse'];

export function AdvertisersPage({ principal }: PageProps) {
  const advertisers = useLoad(async () => answer(await management.GET('/v1/advertisers', { params: { query: { limit: 200 } } })).data, 'advertisers');
  const create = useAction();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ token: string; secret: string } | null>(null);

  return (
    <section>
      {!principal.readOnly && (
        <CreateForm
          title="New advertiser"
          busy={create.busy}
          error={create.error}
          onSubmit={() =>
            create.run(async () => {
              const advertiser = answer(await management.POST('/v1/advertisers', { body: { name } }));
              setCreated({ token: advertiser.postbackToken, secret: advertiser.signingSecret });
              setName('');
              advertisers.reload();
            })
          }
        >
          <Field label="Name" name="name" required value={name} onChange={(event) => setName(event.target.value)} error={create.error} />
        </CreateForm>
      )}
      {created && (
        <>
          <ShownOnce label="Postback token" value={created.token} />
          <ShownOnce label="Signing secret (HMAC-SHA256)" value={created.secret} />
        </>
      )}
      <ErrorNotice error={advertisers.error} />
      {!advertisers.data && advertisers.loading && <Loading what="advertisers" />}
      {advertisers.data && (
        <Table<Advertiser>
          caption="Advertisers"
          rows={advertisers.data}
          rowKey={(advertiser) => String(advertiser.id)}
          empty="No advertisers yet."
          columns={[
            { key: 'id', label: 'Id', numeric: true },
            { key: 'name', label: 'Name' },
            { key: 'status', label: 'Status', render: (advertiser) => <span className={`badge ${advertiser.status}`}>{advertiser.status}</span> },
            { key: 'requireSignature', label: 'Signed postbacks', render: (advertiser) => (advertiser.requireSignature ? 'required' : 'optional') },
            { key: 'ipAllowlist', label: 'IP allowlist', render: (advertiser) => advertiser.ipAllowlist.join(', ') || 'anywhere' },
            { key: 'mapping', label: 'Partner mapping', render: (advertiser) => <MappingEditor advertiser={advertiser} readOnly={principal.readOnly} onSaved={advertisers.reload} /> },
            { key: 'updatedAt', label: 'Updated', render: (advertiser) => when(advertiser.updatedAt) },
          ]}
        />
      )}
    </section>
  );
}

/** The partner's own postback names and values mapped to ours (a preset or a document), edited as JSON; management validates it. */
function MappingEditor({ advertiser, readOnly, onSaved }: { advertiser: Advertiser; readOnly: boolean; onSaved: () => void }) {
  const [text, setText] = useState(() => JSON.stringify(advertiser.paramMapping ?? {}, null, 2));
  const [parseError, setParseError] = useState('');
  const save = useAction();
  return (
    <details>
      <summary>{Object.keys(advertiser.paramMapping ?? {}).length ? 'mapped' : 'our names'}</summary>
      <label htmlFor={`mapping-${advertiser.id}`}>Mapping (JSON, e.g. {'{"preset": "appsflyer"}'})</label>
      <textarea id={`mapping-${advertiser.id}`} rows={6} cols={40} value={text} readOnly={readOnly} onChange={(event) => setText(event.target.value)} />
      {!readOnly && (
        <button
          type="button"
          className="secondary"
          disabled={save.busy}
          onClick={() => {
            let mapping: Record<string, unknown>;
            try {
              mapping = JSON.parse(text);
              setParseError('');
            } catch (error) {
              setParseError(`Not JSON: ${(error as Error).message}`);
              return;
            }
            void save.run(async () => {
              answer(await management.PATCH('/v1/advertisers/{advertiserId}', { params: { path: { advertiserId: advertiser.id } }, body: { paramMapping: mapping } }));
              onSaved();
            });
          }}
        >
          Save mapping
        </button>
      )}
      {parseError && <p className="field-error">{parseError}</p>}
      <ErrorNotice error={save.error} />
    </details>
  );
}
