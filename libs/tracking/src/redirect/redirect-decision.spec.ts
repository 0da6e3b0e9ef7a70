import { CatalogContents, CatalogOffer, CatalogSnapshot, compileTargeting, DEFAULT_SETTINGS, OfferTargeting } from '@tracklane/catalog';
import type { TrackingLink } from '../link/tracking-link';
import type { Visitor } from '../visitor/visitor';
import { decideRedirect } from './redirect-decision';

const now = Date.UTC(2026, 10, 28);

function offer(overrides: Partial<CatalogOffer>): CatalogOffer {
  return {
    id: 10,
    advertiserId: 1,
    name: 'Offer',
    status: 'active',
    visibility: 'approval_required',
    destinationUrl: 'https://shop.example/?c={click_id}',
    fallbackUrl: null,
    expiresAt: null,
    timeZone: 'UTC',
    currency: 'USD',
    attributionWindowSeconds: 2_592_000,
    minClickToConversionSeconds: 0,
    dailyCap: null,
    monthlyCap: null,
    affiliateDailyCap: null,
    affiliateMonthlyCap: null,
    onBot: 'reject',
    onRateLimited: 'pending',
    onNonUnique: 'allow',
    maxPostbackAmount: null,
    targeting: null,
    alternativeOfferId: null,
    couponPrecedence: 'click',
    goals: [],
    defaultGoal: null,
    ...overrides,
  };
}

function catalog(contents: Partial<CatalogContents>, defaultFallbackUrl: string | null = 'https://network.example/'): CatalogSnapshot {
  return new CatalogSnapshot(
    {
      offers: [],
      advertisers: [
        { id: 1, name: 'A', status: 'active', postbackToken: 't1', signingSecret: null, requireSignature: false, ipAllowlist: [], paramMapping: {} },
        { id: 2, name: 'B', status: 'paused', postbackToken: 't2', signingSecret: null, requireSignature: false, ipAllowlist: [], paramMapping: {} },
      ],
      affiliates: [
        { id: 7, name: 'Active', status: 'active', postbackUrl: null, postbackMethod: 'GET', postbackStatuses: [], postbackSecret: null, referrerDomains: [] },
        { id: 9, name: 'Pending', status: 'pending', postbackUrl: null, postbackMethod: 'GET', postbackStatuses: [], postbackSecret: null, referrerDomains: [] },
      ],
      approvals: [],
      payoutOverrides: [],
      affiliatePostbacks: [],
      coupons: [],
      settings: { ...DEFAULT_SETTINGS, name: 'Net', defaultFallbackUrl },
      ...contents,
    },
    1,
    now,
  );
}

const link = (affiliateId = 7): TrackingLink => ({
  offerId: 10,
  affiliateId,
  sub1: null,
  sub2: null,
  sub3: null,
  sub4: null,
  sub5: null,
  source: null,
  affClickId: null,
  params: {},
});
const visitor: Visitor = { ip: '203.0.113.1', userAgent: 'Mozilla/5.0', referrer: null, country: 'DE', device: 'desktop', bot: false };

describe('decideRedirect', () => {
  it('knows no offer that is not in the catalogue', () => {
    expect(decideRedirect(catalog({}), link(), visitor, now)).toEqual({ kind: 'unknown_offer' });
  });

  it('sends an approved affiliate to the destination', () => {
    const snapshot = catalog({ offers: [offer({})], approvals: [{ offerId: 10, affiliateId: 7, status: 'approved', dailyCap: null, monthlyCap: null }] });
    expect(decideRedirect(snapshot, link(), visitor, now)).toMatchObject({
      disposition: 'accepted',
      template: 'https://shop.example/?c={click_id}',
    });
  });

  it.each([
    ['paused', { status: 'paused' as const }, 7, 'offer_paused'],
    ['expired', { status: 'expired' as const }, 7, 'offer_expired'],
    ['past its expiry', { expiresAt: now }, 7, 'offer_expired'],
    ["of a paused advertiser", { advertiserId: 2 }, 7, 'offer_paused'],
    ['not approved for the affiliate', {}, 7, 'affiliate_not_approved'],
    ['run by an unknown affiliate', { visibility: 'public' as const }, 404, 'affiliate_not_approved'],
    ['run by an affiliate who is not active', { visibility: 'public' as const }, 9, 'affiliate_inactive'],
  ])('sends the click of an offer %s to the fallback', (_case, overrides, affiliateId, disposition) => {
    const snapshot = catalog({ offers: [offer({ fallbackUrl: 'https://fallback.example/', ...overrides })] });
    expect(decideRedirect(snapshot, link(affiliateId), visitor, now)).toMatchObject({
      disposition,
      template: 'https://fallback.example/',
    });
  });

  it('uses the network default when the offer has no fallback, and null when neither has one', () => {
    const paused = offer({ status: 'paused' });
    expect(decideRedirect(catalog({ offers: [paused] }), link(), visitor, now)).toMatchObject({ template: 'https://network.example/' });
    expect(decideRedirect(catalog({ offers: [paused] }, null), link(), visitor, now)).toMatchObject({
      disposition: 'offer_paused',
      template: null,
    });
  });

  it('lets any active affiliate run a public offer unless blocked or rejected on it', () => {
    const approval = (status: 'pending' | 'blocked' | 'rejected') => ({ offerId: 10, affiliateId: 7, status, dailyCap: null, monthlyCap: null });
    const publicOffer = offer({ visibility: 'public' });
    expect(decideRedirect(catalog({ offers: [publicOffer] }), link(), visitor, now)).toMatchObject({ disposition: 'accepted' });
    expect(decideRedirect(catalog({ offers: [publicOffer], approvals: [approval('pending')] }), link(), visitor, now)).toMatchObject({
      disposition: 'accepted',
    });
    for (const status of ['blocked', 'rejected'] as const) {
      expect(decideRedirect(catalog({ offers: [publicOffer], approvals: [approval(status)] }), link(), visitor, now)).toMatchObject({
        disposition: 'affiliate_not_approved',
      });
    }
  });

  describe('targeting', () => {
    const approved = [{ offerId: 10, affiliateId: 7, status: 'approved' as const, dailyCap: null, monthlyCap: null }];
    const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
    const targeted = (targeting: OfferTargeting) =>
      catalog({ offers: [offer({ fallbackUrl: 'https://fallback.example/', targeting: compileTargeting(targeting) })], approvals: approved });
    const decide = (targeting: OfferTargeting, who: Partial<Visitor>) => decideRedirect(targeted(targeting), link(), { ...visitor, ...who }, now);

    it.each<[string, OfferTargeting, Partial<Visitor>, string]>([
      ['a listed country', { countries: ['DE', 'AT'] }, { country: 'AT' }, 'accepted'],
      ['a country not listed', { countries: ['DE', 'AT'] }, { country: 'FR' }, 'targeting_mismatch'],
      ['an unknown country where countries are listed', { countries: ['DE'] }, { country: null }, 'targeting_mismatch'],
      ['an excluded country', { excludedCountries: ['RU'] }, { country: 'RU' }, 'targeting_mismatch'],
      ['an unknown country where countries are only excluded', { excludedCountries: ['RU'] }, { country: null }, 'accepted'],
      ['a listed country also excluded', { countries: ['DE'], excludedCountries: ['DE'] }, { country: 'DE' }, 'targeting_mismatch'],
      ['a listed device', { devices: ['mobile'] }, { device: 'mobile' }, 'accepted'],
      ['another device', { devices: ['mobile'] }, { device: 'desktop' }, 'targeting_mismatch'],
      ['an unknown device', { devices: ['mobile', 'desktop', 'tablet'] }, { device: null }, 'targeting_mismatch'],
      ['a listed system and browser', { operatingSystems: ['ios'], browsers: ['safari'] }, { userAgent: IPHONE }, 'accepted'],
      ['another system', { operatingSystems: ['android'] }, { userAgent: IPHONE }, 'targeting_mismatch'],
      ['another browser', { browsers: ['chrome'] }, { userAgent: IPHONE }, 'targeting_mismatch'],
      ['every list matching', { countries: ['DE'], devices: ['mobile'], operatingSystems: ['ios'], browsers: ['safari'] }, { device: 'mobile', userAgent: IPHONE }, 'accepted'],
      ['all but one list matching', { countries: ['DE'], devices: ['tablet'], operatingSystems: ['ios'] }, { device: 'mobile', userAgent: IPHONE }, 'targeting_mismatch'],
    ])('takes %s: %j', (_case, targeting, who, disposition) => {
      const decision = decide(targeting, who);
      expect(decision).toMatchObject({ disposition });
      if (disposition === 'targeting_mismatch') expect(decision).toMatchObject({ template: 'https://fallback.example/' });
    });

    describe('with an alternative offer', () => {
      const alternativeOffer = (overrides: Partial<CatalogOffer>) =>
        offer({ id: 20, destinationUrl: 'https://other.example/?c={click_id}', visibility: 'public', ...overrides });
      const withAlternative = (alternative: CatalogOffer) =>
        catalog({
          offers: [offer({ fallbackUrl: 'https://fallback.example/', targeting: compileTargeting({ countries: ['DE'] }), alternativeOfferId: 20 }), alternative],
          approvals: approved,
        });

      it('sends a visitor the targeting does not take to the alternative, as its own accepted click', () => {
        expect(decideRedirect(withAlternative(alternativeOffer({})), link(), { ...visitor, country: 'FR' }, now)).toMatchObject({
          offer: { id: 20 },
          disposition: 'accepted',
          template: 'https://other.example/?c={click_id}',
          insteadOf: 10,
        });
        // A visitor the offer takes stays on it.
        expect(decideRedirect(withAlternative(alternativeOffer({})), link(), { ...visitor, country: 'DE' }, now)).toMatchObject({ offer: { id: 10 }, disposition: 'accepted' });
      });

      it.each<[string, Partial<CatalogOffer>]>([
        ['is paused', { status: 'paused' }],
        ['is past its expiry', { expiresAt: now - 1 }],
        ['needs an approval the affiliate lacks', { visibility: 'approval_required' }],
        ['does not target the visitor either', { targeting: compileTargeting({ countries: ['AT'] }) }],
        ['would pass the visitor on to a further alternative', { targeting: compileTargeting({ countries: ['AT'] }), alternativeOfferId: 10 }],
      ])('keeps the fallback when the alternative %s', (_case, overrides) => {
        expect(decideRedirect(withAlternative(alternativeOffer(overrides)), link(), { ...visitor, country: 'FR' }, now)).toMatchObject({
          offer: { id: 10 },
          disposition: 'targeting_mismatch',
          template: 'https://fallback.example/',
        });
      });

      it('is not used for any other reason a click goes to the fallback', () => {
        const paused = catalog({
          offers: [offer({ status: 'paused', fallbackUrl: 'https://fallback.example/', alternativeOfferId: 20 }), alternativeOffer({})],
          approvals: approved,
        });
        expect(decideRedirect(paused, link(), visitor, now)).toMatchObject({ offer: { id: 10 }, disposition: 'offer_paused' });
      });
    });

    it('lets every visitor through an offer without targeting', () => {
      expect(decide({}, { country: null, device: null, userAgent: '' })).toMatchObject({ disposition: 'accepted' });
    });

    it('judges the offer and the affiliate first', () => {
      const snapshot = catalog({ offers: [offer({ status: 'paused', targeting: compileTargeting({ countries: ['FR'] }) })], approvals: approved });
      expect(decideRedirect(snapshot, link(), visitor, now)).toMatchObject({ disposition: 'offer_paused' });
    });
  });

  it('judges the offer before the affiliate', () => {
    const snapshot = catalog({ offers: [offer({ status: 'paused' })] });
    expect(decideRedirect(snapshot, link(404), visitor, now)).toMatchObject({ disposition: 'offer_paused' });
  });
});
