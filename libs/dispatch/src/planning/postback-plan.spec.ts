import { AffiliatePostback, CatalogAffiliate, CatalogSnapshot } from '@tracklane/catalog';
import { attribution } from '../../test/attribution-fixture';
import { planPostback } from './postback-plan';

function catalog(affiliates: Partial<CatalogAffiliate>[], overrides: AffiliatePostback[] = []) {
  const empty = CatalogSnapshot.empty();
  return new CatalogSnapshot(
    {
      offers: [],
      advertisers: [],
      affiliates: affiliates.map((affiliate) => ({
        id: 7,
        name: 'Pub',
        status: 'active',
        postbackUrl: 'https://aff.example/pb?cid={click_id}&s={status}&key=k3y',
        postbackMethod: 'GET',
        postbackStatuses: ['approved'],
        postbackSecret: null,
        referrerDomains: [],
        ...affiliate,
      })),
      approvals: [],
      payoutOverrides: [],
      affiliatePostbacks: overrides,
      coupons: [],
      settings: empty.settings,
    },
    1,
    Date.now(),
  );
}

describe('planPostback', () => {
  it('plans an approved conversion to the global URL, keyed by conversion and status', () => {
    const event = attribution();
    const plan = planPostback(event, catalog([{}]));
    expect(plan).toMatchObject({
      deliveryKey: `${event.conversionId}:approved`,
      conversionId: event.conversionId,
      eventId: event.eventId,
      affiliateId: 7,
      offerId: 10,
      status: 'approved',
      method: 'GET',
      url: `https://aff.example/pb?cid=${event.clickId}&s=approved&key=k3y`,
      urlMasked: `https://aff.example/pb?cid=${event.clickId}&s=approved&key=***`,
      targetHost: 'aff.example',
      body: null,
      refusal: null,
    });
  });

  it('keeps the same key when the same decision is seen again', () => {
    const event = attribution();
    const snapshot = catalog([{}]);
    expect(planPostback({ ...event, eventId: 'X'.repeat(30) }, snapshot)?.deliveryKey).toBe(planPostback(event, snapshot)?.deliveryKey);
  });

  it('sends only the statuses the affiliate asked for (approved by default)', () => {
    expect(planPostback(attribution({ status: 'pending' }), catalog([{}]))).toBeNull();
    expect(planPostback(attribution({ status: 'rejected', kind: 'status_change', previousStatus: 'approved' }), catalog([{}]))).toBeNull();
    const wantsAll = catalog([{ postbackStatuses: ['approved', 'pending', 'rejected', 'refunded'] }]);
    const refund = planPostback(attribution({ status: 'refunded', kind: 'status_change', previousStatus: 'approved' }), wantsAll);
    expect(refund?.deliveryKey).toMatch(/:refunded$/);
    expect(refund?.url).toContain('s=refunded');
  });

  it('prefers the per-offer URL and posts the values as JSON when configured', () => {
    const snapshot = catalog([{}], [{ affiliateId: 7, offerId: 10, url: 'https://hooks.aff.example:8443/offer10?c={click_id}', method: 'POST' }]);
    const event = attribution();
    const plan = planPostback(event, snapshot);
    expect(plan?.method).toBe('POST');
    expect(plan?.targetHost).toBe('hooks.aff.example:8443');
    expect(JSON.parse(plan?.body ?? '{}')).toEqual({
      click_id: event.clickId,
      aff_click_id: 'aff-123',
      sub1: 'sub one',
      sub2: null,
      sub3: null,
      sub4: null,
      sub5: null,
      source: 'newsletter',
      offer_id: 10,
      goal: 'sale',
      status: 'approved',
      payout: '12.5000',
      currency: 'EUR',
      conversion_id: event.conversionId,
      coupon_code: null,
      timestamp: 1795860301,
    });
    expect(plan?.body).not.toMatch(/987\.6543|4321|ORDER-SECRET/);
  });

  it('sends nothing without an affiliate, a known affiliate or a URL', () => {
    expect(planPostback(attribution({ affiliateId: null }), catalog([{}]))).toBeNull();
    expect(planPostback(attribution({ affiliateId: 8 }), catalog([{}]))).toBeNull();
    expect(planPostback(attribution(), catalog([{ postbackUrl: null }]))).toBeNull();
  });

  it('uses the global URL for a conversion without an offer', () => {
    expect(planPostback(attribution({ offerId: null }), catalog([{}]))?.url).toMatch(/^https:\/\/aff\.example\/pb\?/);
  });

  it('marks a URL that can never be sent as refused', () => {
    expect(planPostback(attribution(), catalog([{ postbackUrl: 'ftp://aff.example/{click_id}' }]))?.refusal).toBe(
      'scheme ftp: is not http or https',
    );
    expect(planPostback(attribution(), catalog([{ postbackUrl: 'not a url' }]))?.refusal).toBe('the postback URL is not a valid URL');
  });
});
