import { characterCount, COUPON_CODE_REASON, couponCodeOf, normaliseId, POSTBACK_STATUSES } from '@tracklane/contracts';
import { isISO4217CurrencyCode } from 'class-validator';
import { AMOUNT_RULES } from './amount.rules';
import { FieldRule, rule } from './field-rule';

/** A postback's fields after aliases and the partner mapping, and the Idempotency-Key header. */
export type PostbackField =
  | 'click_id'
  | 'goal'
  | 'amount'
  | 'currency'
  | 'order_id'
  | 'status'
  | 'adv_sub1'
  | 'adv_sub2'
  | 'adv_sub3'
  | 'adv_sub4'
  | 'adv_sub5'
  | 'coupon_code'
  | 'idempotency_key';

export interface FieldRules {
  /** Absent is a problem (rule isDefined) rather than a field left out. */
  required?: { reason: string };
  /** Judged, in this order, when the field is present. */
  rules: readonly FieldRule[];
}

const maxLength = (field: string, max: number) =>
  rule('maxLength', (value) => characterCount(value) <= max, `${field} must be shorter than or equal to ${max} characters`);

/**
 * What each field of a postback must be, checked by hand on the hot path
 * (validatePostback) rather than by class-validator's decorators and
 * reflection: the same rule names and reasons the refusals always carried.
 * Property names are the standard parameter names, so a refusal names the
 * field as the documentation does. Limits follow conversions.v1, so an
 * accepted postback always makes a valid event.
 */
export const POSTBACK_RULES: Readonly<Record<PostbackField, FieldRules>> = {
  click_id: {
    // Unless a promo code stands in for it (validatePostback).
    required: { reason: 'click_id is required (also accepted as transaction_id, clickid, cid or subid), unless the postback carries a promo code (coupon_code)' },
    rules: [
      rule(
        'isClickId',
        (value) => normaliseId(value) !== null,
        'click_id must be the 30-character click id Tracklane added to the offer URL',
      ),
    ],
  },
  goal: { rules: [maxLength('goal', 128)] },
  amount: { rules: AMOUNT_RULES },
  currency: {
    rules: [rule('isISO4217CurrencyCode', (value) => isISO4217CurrencyCode(value), 'currency must be an ISO 4217 currency code such as EUR or USD')],
  },
  order_id: { rules: [maxLength('order_id', 255)] },
  status: {
    rules: [
      rule(
        'isIn',
        (value) => (POSTBACK_STATUSES as readonly string[]).includes(value),
        `status must be one of the following values: ${POSTBACK_STATUSES.join(', ')}`,
      ),
    ],
  },
  adv_sub1: { rules: [maxLength('adv_sub1', 512)] },
  adv_sub2: { rules: [maxLength('adv_sub2', 512)] },
  adv_sub3: { rules: [maxLength('adv_sub3', 512)] },
  adv_sub4: { rules: [maxLength('adv_sub4', 512)] },
  adv_sub5: { rules: [maxLength('adv_sub5', 512)] },
  coupon_code: { rules: [rule('isCouponCode', (value) => couponCodeOf(value) !== null, `coupon_code ${COUPON_CODE_REASON}`)] },
  /** From the Idempotency-Key header. */
  idempotency_key: {
    rules: [rule('matches', (value) => /^[\x21-\x7e]{1,255}$/.test(value), 'Idempotency-Key must be 1 to 255 visible ASCII characters')],
  },
};
