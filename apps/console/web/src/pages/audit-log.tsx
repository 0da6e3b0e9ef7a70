import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { Select } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';

type Entry = ManagementComponents['schemas']['AuditEntryResponse'];
const ENTITIES = ['advertiser', 'offer', 'goal', 'affiliate', 'offer_affiliate', 'payout_override', 'affiliate_postback', 'network_settings', 'api_key', 'visitor_data'];

/** Who changed what, newest first, with the row before and after (credentials redacted by the API). */
export function AuditLogPage() {
  const [entity, setEntity] = useState('');
  const log = useLoad(async () => answer(await management.GET('/v1/audit-log', { params: { query: { limit: 100, ...(entity ? { entity: entity as Entry['entity'] } : {}) } } })).data, entity);
  return (
    <section>
      <div className="toolbar">
        <Select label="Entity" name="entity" value={entity} onChange={setEntity} options={[['', 'any'], ...ENTITIES.map((name): [string, string] => [name, name])]} />
      </div>
      <ErrorNotice error={log.error} />
      {!log.data && log.loading && <Loading what="the audit log" />}
      {log.data && (
        <Table<Entry>
          caption="Audit log"
          rows={log.data}
          rowKey={(entry) => entry.id}
          empty="Nothing changed yet."
          columns={[
            { key: 'at', label: 'When', render: (entry) => when(entry.at) },
            { key: 'actor', label: 'Who', render: (entry) => `${entry.actorRole}${entry.actorKeyId ? ` (key ${entry.actorKeyId})` : ''}` },
            { key: 'action', label: 'Action' },
            { key: 'entity', label: 'What', render: (entry) => `${entry.entity} ${entry.entityId}` },
            {
              key: 'change',
              label: 'Change',
              render: (entry) => (
                <details>
                  <summary>before / after</summary>
                  <pre>{JSON.stringify({ before: entry.before, after: entry.after }, null, 2)}</pre>
                </details>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}
