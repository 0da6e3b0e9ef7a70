import { hostOf } from '@tracklane/catalog';
import { firstCharacters, storableText } from '@tracklane/contracts';
import { AFFILIATE_PARAMETERS, BadTrackingLink, isLinkParameter, RawQuery } from '../link/tracking-link';

/**
 * Direct linking: the affiliate sends visitors straight to the advertiser's
 * landing page (…/landing?aff_id=7&sub1=x), with no tracking link. The
 * landing page carries this script, served by click-ingest:
 *
 *   <script async src="https://track.example.com/dl.js" data-offer="12"></script>
 *
 * It posts the page's affiliate and sub id parameters (none other of the
 * page's) and document.referrer to click-ingest (a "simple" cross-origin
 * request: text/plain, no cookies, no preflight), which records the click as
 * a tracking link would and answers with its id only once the click is
 * durable. The script keeps the id of an accepted click, and only a
 * well-formed click id (never the page's markup or a cookie attribute),
 * first-party, on the landing page's own site: in localStorage and in a
 * cookie of that site (`data-param`, default `tl_click`, for `data-days`
 * days, default 30), as window.tracklane.clickId and a `tracklane:click`
 * event, for the advertiser's own postback. Without aff_id in the URL, a
 * visitor referred by another site is posted too: a referrer on a domain
 * registered to an affiliate (management's referrerDomains) makes it that
 * affiliate's click; any other gets 204, nothing recorded. A page reached
 * through a tracking link already has its click id in that parameter: the
 * script keeps it and records nothing. A visit that records nothing keeps
 * the click id stored before. Kept under 2 KB by hand (a test holds it
 * there); no build step, no dependencies.
 */
export const DIRECT_LINK_SCRIPT = `(function(w,d){
var s=d.currentScript;if(!s)return;
var k=s.getAttribute('data-param')||'tl_click',days=+(s.getAttribute('data-days')||30),q=new URLSearchParams(location.search),id=/^[0-9a-z]{30}$/i;
function keep(v){
if(!id.test(v||''))return false;
try{localStorage.setItem(k,v)}catch(e){}
d.cookie=k+'='+v+';path=/;max-age='+days*86400+';samesite=lax'+(location.protocol=='https:'?';secure':'');
w.tracklane={clickId:v};d.dispatchEvent(new CustomEvent('tracklane:click',{detail:{clickId:v}}));return true}
function old(){var v=null;try{v=localStorage.getItem(k)}catch(e){}keep(v)}
if(keep(q.get(k)))return;
var r=d.referrer,other=false;try{other=!!r&&new URL(r).host!=location.host}catch(e){}
if(!q.get('aff_id')&&!q.get('affiliate_id')&&!other){old();return}
var b=new URLSearchParams();'${AFFILIATE_PARAMETERS.join(' ')}'.split(' ').forEach(function(n){var v=q.get(n);if(v)b.set(n,v)});
b.set('offer_id',s.getAttribute('data-offer')||'');if(other)b.set('referrer',r);
fetch(new URL(s.src).origin+'/v1/direct-clicks',{method:'POST',body:b.toString(),credentials:'omit',keepalive:true})
.then(function(x){return x.status==200?x.json():null}).then(function(a){if(!(a&&a.disposition=='accepted'&&keep(a.click_id)))old()},old)
})(window,document);
`;

/** Longest body a direct click may have: the page's parameters and its referrer. */
export const DIRECT_CLICK_BODY_LIMIT = 16 * 1024;
export const MAX_DIRECT_REFERRER = 2048;

export interface DirectClickRequest {
  /** The tracking link's parameters, as a tracking link would carry them. */
  link: RawQuery;
  /** The page the visitor came from (document.referrer), not the landing page. */
  referrer: string | null;
}

/**
 * Reads a direct click's body: form-encoded (what the script sends, as
 * text/plain) or a JSON object of strings. Only the tracking link's own
 * parameters are kept (offer, affiliate, sub ids, source, aff_click_id):
 * a landing page's other parameters (ad ids, campaign tags) are not the
 * affiliate's to record.
 */
export function readDirectClick(body: unknown): DirectClickRequest {
  const entries = bodyEntries(body);
  const link: RawQuery = Object.create(null);
  let referrer: string | null = null;
  for (const [name, value] of entries) {
    if (name === 'referrer') referrer ??= firstCharacters(storableText(value), MAX_DIRECT_REFERRER) || null;
    else if (isLinkParameter(name) && link[name] === undefined) link[name] = value;
  }
  return { link, referrer };
}

function bodyEntries(body: unknown): [string, string][] {
  if (typeof body === 'string') return [...new URLSearchParams(body)];
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    // A JSON object, or a form the HTTP layer parsed (a repeated name arrives as an array: its first value counts).
    return Object.entries(body).flatMap(([name, given]): [string, string][] => {
      const value: unknown = Array.isArray(given) ? given[0] : given;
      return typeof value === 'string' ? [[name, value]] : typeof value === 'number' ? [[name, String(value)]] : [];
    });
  }
  throw new BadTrackingLink('body', 'must be the landing page parameters, form-encoded or as a JSON object');
}

/** Whether the page's parameters name an affiliate (under either of its names). */
export function hasAffiliate(link: RawQuery): boolean {
  return Boolean(link.aff_id || link.affiliate_id);
}

/**
 * Whether a page of `origin` may record clicks of an offer that sends its
 * visitors to `destination`: the same host, give or take a leading "www.",
 * or a subdomain of it. Anyone else could mint clicks for an offer from a
 * page of their own.
 */
export function mayRecordFor(origin: string | undefined, destination: string): boolean {
  if (!origin) return false;
  const host = (url: string) => hostOf(url)?.replace(/^www\./, '') ?? null;
  const page = host(origin);
  const landing = host(destination);
  return page !== null && landing !== null && (page === landing || page.endsWith(`.${landing}`));
}
