import { hostOf } from '@tracklane/catalog';
import { TRACKING_LINK_PARAMETERS } from './tracking-link';

/** What an offer's advertiser puts on its landing page for direct linking, and what affiliates append to that page's URL. */
export interface DirectLinkView {
  offerId: number;
  /** click-ingest's script, at the public base URL tracking links start with. */
  scriptUrl: string;
  /** Pages on this host (give or take "www.") or a subdomain of it may record the offer's clicks: click-ingest checks the request's Origin. */
  landingHost: string | null;
  /** The landing page's URL parameters an affiliate sends, and what each means. */
  parameters: Record<string, string>;
}

/** The landing-page parameters of a direct link: the affiliate's id, then the same sub ids as a tracking link's. */
export const DIRECT_LINK_PARAMETERS: Record<string, string> = {
  aff_id: 'The affiliate’s id (required, unless the visitor comes from a site registered to an affiliate as a referrer domain)',
  ...TRACKING_LINK_PARAMETERS,
};

export function directLink(clickIngestUrl: string, offerId: number, destinationUrl: string): DirectLinkView {
  return { offerId, scriptUrl: `${clickIngestUrl}/dl.js`, landingHost: hostOf(destinationUrl)?.replace(/^www\./, '') ?? null, parameters: DIRECT_LINK_PARAMETERS };
}
