import { useState } from 'react';
import { answer, management, reporting } from '../api';
import { CopyButton, ErrorNotice, Loading } from '../components/feedback';
import { Select, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { useLoad } from '../hooks';
import { period, today } from '../report-query';
import type { PageProps } from './index';

type Row = Record<string, unknown>;

/**
 * What an advertiser's developer needs: the postback URL with its token, what
 * each placeholder means, a test postback read and decided without booking it
 * (the dry run), and every postback received, with the reason it was refused.
 */
export function PostbackSetupPage({ principal }: PageProps) {
  const advertisers = useLoad(async () => (principal.role === 'admin' ? answer(await management.GET('/v1/advertisers', { params: { query: { limit: 200 } } })).data : []), 'advertisers');
  const [chosen, setChosen] = useState('');
  const advertiserId = principal.role === 'advertiser' ? principal.advertiserId : chosen ? Number(chosen) : null;

  return (
    <section>
      {principal.role === 'admin' && (
        <div className="toolbar">
          <Select
            label="Advertiser"
            name="advertiser"
            value={chosen}
            onChange={setChosen}
            options={[['', 'choose…'], ...(advertisers.data ?? []).map((advertiser): [string, string] => [String(advertiser.id), `${advertiser.id} · ${advertiser.name}`])]}
          />
        </div>
      )}
      {advertiserId ? <Setup advertiserId={advertiserId} /> : <p className="empty">Choose an advertiser.</p>}
    </section>
  );
}

function Setup({ advertiserId }: { advertiserId: number }) {
  const template = useLoad(async () => answer(await management.GET('/v1/advertisers/{advertiserId}/postback-url', { params: { path: { advertiserId } } })), String(advertiserId));
  const [testUrl, setTestUrl] = useState('');
  const [dryRun, setDryRun] = useState<unknown>(null);
  const test = useAction();
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const range = period('last7', today(timezone));
  const inbound = useLoad(
    async () => answer(await reporting.GET('/v1/reports/inbound-postbacks', { params: { query: { ...range, timezone, advertiser_id: [String(advertiserId)], limit: '50' } } })).rows as Row[],
    `${advertiserId}`,
    10_000,
  );

  return (
    <>
      <h2>Postback URL</h2>
      <ErrorNotice error={template.error} />
      {!template.data && template.loading && <Loading what="the postback URL" />}
      {template.data && (
        <>
          <p className="secret">
            <code data-testid="postback-url">{template.data.url}</code> <CopyButton value={template.data.url} />
          </p>
          {template.data.requireSignature && <p className="notice warning">Postbacks must be signed (HMAC-SHA256 with the signing secret).</p>}
          <Table
            caption="Placeholders"
            rows={Object.entries(template.data.parameters ?? {}).map(([name, meaning]) => ({ name, meaning }))}
            rowKey={(row) => row.name}
            empty=""
            columns={[
              { key: 'name', label: 'Parameter', render: (row) => <code>{row.name}</code> },
              { key: 'meaning', label: 'Meaning' },
            ]}
          />
          <p>Goal codes: {template.data.goals.map((goal) => <code key={goal.offerId + goal.code}>{goal.code} </code>)}</p>
          {template.data.preset && (
            <div className="notice success" data-testid="preset-request">
              <p>
                In the <strong>{template.data.preset.title}</strong> format your platform is set up with ({template.data.preset.method}):
              </p>
              <p className="secret">
                <code>{template.data.preset.url}</code> <CopyButton value={template.data.preset.url} />
              </p>
              {template.data.preset.body && <pre>{template.data.preset.body}</pre>}
              <p className="hint">
                {template.data.preset.statusChanges}. Format from{' '}
                {template.data.preset.sources.map((source) => (
                  <a key={source} href={source} rel="noreferrer noopener" target="_blank">
                    {new URL(source).hostname}{' '}
                  </a>
                ))}
              </p>
            </div>
          )}
        </>
      )}

      <h2>Send a test postback</h2>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void test.run(async () => setDryRun(answer(await management.POST('/v1/advertisers/{advertiserId}/postback-dry-run', { params: { path: { advertiserId } }, body: { url: testUrl } }))));
        }}
      >
        <label htmlFor="test-url">The postback as your server would call it (URL or query string); nothing is booked</label>
        <textarea id="test-url" rows={3} value={testUrl} onChange={(event) => setTestUrl(event.target.value)} placeholder={template.data?.url} />
        <button type="submit" disabled={test.busy || !testUrl.trim()}>
          Test it
        </button>
      </form>
      <ErrorNotice error={test.error} />
      {dryRun !== null && <DryRun result={dryRun as Row} />}

      <h2>Postbacks received (last 7 days)</h2>
      <ErrorNotice error={inbound.error} />
      {inbound.data && (
        <Table
          caption="Inbound postbacks"
          rows={inbound.data}
          rowKey={(row, index) => String(row.id ?? index)}
          empty="No postbacks received in the last 7 days."
          columns={[
            { key: 'received_at', label: 'Received', render: (row) => when(row.received_at) },
            { key: 'outcome', label: 'Outcome', render: (row) => <span className={`badge ${String(row.outcome)}`}>{String(row.outcome)}</span> },
            { key: 'http_status', label: 'HTTP', numeric: true },
            { key: 'reason', label: 'Reason' },
            { key: 'error', label: 'Error' },
            { key: 'problems', label: 'Problems' },
          ]}
        />
      )}
    </>
  );
}

function DryRun({ result }: { result: Row }) {
  const decision = (result.decision ?? {}) as Row;
  const fields = (result.fields ?? {}) as Record<string, Row>;
  return (
    <div className={`notice ${decision.outcome === 'accepted' ? 'success' : 'warning'}`} data-testid="dry-run">
      <p>
        <strong>{String(decision.outcome ?? 'unknown')}</strong>
        {decision.kind ? ` (${String(decision.kind)})` : ''}
        {decision.reason ? ` — ${String(decision.reason)}` : ''}
        {decision.detail ? ` — ${String(decision.detail)}` : ''}
      </p>
      <Table
        caption="Fields read"
        rows={Object.entries(fields).map(([name, field]) => ({ name, ...field }))}
        rowKey={(row) => row.name}
        empty="No fields read."
        columns={[
          { key: 'name', label: 'Field' },
          { key: 'value', label: 'Value' },
          { key: 'param', label: 'From parameter' },
          { key: 'problem', label: 'Problem' },
        ]}
      />
    </div>
  );
}
