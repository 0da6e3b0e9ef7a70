import { CatalogSnapshot } from '@tracklane/catalog';
import { AttributionV1 } from '@tracklane/contracts';
import { postbackValues, substituteMacros } from './macros';
import { maskUrl } from './url-masking';

/** One postback to send: what the delivery log records and what the sender needs. */
export interface PlannedPostback {
  /** Also the Idempotency-Key header: one successful delivery per conversion and status. */
  deliveryKey: string;
  conversionId: string;
  eventId: string;
  affiliateId: number;
  offerId: number | null;
  status: string;
  method: 'GET' | 'POST';
  url: string;
  urlMasked: string;
  /** host:port, the unit of the per-host concurrency limit. */
  targetHost: string;
  body: string | null;
  /** Set when the URL can never be sent (not http/https, not a URL): logged as refused, never attempted. */
  refusal: string | null;
}

export function deliveryKeyOf(conversionId: string, status: string): string {
  return `${conversionId}:${status}`;
}

/**
 * Decides whether a decision is postbacked and renders the request. The
 * affiliate's settings say which statuses they want (approved unless they
 * asked for more); the per-offer URL wins over the global one. Returns null
 * when nothing is to be sent.
 */
export function planPostback(attribution: AttributionV1, catalog: CatalogSnapshot): PlannedPostback | null {
  if (attribution.affiliateId === null) return null;
  const affiliate = catalog.affiliate(attribution.affiliateId);
  if (!affiliate || !affiliate.postbackStatuses.includes(attribution.status)) return null;
  const target =
    attribution.offerId === null
      ? affiliate.postbackUrl && { url: affiliate.postbackUrl, method: affiliate.postbackMethod }
      : catalog.postbackTarget(affiliate.id, attribution.offerId);
  if (!target) return null;

  const values = postbackValues(attribution);
  const url = substituteMacros(target.url.trim(), values);
  let targetHost = '';
  let refusal: string | null = null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') refusal = `scheme ${parsed.protocol} is not http or https`;
    targetHost = parsed.host;
  } catch {
    refusal = 'the postback URL is not a valid URL';
  }

  return {
    deliveryKey: deliveryKeyOf(attribution.conversionId, attribution.status),
    conversionId: attribution.conversionId,
    eventId: attribution.eventId,
    affiliateId: affiliate.id,
    offerId: attribution.offerId,
    status: attribution.status,
    method: target.method,
    url,
    urlMasked: maskUrl(url),
    targetHost,
    body: target.method === 'POST' ? JSON.stringify(values) : null,
    refusal,
  };
}
