import { defineContract } from '../event-contract';
import { COUPON_CODE_MAX } from '../coupon-code';
import { ID_PATTERN } from '../ids';
import { decimal, integer, isoInstant, literal, nullable, object, oneOf, string } from '../validation';

/**
 * attributions.v1 — every decision attribution books, keyed by click id
 * (the conversion id when there is no click).
 *
 * kind "decision": the first booking of a conversion.
 * kind "status_change": a later change (approved after pending, rejected,
 * refunded); previousStatus says where it came from so read models can move
 * the amounts from one status to the other.
 *
 * revenue and payout are the full amounts of the conversion in `currency`
 * (not deltas); a consumer that needs deltas derives them from
 * previousStatus → status.
 */
export const ATTRIBUTION_STATUSES = ['approved', 'pending', 'rejected', 'refunded'] as const;
export type AttributionStatus = (typeof ATTRIBUTION_STATUSES)[number];

export type AttributionKey = string;

export interface AttributionV1 {
  v: 1;
  kind: 'decision' | 'status_change';
  /** Unique per message: the identity consumers deduplicate on. */
  eventId: string;
  conversionId: string;
  clickId: string | null;
  advertiserId: number;
  offerId: number | null;
  affiliateId: number | null;
  goalId: number | null;
  goalCode: string | null;
  status: AttributionStatus;
  previousStatus: AttributionStatus | null;
  /** Machine-readable reason, e.g. "attributed", "duplicate_order", "cap_reached". */
  reason: string;
  revenue: string;
  payout: string;
  currency: string;
  saleAmount: string | null;
  orderId: string | null;
  clickAt: string | null;
  /** When the advertiser's postback was received. */
  convertedAt: string;
  decidedAt: string;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  source: string | null;
  affClickId: string | null;
  country: string | null;
  device: string | null;
  /** The promo code the conversion was posted with; absent in events written before codes. */
  couponCode?: string | null;
}

const text = nullable(string({ max: 512 }));
const status = oneOf(ATTRIBUTION_STATUSES);

export const attributionsV1 = defineContract<AttributionV1>({
  topic: 'attributions.v1',
  version: 1,
  ordering: 'per-key',
  keyOf: (attribution) => attribution.clickId ?? attribution.conversionId,
  validate: object({
    v: literal(1),
    kind: oneOf(['decision', 'status_change'] as const),
    eventId: string({ pattern: ID_PATTERN }),
    conversionId: string({ pattern: ID_PATTERN }),
    clickId: nullable(string({ pattern: ID_PATTERN })),
    advertiserId: integer({ min: 1 }),
    offerId: nullable(integer({ min: 1 })),
    affiliateId: nullable(integer({ min: 1 })),
    goalId: nullable(integer({ min: 1 })),
    goalCode: text,
    status,
    previousStatus: nullable(status),
    reason: string({ min: 1, max: 64 }),
    revenue: decimal(),
    payout: decimal(),
    currency: string({ pattern: /^[A-Z]{3}$/ }),
    saleAmount: nullable(decimal()),
    orderId: text,
    clickAt: nullable(isoInstant()),
    convertedAt: isoInstant(),
    decidedAt: isoInstant(),
    sub1: text,
    sub2: text,
    sub3: text,
    sub4: text,
    sub5: text,
    source: text,
    affClickId: text,
    country: nullable(string({ min: 2, max: 2 })),
    device: nullable(string({ max: 32 })),
    couponCode: nullable(string({ min: 1, max: COUPON_CODE_MAX })),
  }),
});
