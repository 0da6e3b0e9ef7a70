/** The tracking-link parameters an affiliate fills in with its own values (click-ingest's names). */
export const TRACKING_LINK_PARAMETERS: Record<string, string> = {
  sub1: 'Your own sub id 1 (e.g. campaign); comes back in reports and your postbacks',
  sub2: 'Your own sub id 2',
  sub3: 'Your own sub id 3',
  sub4: 'Your own sub id 4',
  sub5: 'Your own sub id 5',
  source: 'Traffic source (e.g. the site or placement)',
  aff_click_id: "Your own click id, returned in your postback's {aff_click_id}",
};

export type TrackingLinkValues = Partial<Record<keyof typeof TRACKING_LINK_PARAMETERS, string>>;

/**
 * An affiliate's tracking link for an offer: values given are filled in
 * (URL-encoded); the others stay as {placeholders} for the affiliate's
 * traffic source to replace.
 */
export function trackingLink(clickIngestUrl: string, offerId: number, affiliateId: number, values: TrackingLinkValues): string {
  const parameters = Object.keys(TRACKING_LINK_PARAMETERS).map((name) => {
    const value = values[name];
    return `${name}=${value === undefined ? `{${name}}` : encodeURIComponent(value)}`;
  });
  return `${clickIngestUrl}/c/${offerId}?aff_id=${affiliateId}&${parameters.join('&')}`;
}
