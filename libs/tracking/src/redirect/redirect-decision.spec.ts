import { CatalogContents, CatalogOffer, CatalogSnapshot, DEFAULT_SETTINGS } from '@tracklane/catalog';
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
        { id: 7, name: 'Active', status: 'active', postbackUrl: null, postbackMethod: 'GET', postbackStatuses: [], postbackSecret: null },
        { id: 9, name: 'Pending', status: 'pending', postbackUrl: null, postbackMethod: 'GET', postbackStatuses: [], postbackSecret: null },
      ],
      approvals: [],
      payoutOverrides: [],
      affiliatePostbacks: [],
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

  it('judges the offer before the affiliate', () => {
    const snapshot = catalog({ offers: [offer({ status: 'paused' })] });
    expect(decideRedirect(snapshot, link(404), visitor, now)).toMatchObject({ disposition: 'offer_paused' });
  });
});
