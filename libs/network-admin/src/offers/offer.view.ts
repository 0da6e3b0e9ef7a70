import { CatalogOffer, FraudAction, OfferTargeting } from '@tracklane/catalog';
import { Offer, OfferAffiliate } from '@tracklane/db';

export type OfferStatus = 'active' | 'paused' | 'expired' | 'archived';
export type OfferVisibility = 'public' | 'approval_required';
/** Who a conversion posted with both a click id and a promo code of the offer goes to. */
export type CouponPrecedence = CatalogOffer['couponPrecedence'];

/** The whole offer, as admins and the offer's advertiser see it. */
export interface OfferView {
  id: number;
  advertiserId: number;
  name: string;
  status: OfferStatus;
  visibility: OfferVisibility;
  destinationUrl: string;
  fallbackUrl: string | null;
  expiresAt: string | null;
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
  /** The largest amount one postback may carry for this offer; null: the network's bound. */
  maxPostbackAmount: string | null;
  /** Which visitors the offer takes; null: every one. */
  targeting: OfferTargeting | null;
  /** Where visitors the targeting does not take go (that offer's clicks, when it takes them); null: the fallback. */
  alternativeOfferId: number | null;
  /** The operator allowed a destination URL without {click_id}: no postback can name its clicks. */
  allowDestinationWithoutClickId: boolean;
  /** click: the click's affiliate (the code's only when the click cannot be found); coupon: the code's affiliate. */
  couponPrecedence: CouponPrecedence;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

/**
 * An offer as an affiliate sees it: what it needs to promote it, without the
 * advertiser, the landing page or the network's fraud rules. Caps are the
 * affiliate's own.
 */
export interface AffiliateOfferView {
  id: number;
  name: string;
  status: OfferStatus;
  visibility: OfferVisibility;
  expiresAt: string | null;
  timeZone: string;
  currency: string;
  attributionWindowSeconds: number;
  dailyCap: number | null;
  monthlyCap: number | null;
  /** Which visitors the offer takes: affiliates send only those. */
  targeting: OfferTargeting | null;
  /** null: a public offer the affiliate was never explicitly approved for. */
  approvalStatus: OfferAffiliate['status'] | null;
}

export function offerView(row: Offer): OfferView {
  return {
    id: row.id,
    advertiserId: row.advertiserId,
    name: row.name,
    status: row.status as OfferStatus,
    visibility: row.visibility as OfferVisibility,
    destinationUrl: row.destinationUrl,
    fallbackUrl: row.fallbackUrl,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    timeZone: row.timeZone,
    currency: row.currency.trim(),
    attributionWindowSeconds: row.attributionWindowSeconds,
    minClickToConversionSeconds: row.minClickToConversionSeconds,
    dailyCap: row.dailyCap,
    monthlyCap: row.monthlyCap,
    affiliateDailyCap: row.affiliateDailyCap,
    affiliateMonthlyCap: row.affiliateMonthlyCap,
    onBot: row.onBot as FraudAction,
    onRateLimited: row.onRateLimited as FraudAction,
    onNonUnique: row.onNonUnique as FraudAction,
    maxPostbackAmount: row.maxPostbackAmount?.toFixed(4) ?? null,
    targeting: targetingOf(row),
    alternativeOfferId: row.alternativeOfferId,
    allowDestinationWithoutClickId: row.allowDestinationWithoutClickId,
    couponPrecedence: row.couponPrecedence as CouponPrecedence,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

export function affiliateOfferView(row: Offer, approval: OfferAffiliate | undefined): AffiliateOfferView {
  return {
    id: row.id,
    name: row.name,
    status: row.status as OfferStatus,
    visibility: row.visibility as OfferVisibility,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    timeZone: row.timeZone,
    currency: row.currency.trim(),
    attributionWindowSeconds: row.attributionWindowSeconds,
    dailyCap: approval?.dailyCap ?? row.affiliateDailyCap,
    monthlyCap: approval?.monthlyCap ?? row.affiliateMonthlyCap,
    targeting: targetingOf(row),
    approvalStatus: approval?.status ?? null,
  };
}

/** Written only through the API, which checks it; null when the offer takes every visitor. */
function targetingOf(row: Offer): OfferTargeting | null {
  return (row.targeting as OfferTargeting | null) ?? null;
}
