import { ConversionV1 } from '@tracklane/contracts';
import { ValidPostback } from '../validation/validate-postback';

export interface EventIdentity {
  kind: ConversionV1['kind'];
  eventId: string;
  conversionId: string;
  /** The click the conversion belongs to (for a status change: the one it was first recorded with); null for a promo code's. */
  clickId: string | null;
}

/** The conversions.v1 event a postback becomes. */
export function conversionEvent(
  identity: EventIdentity,
  advertiserId: number,
  postback: ValidPostback,
  receivedAt: Date,
): ConversionV1 {
  return {
    v: 1,
    kind: identity.kind,
    eventId: identity.eventId,
    conversionId: identity.conversionId,
    receivedAt: receivedAt.toISOString(),
    clickId: identity.clickId,
    couponCode: postback.couponCode,
    advertiserId,
    goal: postback.goal,
    amount: postback.amount,
    currency: postback.currency,
    orderId: postback.orderId,
    status: postback.status,
    advSub1: postback.advSub1,
    advSub2: postback.advSub2,
    advSub3: postback.advSub3,
    advSub4: postback.advSub4,
    advSub5: postback.advSub5,
    raw: postback.raw,
  };
}
