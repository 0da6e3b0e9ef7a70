import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { ErrorNotice, Loading, ShownOnce } from '../components/feedback';
import { CreateForm, Field, Select, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import type { PageProps } from './index';

type Advertiser = ManagementComponents['schemas']['AdvertiserResponse'];
type Preset = ManagementComponents['schemas']['PartnerPresetResponse'];

export function AdvertisersPage({ principal }: PageProps) {
  const advertisers = useLoad(async () => answer(await management.GET('/v1/advertisers', { params: { query: { limit: 200 } } })).data, 'advertisers');
  const presets = useLoad(async () => answer(await management.GET('/v1/partner-presets')), 'presets');
  const create = useAction();
  const [name, setName] = useState('');
  const [preset, setPreset] = useState('');
  const presetOptions: Array<[string, string]> = [['', 'our parameter names'], ...(presets.data ?? []).map((each): [string, string] => [each.name, each.title])];
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
              const advertiser = answer(await management.POST('/v1/advertisers', { body: { name, ...(preset ? { paramMapping: { preset } } : {}) } }));
              setCreated({ token: advertiser.postbackToken, secret: advertiser.signingSecret });
              setName('');
              advertisers.reload();
            })
          }
        >
          <Field label="Name" name="name" required value={name} onChange={(event) => setName(event.target.value)} error={create.error} />
          <Select label="Postbacks come in the format of" name="preset" value={preset} options={presetOptions} onChange={setPreset} />
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
            { key: 'mapping', label: 'Partner mapping', render: (advertiser) => <MappingEditor advertiser={advertiser} presets={presets.data ?? []} readOnly={principal.readOnly} onSaved={advertisers.reload} /> },
            { key: 'updatedAt', label: 'Updated', render: (advertiser) => when(advertiser.updatedAt) },
          ]}
        />
      )}
    </section>
  );
}

/**
 * The partner's own postback names and values mapped to ours: a partner preset
 * chosen from the list, overridden field by field in the JSON document;
 * management validates it and names what it cannot use.
 */
function MappingEditor({ advertiser, presets, readOnly, onSaved }: { advertiser: Advertiser; presets: Preset[]; readOnly: boolean; onSaved: () => void }) {
  const [text, setText] = useState(() => JSON.stringify(advertiser.paramMapping ?? {}, null, 2));
  const chosen = (() => {
    try {
      const preset = (JSON.parse(text) as { preset?: unknown }).preset;
      return typeof preset === 'string' ? preset : '';
    } catch {
      return '';
    }
  })();
  const choose = (preset: string) => {
    let document: Record<string, unknown> = {};
    try {
      document = JSON.parse(text);
    } catch {
      // An unreadable document is replaced by the choice.
    }
    const { preset: _previous, ...overrides } = document;
    setText(JSON.stringify(preset ? { preset, ...overrides } : overrides, null, 2));
  };
  const [parseError, setParseError] = useState('');
  const save = useAction();
  return (
    <details>
      <summary>{typeof advertiser.paramMapping?.preset === 'string' ? String(advertiser.paramMapping.preset) : Object.keys(advertiser.paramMapping ?? {}).length ? 'mapped' : 'our names'}</summary>
      {!readOnly && (
        <Select label="Partner format" name={`preset-${advertiser.id}`} value={chosen} onChange={choose} options={[['', 'none (our names)'], ...presets.map((each): [string, string] => [each.name, each.title])]} />
      )}
      <label htmlFor={`mapping-${advertiser.id}`}>Mapping document (JSON: the preset and field-by-field overrides)</label>
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
