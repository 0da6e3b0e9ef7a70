import { POSTBACK_FIELDS, PostbackField } from '@tracklane/contracts';

/**
 * The postback fields Tracklane understands, under their standard names, and
 * the other names advertisers and measurement partners commonly use for them.
 * Names match case-insensitively.
 */
export const STANDARD_FIELDS = POSTBACK_FIELDS;
export type StandardField = PostbackField;

export const FIELD_ALIASES: Readonly<Record<StandardField, readonly string[]>> = {
  click_id: ['click_id', 'transaction_id', 'clickid', 'cid', 'subid'],
  goal: ['goal', 'goal_id', 'event', 'event_name'],
  amount: ['amount', 'sale_amount', 'revenue'],
  currency: ['currency'],
  order_id: ['order_id', 'adv_sub', 'txid', 'invoice_id'],
  status: ['status'],
  adv_sub1: ['adv_sub1'],
  adv_sub2: ['adv_sub2'],
  adv_sub3: ['adv_sub3'],
  adv_sub4: ['adv_sub4'],
  adv_sub5: ['adv_sub5'],
  // Everflow coupon_code, Affise and TUNE promo_code, Tapfiliate and CJ coupon, impact PromoCode. Others
  // (Partnerize's voucher, Awin's vc) are short or general names a partner may use for something else: map them.
  coupon_code: ['coupon_code', 'coupon', 'promo_code', 'promocode'],
};

const FIELD_BY_NAME: ReadonlyMap<string, StandardField> = new Map(
  STANDARD_FIELDS.flatMap((field) => FIELD_ALIASES[field].map((alias) => [alias, field] as const)),
);

/** The standard field a parameter name (any case) stands for, if any. */
export function standardFieldOf(name: string): StandardField | undefined {
  return FIELD_BY_NAME.get(name.toLowerCase());
}

/**
 * Parameters that steer the request itself (authentication, answer format).
 * They are never conversion data, so they are neither mapped nor kept as raw.
 */
export const RESERVED_PARAMS: ReadonlySet<string> = new Set(['token', 'security_token', 'signature', 'timestamp', 'format']);
