import { useState } from 'react';
import type { ManagementComponents } from '@tracklane/api-client';
import { answer, management } from '../api';
import { CopyButton, ErrorNotice, Loading } from '../components/feedback';
import { Field, Select, useAction } from '../components/forms';
import { useLoad } from '../hooks';
import type { PageProps } from './index';

type Link = ManagementComponents['schemas']['TrackingLinkResponse'];
const SUBS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source'] as const;

/** An affiliate's tracking link for an offer it may run, with its sub ids filled in or left as placeholders for its traffic source. */
export function LinkBuilderPage({ principal }: PageProps) {
  const offers = useLoad(async () => answer(await management.GET('/v1/offers', { params: { query: { limit: 200, status: 'active' } } })).data, 'offers');
  const [offerId, setOfferId] = useState('');
  const [subs, setSubs] = useState<Record<string, string>>({});
  const [link, setLink] = useState<Link | null>(null);
  const build = useAction();
  const affiliateId = principal.affiliateId ?? 0;

  return (
    <section>
      <ErrorNotice error={offers.error} />
      {!offers.data && offers.loading && <Loading what="your offers" />}
      {offers.data && (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void build.run(async () => {
              const filled = Object.fromEntries(Object.entries(subs).filter(([, value]) => value.trim()));
              setLink(answer(await management.GET('/v1/offers/{offerId}/tracking-link', { params: { path: { offerId: Number(offerId) }, query: { affiliate_id: affiliateId, ...filled } } })));
            });
          }}
        >
          <Select
            label="Offer"
            name="offer"
            value={offerId}
            onChange={setOfferId}
            options={[['', 'choose…'], ...offers.data.map((offer): [string, string] => [String(offer.id), `${offer.id} · ${offer.name}${offer.approvalStatus ? ` (${offer.approvalStatus})` : ''}`])]}
          />
          {SUBS.map((name) => (
            <Field key={name} label={name} name={name} value={subs[name] ?? ''} placeholder={`{${name}}`} onChange={(event) => setSubs({ ...subs, [name]: event.target.value })} error={build.error} />
          ))}
          <button type="submit" disabled={!offerId || build.busy}>
            Build link
          </button>
          <ErrorNotice error={build.error} />
        </form>
      )}
      {link && (
        <div className="notice success">
          <p>
            Your link{link.approvalStatus && link.approvalStatus !== 'approved' ? ` (your standing on this offer: ${link.approvalStatus}; clicks go to its fallback until approved)` : ''}:
          </p>
          <p className="secret">
            <code data-testid="tracking-link">{link.url}</code> <CopyButton value={link.url} />
          </p>
          <p className="hint">Placeholders left in braces are for your traffic source to fill; drop the ones it does not have.</p>
        </div>
      )}
    </section>
  );
}
