import type { CatalogOffer, CatalogSnapshot } from '@tracklane/catalog';
import type { ClickDisposition } from '@tracklane/contracts';
import type { TrackingLink } from '../link/tracking-link';
import { browserOf, operatingSystemOf } from '../visitor/user-agent';
import type { Visitor } from '../visitor/visitor';

/** Where a click goes and why. */
export type RedirectDecision =
  | { kind: 'unknown_offer' }
  | {
      kind: 'click';
      /** The offer the click is recorded on: the link's, or its alternative (insteadOf). */
      offer: CatalogOffer;
      disposition: ClickDisposition;
      /** The offer's destination, or for any other disposition the fallback; null when there is none. */
      template: string | null;
      /** The link's offer, when its targeting sent the visitor to `offer`, its alternative. */
      insteadOf?: number;
    };

export interface ClickContext {
  catalog: CatalogSnapshot;
  offer: CatalogOffer;
  link: TrackingLink;
  visitor: Visitor;
  nowMs: number;
}

/** One reason to send a click elsewhere; null lets it through. */
type ClickRule = (context: ClickContext) => Exclude<ClickDisposition, 'accepted'> | null;

const offerIsLive: ClickRule = ({ catalog, offer, nowMs }) => {
  if (offer.status === 'expired' || (offer.expiresAt !== null && offer.expiresAt <= nowMs)) return 'offer_expired';
  if (offer.status !== 'active') return 'offer_paused';
  // A paused or archived advertiser takes its offers down with it.
  return catalog.advertiser(offer.advertiserId)?.status === 'active' ? null : 'offer_paused';
};

const affiliateMayRunOffer: ClickRule = ({ catalog, offer, link }) => {
  const affiliate = catalog.affiliate(link.affiliateId);
  if (!affiliate) return 'affiliate_not_approved';
  if (affiliate.status !== 'active') return 'affiliate_inactive';
  return catalog.mayRun(offer, affiliate.id) ? null : 'affiliate_not_approved';
};

/** A list of allowed values takes only what it names (an unknown value is not named); no list takes all. */
const allows = (list: ReadonlySet<string> | null, value: () => string | null): boolean => {
  if (list === null) return true;
  const known = value();
  return known !== null && list.has(known);
};

/** The offer's targeting (libs/catalog/src/offer-targeting.ts); the user agent is read only for lists that need it. */
const visitorIsTargeted: ClickRule = ({ offer, visitor }) => {
  const targeting = offer.targeting;
  if (targeting === null) return null;
  const { country } = visitor;
  const matches =
    allows(targeting.countries, () => country) &&
    (targeting.excludedCountries === null || country === null || !targeting.excludedCountries.has(country)) &&
    allows(targeting.devices, () => visitor.device) &&
    allows(targeting.operatingSystems, () => operatingSystemOf(visitor.userAgent)) &&
    allows(targeting.browsers, () => browserOf(visitor.userAgent));
  return matches ? null : 'targeting_mismatch';
};

/**
 * The rules every click passes, in order; the first that objects decides.
 * This is the one place where a click's destination is decided.
 */
const CLICK_RULES: readonly ClickRule[] = [offerIsLive, affiliateMayRunOffer, visitorIsTargeted];

/** The first rule that objects to the click on `offer`, or null. */
function objection(context: ClickContext): Exclude<ClickDisposition, 'accepted'> | null {
  for (const rule of CLICK_RULES) {
    const disposition = rule(context);
    if (disposition) return disposition;
  }
  return null;
}

export function decideRedirect(catalog: CatalogSnapshot, link: TrackingLink, visitor: Visitor, nowMs: number): RedirectDecision {
  const offer = catalog.offer(link.offerId);
  if (!offer) return { kind: 'unknown_offer' };
  const disposition = objection({ catalog, offer, link, visitor, nowMs });
  if (disposition === null) return { kind: 'click', offer, disposition: 'accepted', template: offer.destinationUrl };
  // A visitor the targeting does not take goes to the offer's alternative as that offer's own click, when every
  // rule takes it there; one step only (the alternative's own alternative is not followed).
  const alternative = disposition === 'targeting_mismatch' && offer.alternativeOfferId !== null ? catalog.offer(offer.alternativeOfferId) : undefined;
  if (alternative && objection({ catalog, offer: alternative, link, visitor, nowMs }) === null) {
    return { kind: 'click', offer: alternative, disposition: 'accepted', template: alternative.destinationUrl, insteadOf: offer.id };
  }
  return { kind: 'click', offer, disposition, template: offer.fallbackUrl ?? catalog.settings.defaultFallbackUrl };
}
