import type { CompiledTargeting } from './offer-targeting';

/**
 * The catalogue as the hot paths see it: plain, immutable objects held in
 * memory. Money stays a decimal string (exact); times are epoch ms.
 */
export type MoneyRuleType = 'fixed' | 'percent' | 'fixed_plus_percent';
export type FraudAction = 'allow' | 'pending' | 'reject';

export interface MoneyRule {
  type: MoneyRuleType;
  /** Fixed part, decimal string. */
  amount: string;
  /** Percentage of the sale amount, decimal string (7.5 means 7.5 %). */
  percent: string;
}

export interface CatalogGoal {
  id: number;
  offerId: number;
  code: string;
  name: string;
  isDefault: boolean;
  allowMultiple: boolean;
  revenue: MoneyRule;
  payout: MoneyRule;
  defaultStatus: 'approved' | 'pending';
}

export interface CatalogOffer {
  id: number;
  advertiserId: number;
  name: string;
  status: 'active' | 'paused' | 'expired' | 'archived';
  visibility: 'public' | 'approval_required';
  destinationUrl: string;
  fallbackUrl: string | null;
  expiresAt: number | null;
  timeZone: string;
  currency: string;
  attributionWindowSeconds: number;
  minClickToConversionSeconds: number;
  dailyCap: number | null;
  monthlyCap: number | null;
  affiliateDailyCap: number | null;
  affiliateMonthlyCap: number | null;
  onBot: FraudAction;
  onRateLimited: FraudAction;
  onNonUnique: FraudAction;
  /** The largest amount one postback may carry, decimal string; null: the network's bound. */
  maxPostbackAmount: string | null;
  /** Which visitors the offer takes; null: every one. */
  targeting: CompiledTargeting | null;
  /** Where visitors the targeting does not take go, as clicks of that offer, when it takes them; null: the fallback. */
  alternativeOfferId: number | null;
  /** With a click id and a code of this offer, which decides the affiliate; "click" falls back to the code when the click cannot be found. */
  couponPrecedence: 'click' | 'coupon';
  /** Active goals only. */
  goals: CatalogGoal[];
  defaultGoal: CatalogGoal | null;
}

export interface CatalogAdvertiser {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'archived';
  postbackToken: string;
  signingSecret: string | null;
  requireSignature: boolean;
  ipAllowlist: string[];
  paramMapping: ParamMapping;
}

/** A partner's own postback format: their parameter names and status words mapped to ours. */
export interface ParamMapping {
  params?: Record<string, string>;
  values?: Record<string, Record<string, string>>;
}

export interface CatalogAffiliate {
  id: number;
  name: string;
  status: 'active' | 'pending' | 'suspended' | 'archived';
  postbackUrl: string | null;
  postbackMethod: 'GET' | 'POST';
  postbackStatuses: string[];
  postbackSecret: string | null;
  /** Lower-case host names: a direct click referred from one (or a subdomain) is this affiliate's. */
  referrerDomains: string[];
}

export interface OfferApproval {
  offerId: number;
  affiliateId: number;
  status: 'approved' | 'pending' | 'rejected' | 'blocked';
  dailyCap: number | null;
  monthlyCap: number | null;
}

export interface PayoutOverride {
  offerId: number;
  affiliateId: number;
  /** null: every goal of the offer. */
  goalId: number | null;
  payout: MoneyRule;
}

/** A promo code of one affiliate, on one offer or network-wide (offerId null). */
export interface CatalogCoupon {
  id: number;
  /** As entered. */
  code: string;
  /** The matching form (couponCodeOf). */
  key: string;
  affiliateId: number;
  offerId: number | null;
}

/** The affiliate and offer a posted code stands for, or why none. */
export type CouponResolution =
  | { coupon: CatalogCoupon; offer: CatalogOffer }
  | { miss: 'coupon_not_found' | 'coupon_not_allowed' | 'coupon_offer_ambiguous' };

export interface AffiliatePostback {
  affiliateId: number;
  offerId: number;
  url: string;
  method: 'GET' | 'POST';
}

export interface NetworkSettings {
  name: string;
  defaultFallbackUrl: string | null;
  advertisersSeePayouts: boolean;
  /** How long an identical postback without order id or Idempotency-Key is a replay of the first (0: never). */
  postbackReplayWindowSeconds: number;
  /** The largest amount one postback may carry (decimal string) unless its offer says otherwise. */
  maxPostbackAmount: string;
  /** How a visitor's IP is stored with a click: as sent, truncated (IPv4 /24, IPv6 /48) or as a keyed hash. */
  visitorIpStorage: 'full' | 'truncated' | 'hashed';
  /** How a visitor's user agent is stored: as sent, or reduced to browser and major version, system and device. */
  userAgentStorage: 'full' | 'normalised';
  /** The key of the IP hashes (never shown by the API). */
  visitorHashSecret: string;
}

/** Days of clicks an offer's attribution window needs kept: its days, rounded up, and the day partition it starts in. */
export function clickDaysFor(attributionWindowSeconds: number): number {
  return Math.ceil(attributionWindowSeconds / 86_400) + 1;
}
