import { AttributionV1 } from '@tracklane/contracts';

/**
 * The values an affiliate may put in a postback URL or receive in a POST
 * body. Built from an explicit list of fields: revenue, the sale amount, the
 * advertiser and their order id never leave the network, whatever the URL asks for.
 */
export interface PostbackValues {
  click_id: string | null;
  aff_click_id: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  source: string | null;
  offer_id: number | null;
  goal: string | null;
  status: string;
  payout: string;
  currency: string;
  conversion_id: string;
  /** The promo code the conversion was posted with (a code's conversion has no click_id). */
  coupon_code: string | null;
  /** Unix seconds of the decision this postback reports (stable across retries). */
  timestamp: number;
}

/** Every macro a postback URL may use: PostbackValues' fields (management checks URLs against them). */
export const POSTBACK_MACRO_NAMES = [
  'click_id',
  'aff_click_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'offer_id',
  'goal',
  'status',
  'payout',
  'currency',
  'conversion_id',
  'coupon_code',
  'timestamp',
] as const satisfies readonly (keyof PostbackValues)[];

// Fails to compile when PostbackValues gains a field the list lacks.
const everyMacroListed: Record<Exclude<keyof PostbackValues, (typeof POSTBACK_MACRO_NAMES)[number]>, never> = {};
void everyMacroListed;

export function postbackValues(attribution: AttributionV1): PostbackValues {
  return {
    click_id: attribution.clickId,
    aff_click_id: attribution.affClickId,
    sub1: attribution.sub1,
    sub2: attribution.sub2,
    sub3: attribution.sub3,
    sub4: attribution.sub4,
    sub5: attribution.sub5,
    source: attribution.source,
    offer_id: attribution.offerId,
    goal: attribution.goalCode,
    status: attribution.status,
    payout: attribution.payout,
    currency: attribution.currency,
    conversion_id: attribution.conversionId,
    coupon_code: attribution.couponCode ?? null,
    timestamp: Math.floor(Date.parse(attribution.decidedAt) / 1000),
  };
}

/** RFC 3986 unreserved characters stay; everything else is percent-encoded (encodeURIComponent leaves !'()* alone). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

const MACRO = /\{([a-z0-9_]+)\}/gi;

/**
 * Replaces {macro} with its URL-encoded value (empty when the conversion has
 * none). Names are case-insensitive; braces that name no macro are left as
 * they are, so an affiliate's own template syntax is not silently eaten.
 */
export function substituteMacros(template: string, values: PostbackValues): string {
  return template.replace(MACRO, (whole, name: string) => {
    const key = name.toLowerCase();
    if (!Object.prototype.hasOwnProperty.call(values, key)) return whole;
    const value = values[key as keyof PostbackValues];
    return value === null ? '' : encode(String(value));
  });
}
