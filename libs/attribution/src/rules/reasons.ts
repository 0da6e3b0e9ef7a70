/**
 * Why a conversion got its status: stored on the conversion, sent on
 * attributions.v1, shown in reports. Stable, machine-readable words.
 */
export const DECISION_REASONS = [
  // Counted (approved or pending as the postback or the goal says).
  'attributed',
  // Attributed by a promo code to its affiliate (no click, or the offer lets the code win).
  'coupon',
  // A promo code and no click: the code is unknown, its affiliate may not run its offer (suspended, not approved,
  // blocked), or it is network-wide and its affiliate runs several offers of the advertiser.
  'coupon_not_found',
  'coupon_not_allowed',
  'coupon_offer_ambiguous',
  // No click to attribute to.
  'click_not_found',
  'click_expired',
  // The click's traffic was sent to a fallback URL, not to the offer.
  'click_not_accepted',
  'offer_not_found',
  // The advertiser that sent the postback does not own the click's offer.
  'advertiser_mismatch',
  'goal_not_found',
  'outside_window',
  'too_fast',
  // A percentage of a sale in another currency than the offer's cannot be computed exactly.
  'currency_mismatch',
  'amount_out_of_range',
  'duplicate_click_goal',
  'duplicate_order',
  'rejected_by_advertiser',
  'refunded_by_advertiser',
  // Fraud flags on the click (rejected or held as pending per the offer's policy).
  'bot_click',
  'rate_limited_click',
  'non_unique_click',
  'daily_cap_reached',
  'monthly_cap_reached',
  'affiliate_daily_cap_reached',
  'affiliate_monthly_cap_reached',
] as const;

export type DecisionReason = (typeof DECISION_REASONS)[number];

/** Reasons of status changes: "<new status>_by_advertiser". */
export type StatusChangeReason = 'approved_by_advertiser' | 'rejected_by_advertiser' | 'refunded_by_advertiser';
