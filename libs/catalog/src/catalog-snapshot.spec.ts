import { CatalogSnapshot, DEFAULT_SETTINGS } from './catalog-snapshot';
import { CatalogAffiliate, CatalogCoupon, CatalogOffer, OfferApproval } from './catalog.types';

// Only what promo-code resolution reads.
const offer = (id: number, advertiserId: number, fields: Partial<CatalogOffer> = {}) =>
  ({ id, advertiserId, status: 'active', visibility: 'approval_required', goals: [], defaultGoal: null, ...fields }) as CatalogOffer;
const affiliate = (id: number, status: CatalogAffiliate['status'] = 'active') => ({ id, status, referrerDomains: [] }) as unknown as CatalogAffiliate;
const approval = (offerId: number, affiliateId: number, status: OfferApproval['status'] = 'approved'): OfferApproval => ({
  offerId,
  affiliateId,
  status,
  dailyCap: null,
  monthlyCap: null,
});
const coupon = (id: number, code: string, affiliateId: number, offerId: number | null): CatalogCoupon => ({
  id,
  code,
  key: code.toLowerCase(),
  affiliateId,
  offerId,
});

function snapshot(contents: { offers: CatalogOffer[]; affiliates: CatalogAffiliate[]; approvals: OfferApproval[]; coupons: CatalogCoupon[] }) {
  return new CatalogSnapshot({ ...contents, advertisers: [], payoutOverrides: [], affiliatePostbacks: [], settings: DEFAULT_SETTINGS }, 1, 0);
}

describe('promo codes in the catalogue', () => {
  const offers = [offer(10, 1), offer(11, 1, { visibility: 'public' }), offer(20, 2), offer(12, 1, { status: 'paused' })];
  const affiliates = [affiliate(7), affiliate(8), affiliate(9, 'suspended')];

  it("finds an offer code among the posting advertiser's offers only", () => {
    const catalog = snapshot({ offers, affiliates, approvals: [approval(10, 7), approval(20, 8)], coupons: [coupon(1, 'SAVE10', 7, 10), coupon(2, 'SAVE10', 8, 20)] });
    expect(catalog.coupon(1, 'save10')).toEqual({ coupon: expect.objectContaining({ id: 1 }), offer: offers[0] });
    expect(catalog.coupon(2, 'save10')).toEqual({ coupon: expect.objectContaining({ id: 2 }), offer: offers[2] });
    expect(catalog.coupon(3, 'save10')).toEqual({ miss: 'coupon_not_found' });
  });

  it('prefers an offer code to a network-wide code of the same key', () => {
    const catalog = snapshot({ offers, affiliates, approvals: [approval(10, 7), approval(10, 8)], coupons: [coupon(1, 'Spring', 7, 10), coupon(2, 'SPRING', 8, null)] });
    expect(catalog.coupon(1, 'spring')).toMatchObject({ coupon: { id: 1 }, offer: { id: 10 } });
  });

  it('counts an offer code only while its affiliate may run the offer, as a click would have to', () => {
    const codes = [coupon(1, 'A', 7, 10), coupon(2, 'B', 9, 10), coupon(3, 'C', 8, 11)];
    const catalog = snapshot({ offers, affiliates, approvals: [approval(10, 9), approval(11, 8, 'blocked')], coupons: codes });
    // Not approved on an approval-required offer; suspended; blocked from a public offer.
    expect([catalog.coupon(1, 'a'), catalog.coupon(1, 'b'), catalog.coupon(1, 'c')]).toEqual(Array(3).fill({ miss: 'coupon_not_allowed' }));
  });

  it("gives a network-wide code the advertiser's only active offer its affiliate may run, and none when it runs several", () => {
    const network = [coupon(1, 'SPRING', 7, null)];
    // Offer 11 is public: anyone not blocked may run it; offer 12 is paused.
    const only = snapshot({ offers, affiliates, approvals: [approval(11, 7, 'blocked'), approval(12, 7)], coupons: network });
    expect(only.coupon(1, 'spring')).toEqual({ miss: 'coupon_not_found' });
    const one = snapshot({ offers, affiliates, approvals: [approval(10, 7), approval(11, 7, 'rejected')], coupons: network });
    expect(one.coupon(1, 'spring')).toMatchObject({ offer: { id: 10 } });
    const several = snapshot({ offers, affiliates, approvals: [approval(10, 7)], coupons: network });
    expect(several.coupon(1, 'spring')).toEqual({ miss: 'coupon_offer_ambiguous' });
  });

  it('lets no inactive affiliate run an offer through a network-wide code', () => {
    const catalog = snapshot({ offers, affiliates, approvals: [approval(10, 9)], coupons: [coupon(1, 'X', 9, null)] });
    expect(catalog.mayRun(offers[0], 9)).toBe(false);
    expect(catalog.coupon(1, 'x')).toEqual({ miss: 'coupon_not_found' });
  });

  it('forgets the codes of an offer that is no longer in the catalogue (archived)', () => {
    const catalog = snapshot({ offers: [offer(11, 1)], affiliates, approvals: [], coupons: [coupon(1, 'GONE', 7, 10)] });
    expect(catalog.coupon(1, 'gone')).toEqual({ miss: 'coupon_not_found' });
  });
});
