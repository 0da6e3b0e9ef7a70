/** The script tag's optional settings as typed; empty: click-ingest's default (cookie tl_click, 30 days). */
export interface SnippetOptions {
  param: string;
  days: string;
}

/** What the script accepts: a cookie and localStorage name it can write as is, and whole days up to ten years. */
const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MOST_DAYS = 3650;

/** The fields a snippet cannot be built with, each with its reason (field names as the form's). */
export function snippetProblems(options: SnippetOptions): Array<{ field: string; reason: string }> {
  const problems: Array<{ field: string; reason: string }> = [];
  const param = options.param.trim();
  const days = options.days.trim();
  if (param && !COOKIE_NAME.test(param)) problems.push({ field: 'data-param', reason: 'letters, digits, "_" and "-" only, at most 64' });
  if (days && !(/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= MOST_DAYS)) problems.push({ field: 'data-days', reason: `a whole number of days from 1 to ${MOST_DAYS}` });
  return problems;
}

/**
 * The tag an advertiser pastes into its landing page, once: click-ingest's
 * script for the offer, with the cookie name and lifetime only when they
 * differ from the script's defaults. Every value is attribute-escaped.
 */
export function directLinkSnippet(scriptUrl: string, offerId: number, options: SnippetOptions): string {
  const param = options.param.trim();
  const days = options.days.trim();
  const attributes = [`async`, `src="${attribute(scriptUrl)}"`, `data-offer="${offerId}"`];
  if (param && param !== 'tl_click') attributes.push(`data-param="${attribute(param)}"`);
  if (days && Number(days) !== 30) attributes.push(`data-days="${attribute(days)}"`);
  return `<script ${attributes.join(' ')}></script>`;
}

/**
 * The landing page's address as an affiliate sends visitors to it: any page
 * of the offer's landing host, with the affiliate's id and the sub ids it
 * fills (the others left as placeholders for its traffic source).
 */
export function landingPageExample(landingHost: string, affiliateId: string, subs: Record<string, string>): string {
  const query = [`aff_id=${affiliateId.trim() ? encodeURIComponent(affiliateId.trim()) : '{aff_id}'}`];
  for (const [name, value] of Object.entries(subs)) {
    if (value.trim()) query.push(`${name}=${encodeURIComponent(value.trim())}`);
  }
  return `https://${landingHost}/…?${query.join('&')}`;
}

/** Referrer domains as typed, one a line (commas too); blank entries dropped, so that the API names a real entry when it refuses one. */
export function domainLines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
