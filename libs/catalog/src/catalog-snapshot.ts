import { hostOf } from './hosts';
import {
  AffiliatePostback,
  CatalogAdvertiser,
  CatalogAffiliate,
  CatalogCoupon,
  CatalogGoal,
  CatalogOffer,
  CouponResolution,
  NetworkSettings,
  OfferApproval,
  PayoutOverride,
} from './catalog.types';
import { compareDecimals } from './decimal-order';

/** The settings of a network nobody configured yet (and the defaults of migrations 0001, 0700, 0701, 0870). */
export const DEFAULT_SETTINGS: NetworkSettings = {
  name: 'Tracklane network',
  defaultFallbackUrl: null,
  advertisersSeePayouts: false,
  postbackReplayWindowSeconds: 86_400,
  maxPostbackAmount: '1000000.0000',
  visitorIpStorage: 'full',
  userAgentStorage: 'full',
  visitorHashSecret: '',
};

export interface CatalogContents {
  offers: CatalogOffer[];
  advertisers: CatalogAdvertiser[];
  affiliates: CatalogAffiliate[];
  approvals: OfferApproval[];
  payoutOverrides: PayoutOverride[];
  affiliatePostbacks: AffiliatePostback[];
  coupons: CatalogCoupon[];
  settings: NetworkSettings;
}

/** One consistent, indexed copy of the catalogue. Lookups are synchronous map reads. */
export class CatalogSnapshot {
  private readonly offers: Map<number, CatalogOffer>;
  private readonly advertisers: Map<number, CatalogAdvertiser>;
  private readonly advertisersByToken: Map<string, CatalogAdvertiser>;
  private readonly affiliates: Map<number, CatalogAffiliate>;
  private readonly affiliatesByDomain: Map<string, CatalogAffiliate>;
  private readonly approvals: Map<string, OfferApproval>;
  private readonly payoutOverrides: Map<string, PayoutOverride>;
  private readonly affiliatePostbacks: Map<string, AffiliatePostback>;
  private readonly advertiserAmountLimits: Map<number, string>;
  /** Offer codes by advertiser and key, network-wide codes by key. */
  private readonly offerCoupons: Map<string, CatalogCoupon>;
  private readonly networkCoupons: Map<string, CatalogCoupon>;
  readonly settings: NetworkSettings;

  constructor(
    contents: CatalogContents,
    /** Increases with every load. */
    readonly version: number,
    readonly loadedAt: number,
  ) {
    this.offers = new Map(contents.offers.map((offer) => [offer.id, offer]));
    this.advertisers = new Map(contents.advertisers.map((advertiser) => [advertiser.id, advertiser]));
    this.advertisersByToken = new Map(contents.advertisers.map((advertiser) => [advertiser.postbackToken, advertiser]));
    this.affiliates = new Map(contents.affiliates.map((affiliate) => [affiliate.id, affiliate]));
    this.affiliatesByDomain = new Map(contents.affiliates.flatMap((affiliate) => affiliate.referrerDomains.map((domain) => [domain, affiliate])));
    this.approvals = new Map(contents.approvals.map((approval) => [`${approval.offerId}:${approval.affiliateId}`, approval]));
    this.payoutOverrides = new Map(
      contents.payoutOverrides.map((override) => [
        `${override.offerId}:${override.affiliateId}:${override.goalId ?? '*'}`,
        override,
      ]),
    );
    this.affiliatePostbacks = new Map(
      contents.affiliatePostbacks.map((postback) => [`${postback.affiliateId}:${postback.offerId}`, postback]),
    );
    this.offerCoupons = new Map();
    this.networkCoupons = new Map();
    for (const coupon of contents.coupons) {
      if (coupon.offerId === null) this.networkCoupons.set(coupon.key, coupon);
      else {
        const offer = this.offers.get(coupon.offerId);
        if (offer) this.offerCoupons.set(`${offer.advertiserId}:${coupon.key}`, coupon);
      }
    }
    this.settings = contents.settings;
    this.advertiserAmountLimits = new Map();
    for (const offer of contents.offers) {
      const limit = this.amountLimit(offer);
      const earlier = this.advertiserAmountLimits.get(offer.advertiserId);
      if (earlier === undefined || compareDecimals(limit, earlier) > 0) this.advertiserAmountLimits.set(offer.advertiserId, limit);
    }
  }

  /** The largest amount one postback may carry for an offer, in the offer's currency. */
  amountLimit(offer: CatalogOffer): string {
    return offer.maxPostbackAmount ?? this.settings.maxPostbackAmount;
  }

  /**
   * The largest amount any offer of the advertiser accepts: a postback above
   * it fits none of them, whichever click it names (the network's bound when
   * the advertiser has no offer).
   */
  advertiserAmountLimit(advertiserId: number): string {
    return this.advertiserAmountLimits.get(advertiserId) ?? this.settings.maxPostbackAmount;
  }

  static empty(): CatalogSnapshot {
    return new CatalogSnapshot(
      {
        offers: [],
        advertisers: [],
        affiliates: [],
        approvals: [],
        payoutOverrides: [],
        affiliatePostbacks: [],
        coupons: [],
        settings: DEFAULT_SETTINGS,
      },
      0,
      0,
    );
  }

  offer(id: number): CatalogOffer | undefined {
    return this.offers.get(id);
  }

  advertiser(id: number): CatalogAdvertiser | undefined {
    return this.advertisers.get(id);
  }

  /** Exact lookup only; callers still compare the token in constant time before trusting it. */
  advertiserByToken(token: string): CatalogAdvertiser | undefined {
    return this.advertisersByToken.get(token);
  }

  affiliate(id: number): CatalogAffiliate | undefined {
    return this.affiliates.get(id);
  }

  /** The affiliate a page of this URL's host belongs to: its host or the nearest parent domain registered to one. */
  affiliateByReferrer(url: string): CatalogAffiliate | undefined {
    const host = hostOf(url);
    if (!host) return undefined;
    for (let domain = host; domain.includes('.'); domain = domain.slice(domain.indexOf('.') + 1)) {
      const affiliate = this.affiliatesByDomain.get(domain);
      if (affiliate) return affiliate;
    }
    return undefined;
  }

  approval(offerId: number, affiliateId: number): OfferApproval | undefined {
    return this.approvals.get(`${offerId}:${affiliateId}`);
  }

  /** Whether the affiliate may send traffic to the offer: active, and approved (or, on a public offer, not blocked or rejected). */
  mayRun(offer: CatalogOffer, affiliateId: number): boolean {
    if (this.affiliates.get(affiliateId)?.status !== 'active') return false;
    const approval = this.approval(offer.id, affiliateId)?.status;
    if (offer.visibility === 'public') return approval !== 'blocked' && approval !== 'rejected';
    return approval === 'approved';
  }

  /**
   * The affiliate and offer a promo code posted by the advertiser stands for
   * (key: couponCodeOf's). An offer code of the advertiser comes first, and
   * counts while its affiliate may run the offer (as a click would have to);
   * a network-wide code stands for the advertiser's only active offer its
   * affiliate may run, and for none when there are several.
   */
  coupon(advertiserId: number, key: string): CouponResolution {
    const offerCoupon = this.offerCoupons.get(`${advertiserId}:${key}`);
    if (offerCoupon) {
      const offer = this.offers.get(offerCoupon.offerId as number) as CatalogOffer;
      return this.mayRun(offer, offerCoupon.affiliateId) ? { coupon: offerCoupon, offer } : { miss: 'coupon_not_allowed' };
    }
    const coupon = this.networkCoupons.get(key);
    if (!coupon) return { miss: 'coupon_not_found' };
    const runnable = [...this.offers.values()].filter(
      (offer) => offer.advertiserId === advertiserId && offer.status === 'active' && this.mayRun(offer, coupon.affiliateId),
    );
    if (runnable.length === 0) return { miss: 'coupon_not_found' };
    return runnable.length === 1 ? { coupon, offer: runnable[0] } : { miss: 'coupon_offer_ambiguous' };
  }

  goal(offerId: number, code: string | null): CatalogGoal | undefined {
    const offer = this.offers.get(offerId);
    if (!offer) return undefined;
    if (code === null) return offer.defaultGoal ?? undefined;
    const wanted = code.toLowerCase();
    return offer.goals.find((goal) => goal.code.toLowerCase() === wanted || String(goal.id) === code);
  }

  /** The affiliate's payout rule for a goal: a goal-specific override, then an offer-wide one. */
  payoutOverride(offerId: number, affiliateId: number, goalId: number): PayoutOverride | undefined {
    return (
      this.payoutOverrides.get(`${offerId}:${affiliateId}:${goalId}`) ??
      this.payoutOverrides.get(`${offerId}:${affiliateId}:*`)
    );
  }

  /** The affiliate's outbound postback for an offer: the per-offer override, else the global URL. */
  postbackTarget(affiliateId: number, offerId: number): { url: string; method: 'GET' | 'POST' } | undefined {
    const override = this.affiliatePostbacks.get(`${affiliateId}:${offerId}`);
    if (override) return { url: override.url, method: override.method };
    const affiliate = this.affiliates.get(affiliateId);
    return affiliate?.postbackUrl ? { url: affiliate.postbackUrl, method: affiliate.postbackMethod } : undefined;
  }
}
