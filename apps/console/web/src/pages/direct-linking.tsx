import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, ApiError, management } from '../api';
import { CopyButton, ErrorNotice, Loading } from '../components/feedback';
import { Field, Select, TextArea, useAction } from '../components/forms';
import { Table, when } from '../components/table';
import { directLinkSnippet, domainLines, landingPageExample, snippetProblems } from '../direct-link-snippet';
import { useLoad } from '../hooks';
import type { PageProps } from './index';

type Affiliate = ManagementComponents['schemas']['AffiliateResponse'];

/**
 * Direct linking: affiliates send visitors straight to the advertiser's
 * landing page, which carries click-ingest's script once. The advertiser (or
 * an admin) gets the tag for an offer here; an admin also registers the sites
 * whose visitors count as an affiliate's when they arrive without its id.
 */
export function DirectLinkingPage({ principal }: PageProps) {
  const offers = useLoad(async () => answer(await management.GET('/v1/offers', { params: { query: { limit: 200 } } })).data, 'offers');
  const [offerId, setOfferId] = useState('');

  return (
    <section>
      <h2>The landing page’s script</h2>
      <ErrorNotice error={offers.error} />
      {!offers.data && offers.loading && <Loading what="offers" />}
      {offers.data && (
        <div className="toolbar">
          <Select
            label="Offer"
            name="offer"
            value={offerId}
            onChange={setOfferId}
            options={[['', 'choose…'], ...offers.data.map((offer): [string, string] => [String(offer.id), `${offer.id} · ${offer.name} (${offer.status})`])]}
          />
        </div>
      )}
      {offerId ? <Snippet offerId={Number(offerId)} /> : <p className="empty">Choose an offer.</p>}
      {principal.role === 'admin' && <ReferrerDomains readOnly={principal.readOnly} />}
    </section>
  );
}

function Snippet({ offerId }: { offerId: number }) {
  const link = useLoad(async () => answer(await management.GET('/v1/offers/{offerId}/direct-link', { params: { path: { offerId } } })), String(offerId));
  const [options, setOptions] = useState({ param: '', days: '' });
  const [example, setExample] = useState({ affiliateId: '', sub1: '', sub2: '' });
  const problems = snippetProblems(options);
  // The page's own check of the two settings, shown on their fields as the API's refusals are.
  const refused = problems.length
    ? new ApiError(400, { type: 'about:blank', title: 'The script does not take this setting', status: 400, detail: problems.map((problem) => `${problem.field}: ${problem.reason}`).join('; '), errors: problems })
    : undefined;

  if (link.error) return <ErrorNotice error={link.error} />;
  if (!link.data) return <Loading what="the script" />;
  const snippet = directLinkSnippet(link.data.scriptUrl, offerId, options);
  const host = link.data.landingHost ?? 'the offer’s landing page';
  return (
    <>
      <div className="toolbar">
        <Field label="Cookie name (data-param)" name="data-param" value={options.param} placeholder="tl_click" onChange={(event) => setOptions({ ...options, param: event.target.value })} error={refused} hint="Also the localStorage key and the URL parameter a tracking link’s click id arrives in." />
        <Field label="Cookie lifetime in days (data-days)" name="data-days" inputMode="numeric" value={options.days} placeholder="30" onChange={(event) => setOptions({ ...options, days: event.target.value })} error={refused} />
      </div>
      {refused ? (
        <ErrorNotice error={refused} />
      ) : (
        <div className="notice success">
          <p>
            Put this once on the landing page, on <strong>{host}</strong> or a subdomain of it (click-ingest takes clicks only from pages there):
          </p>
          <pre className="snippet" data-testid="direct-link-snippet">
            {snippet}
          </pre>
          <CopyButton value={snippet} label="Copy snippet" />
          <p className="hint">
            The script records the visit as a click and keeps its id in a first-party cookie ({options.param.trim() || 'tl_click'}) and in <code>window.tracklane.clickId</code>; your server
            sends it at checkout as the postback’s <code>click_id</code>, as for any click.
          </p>
        </div>
      )}

      <h2>What affiliates link to</h2>
      <p>
        An affiliate sends visitors to any page carrying the script, with its id and its own sub ids in the address — no tracking link. A visitor without <code>aff_id</code> counts as an affiliate’s
        when referred by a site registered to it (below); anyone else’s visit records nothing.
      </p>
      <div className="toolbar">
        <Field label="Affiliate id" name="example-affiliate" inputMode="numeric" value={example.affiliateId} onChange={(event) => setExample({ ...example, affiliateId: event.target.value })} />
        <Field label="sub1" name="example-sub1" value={example.sub1} onChange={(event) => setExample({ ...example, sub1: event.target.value })} />
        <Field label="sub2" name="example-sub2" value={example.sub2} onChange={(event) => setExample({ ...example, sub2: event.target.value })} />
      </div>
      <p className="secret">
        <code data-testid="landing-page-example">{landingPageExample(link.data.landingHost ?? 'landing.example', example.affiliateId, { sub1: example.sub1, sub2: example.sub2 })}</code>
      </p>
      <Table
        caption="Landing-page parameters"
        rows={Object.entries(link.data.parameters).map(([name, meaning]) => ({ name, meaning }))}
        rowKey={(row) => row.name}
        empty=""
        columns={[
          { key: 'name', label: 'Parameter', render: (row) => <code>{row.name}</code> },
          { key: 'meaning', label: 'Meaning' },
        ]}
      />
    </>
  );
}

/** An admin registers the sites whose visitors count as an affiliate's on a direct link (subdomains included). */
function ReferrerDomains({ readOnly }: { readOnly: boolean }) {
  const affiliates = useLoad(async () => answer(await management.GET('/v1/affiliates', { params: { query: { limit: 200 } } })).data, 'affiliates');
  const [affiliateId, setAffiliateId] = useState('');
  const chosen = affiliates.data?.find((affiliate) => String(affiliate.id) === affiliateId);

  return (
    <>
      <h2>Affiliates’ referrer domains</h2>
      <ErrorNotice error={affiliates.error} />
      {affiliates.data && (
        <>
          <Table<Affiliate>
            caption="Referrer domains by affiliate"
            rows={affiliates.data.filter((affiliate) => affiliate.referrerDomains.length > 0)}
            rowKey={(affiliate) => String(affiliate.id)}
            empty="No affiliate has a referrer domain: visitors without aff_id record nothing."
            columns={[
              { key: 'id', label: 'Affiliate', numeric: true },
              { key: 'name', label: 'Name' },
              { key: 'referrerDomains', label: 'Referrer domains', render: (affiliate) => affiliate.referrerDomains.join(', ') },
              { key: 'updatedAt', label: 'Updated', render: (affiliate) => when(affiliate.updatedAt) },
            ]}
          />
          {!readOnly && (
            <div className="toolbar">
              <Select
                label="Affiliate"
                name="referrer-affiliate"
                value={affiliateId}
                onChange={setAffiliateId}
                options={[['', 'choose…'], ...affiliates.data.map((affiliate): [string, string] => [String(affiliate.id), `${affiliate.id} · ${affiliate.name}`])]}
              />
            </div>
          )}
          {!readOnly && chosen && <DomainsForm key={chosen.id} affiliate={chosen} onSaved={affiliates.reload} />}
        </>
      )}
    </>
  );
}

function DomainsForm({ affiliate, onSaved }: { affiliate: Affiliate; onSaved: () => void }) {
  const [text, setText] = useState(affiliate.referrerDomains.join('\n'));
  const [saved, setSaved] = useState(false);
  const save = useAction();
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        void save.run(async () => {
          const changed = answer(await management.PATCH('/v1/affiliates/{affiliateId}', { params: { path: { affiliateId: affiliate.id } }, body: { referrerDomains: domainLines(text) } }));
          setText(changed.referrerDomains.join('\n'));
          setSaved(true);
          onSaved();
        });
      }}
    >
      <TextArea
        label={`Referrer domains of ${affiliate.name}, one a line`}
        name="referrerDomains"
        rows={4}
        value={text}
        onChange={(event) => setText(event.target.value)}
        error={save.error}
        hint="Host names such as coupons.example; their subdomains count too. Empty: none."
      />
      <button type="submit" disabled={save.busy}>
        Save domains
      </button>
      <ErrorNotice error={save.error} />
      {saved && (
        <p className="notice success" role="status">
          Saved.
        </p>
      )}
    </form>
  );
}
