import { useState } from 'react';
import { isProblem } from '@tracklane/api-client';
import { answer, ApiError, management, uploadConversions } from '../api';
import { ErrorNotice, Loading } from '../components/feedback';
import { Select, useAction } from '../components/forms';
import { Table } from '../components/table';
import { postbackToken, rowView, uploadSummary, type RowView, type UploadOutcome } from '../conversion-upload';
import { useLoad } from '../hooks';
import type { PageProps } from './index';

type Answered = Extract<UploadOutcome, { kind: 'rows' }>;

/**
 * Offline conversions (a till, a call centre) as a CSV file, booked by
 * postback-ingest row by row exactly as postbacks are, with the advertiser's
 * postback token; each row's answer is shown by its line in the file.
 */
export function ConversionUploadPage({ principal }: PageProps) {
  const advertisers = useLoad(async () => (principal.role === 'admin' ? answer(await management.GET('/v1/advertisers', { params: { query: { limit: 200 } } })).data : []), 'advertisers');
  const [chosen, setChosen] = useState('');
  const advertiserId = principal.role === 'advertiser' ? principal.advertiserId : chosen ? Number(chosen) : null;

  return (
    <section>
      <p>
        One row per conversion; the header names postback parameters (<code>click_id</code>, <code>order_id</code>, <code>amount</code>, <code>currency</code>, <code>goal</code>,{' '}
        <code>status</code>, <code>adv_sub1</code>…) or your own names through your partner format. Every row needs an <code>order_id</code>: uploading the same file again books nothing twice.
        Comma, semicolon or tab separated, UTF-8, at most 10,000 rows and 5 MiB.
      </p>
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
      {principal.readOnly ? (
        <p className="muted">This key is read-only: it cannot book conversions.</p>
      ) : advertiserId ? (
        <Upload key={advertiserId} advertiserId={advertiserId} />
      ) : (
        <p className="empty">Choose an advertiser.</p>
      )}
    </section>
  );
}

function Upload({ advertiserId }: { advertiserId: number }) {
  // The token the Postback setup page shows, inside the advertiser's postback URL.
  const template = useLoad(async () => answer(await management.GET('/v1/advertisers/{advertiserId}/postback-url', { params: { path: { advertiserId } } })), String(advertiserId));
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<Answered>();
  const upload = useAction();
  const token = template.data ? postbackToken(template.data.url) : null;

  if (template.error) return <ErrorNotice error={template.error} />;
  if (!template.data) return <Loading what="the advertiser’s postback token" />;
  return (
    <>
      {template.data.requireSignature && (
        <p className="notice warning">This advertiser’s postbacks must be signed: a file uploaded here, unsigned, is refused. Its server signs uploads as it signs postbacks.</p>
      )}
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          if (!file || !token) return;
          setResult(undefined);
          void upload.run(async () => {
            const outcome = await uploadConversions(token, file);
            if (outcome.kind === 'refused') throw new ApiError(outcome.status, isProblem(outcome.problem) ? outcome.problem : undefined);
            setResult(outcome);
          });
        }}
      >
        <label htmlFor="conversions-file">Conversions file (CSV)</label>
        <input id="conversions-file" type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        <button type="submit" disabled={!file || !token || upload.busy}>
          Upload
        </button>
      </form>
      <ErrorNotice error={upload.error} />
      {upload.busy && <Loading what="the rows’ answers" />}
      {result && <Answers result={result} />}
    </>
  );
}

function Answers({ result }: { result: Answered }) {
  const tone = result.status === 200 && result.answer.refused === 0 ? 'success' : result.status === 200 ? 'warning' : 'error';
  return (
    <>
      <div className={`notice ${tone}`} role="status" data-testid="upload-summary">
        <p>{uploadSummary(result)}</p>
      </div>
      <Table<RowView>
        caption="Each row’s answer"
        rows={result.answer.results.map(rowView)}
        rowKey={(row) => String(row.line)}
        empty="The file had no rows."
        columns={[
          { key: 'line', label: 'Line', numeric: true },
          { key: 'orderId', label: 'Order id' },
          { key: 'outcome', label: 'Outcome', render: (row) => <span className={`badge ${row.outcome}`}>{row.outcome.replace('_', ' ')}</span> },
          { key: 'detail', label: 'Conversion, or field and reason' },
        ]}
      />
    </>
  );
}
