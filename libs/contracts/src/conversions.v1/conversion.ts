import { defineContract } from '../event-contract';
import { COUPON_CODE_MAX } from '../coupon-code';
import { ID_PATTERN } from '../ids';
import { ContractViolation, decimal, integer, isoInstant, literal, nullable, object, oneOf, string, stringMap } from '../validation';

/**
 * conversions.v1 — what advertisers told postback-ingest, keyed by click id so
 * a click's conversions share its partition (by conversion id when a promo
 * code stands in for the click: its status changes share that key).
 *
 * kind "conversion": a new conversion; conversionId is assigned by
 * postback-ingest and is its identity downstream.
 * kind "status_change": a later postback that changes the status of a
 * conversion already accepted (e.g. a refund); conversionId names it.
 */
export const POSTBACK_STATUSES = ['approved', 'pending', 'rejected', 'refunded'] as const;
export type PostbackStatus = (typeof POSTBACK_STATUSES)[number];

/**
 * The fields of an advertiser's postback under their standard names: what
 * postback-ingest reads (under these names or their aliases) and what a
 * partner's own parameter names may be mapped onto.
 */
export const POSTBACK_FIELDS = [
  'click_id',
  'goal',
  'amount',
  'currency',
  'order_id',
  'status',
  'adv_sub1',
  'adv_sub2',
  'adv_sub3',
  'adv_sub4',
  'adv_sub5',
  'coupon_code',
] as const;
export type PostbackField = (typeof POSTBACK_FIELDS)[number];

export type ConversionKey = string;

export interface ConversionV1 {
  v: 1;
  kind: 'conversion' | 'status_change';
  /** Unique per message: the identity consumers deduplicate on. */
  eventId: string;
  conversionId: string;
  receivedAt: string;
  /** null when a promo code was posted instead (couponCode is then set). */
  clickId: string | null;
  /** The promo code posted with the conversion, as posted (trimmed, NFC); absent in events written before codes. */
  couponCode?: string | null;
  advertiserId: number;
  /** Goal code from the postback; null means the offer's default goal. */
  goal: string | null;
  /** Sale amount as a decimal string (at most 4 places). */
  amount: string | null;
  /** ISO 4217 code of amount. */
  currency: string | null;
  orderId: string | null;
  /** Status the advertiser asked for; null lets the goal's default apply. */
  status: PostbackStatus | null;
  advSub1: string | null;
  advSub2: string | null;
  advSub3: string | null;
  advSub4: string | null;
  advSub5: string | null;
  /** Every parameter Tracklane did not map, kept as received. */
  raw: Record<string, string>;
}

/** The Kafka key of a conversion's events: its click's id, else (a promo code's conversion) its own id. */
export function conversionPartitionKey(clickId: string | null, conversionId: string): string {
  return clickId ?? conversionId;
}

const advSub = nullable(string({ max: 512 }));

const fields = object({
  v: literal(1),
  kind: oneOf(['conversion', 'status_change'] as const),
  eventId: string({ pattern: ID_PATTERN }),
  conversionId: string({ pattern: ID_PATTERN }),
  receivedAt: isoInstant(),
  clickId: nullable(string({ pattern: ID_PATTERN })),
  couponCode: nullable(string({ min: 1, max: COUPON_CODE_MAX })),
  advertiserId: integer({ min: 1 }),
  goal: nullable(string({ min: 1, max: 128 })),
  amount: nullable(decimal({ nonNegative: true })),
  currency: nullable(string({ pattern: /^[A-Z]{3}$/ })),
  orderId: nullable(string({ min: 1, max: 255 })),
  status: nullable(oneOf(POSTBACK_STATUSES)),
  advSub1: advSub,
  advSub2: advSub,
  advSub3: advSub,
  advSub4: advSub,
  advSub5: advSub,
  raw: stringMap({ maxEntries: 64, maxValueLength: 2048 }),
});

export const conversionsV1 = defineContract<ConversionV1>({
  topic: 'conversions.v1',
  version: 1,
  ordering: 'per-key',
  keyOf: (conversion) => conversionPartitionKey(conversion.clickId, conversion.conversionId),
  validate: (value, path) => {
    const conversion = fields(value, path);
    // A new conversion names what it is attributed by; a status change names its conversion.
    if (conversion.kind === 'conversion' && !conversion.clickId && !conversion.couponCode) {
      throw new ContractViolation('clickId', 'is required unless couponCode is set');
    }
    return conversion;
  },
});
