import { dataOf, managementClient, ManagementClient } from '@tracklane/api-client';
import { waitFor } from '@tracklane/testing';
import { startWholePlatform, WholePlatform } from '../support/whole-platform';

interface Conversion {
  conversionId: string;
  clickId: string | null;
  goalCode: string | null;
  saleAmount: string | null;
  currency: string;
  status: string;
  reason: string;
}

/** What a partner sends, as its documentation shows it; the token and the click id filled in. */
type Request = (token: string, clickId: string, goals: Record<string, number>) => { query: string } | { query: string; json: object };

interface PresetCase {
  preset: string;
  offerCurrency: string;
  /** The partner's documented conversion request. */
  conversion: Request;
  booked: { goal: string; amount: string; status: string };
  /** Its later status change or refund, as the partner sends it. */
  change: Request;
  changed: string;
}

const shopifyOrder = (clickId: string, financialStatus: string) => ({
  id: 5940139491234,
  admin_graphql_api_id: 'gid://shopify/Order/5940139491234',
  name: '#1001',
  email: 'john.doe@example.com',
  created_at: '2026-12-04T10:30:00-05:00',
  currency: 'USD',
  subtotal_price: '199.00',
  total_price: '215.40',
  total_tax: '16.40',
  financial_status: financialStatus,
  fulfillment_status: null,
  note_attributes: [
    { name: 'click_id', value: clickId },
    { name: 'gift_wrap', value: 'no' },
  ],
  customer: { id: 115310627314723950, email: 'john.doe@example.com', default_address: { city: 'Ottawa', country_code: 'CA' } },
  line_items: [{ id: 866550311766439000, sku: 'SHOE-1', quantity: 1, price: '199.00', properties: [] }],
});

const stripeEvent = (clickId: string, type: string) => ({
  id: `evt_${type.replace('.', '_')}`,
  object: 'event',
  api_version: '2020-08-27',
  type,
  data: {
    object: {
      id: 'ch_3Nxe8SLkdIwHu7ix0q7Vn4Ty',
      object: 'charge',
      amount: 1999,
      amount_captured: 1999,
      amount_refunded: type === 'charge.refunded' ? 1999 : 0,
      currency: 'usd',
      paid: true,
      refunded: type === 'charge.refunded',
      metadata: { click_id: clickId },
      billing_details: { address: { city: null, country: 'US' }, email: null },
      outcome: { network_status: 'approved_by_network', risk_level: 'normal', type: 'authorized' },
      refunds: { object: 'list', data: [], has_more: false },
    },
  },
});

const CASES: PresetCase[] = [
  {
    preset: 'tune',
    offerCurrency: 'USD',
    conversion: (token, click, goals) => ({ query: `security_token=${token}&transaction_id=${click}&amount=49.90&adv_sub=T-1&goal_id=${goals.sale}&offer_id=26` }),
    booked: { goal: 'sale', amount: '49.9000', status: 'approved' },
    change: (token, click, goals) => ({ query: `security_token=${token}&transaction_id=${click}&adv_sub=T-1&goal_id=${goals.sale}&status=refunded` }),
    changed: 'refunded',
  },
  {
    preset: 'everflow',
    offerCurrency: 'USD',
    conversion: (token, click, goals) => ({ query: `token=${token}&nid=42&transaction_id=${click}&adv_event_id=${goals.sale}&amount=12.34&order_id=EF-1&adv1=blue` }),
    booked: { goal: 'sale', amount: '12.3400', status: 'approved' },
    change: (token, click, goals) => ({ query: `token=${token}&nid=42&transaction_id=${click}&adv_event_id=${goals.sale}&order_id=EF-1&status=rejected` }),
    changed: 'rejected',
  },
  {
    preset: 'cake',
    offerCurrency: 'USD',
    conversion: (token, click, goals) => ({ query: `token=${token}&o=7&e=${goals.sale}&f=pb&r=${click}&t=TX-9&p=30.00` }),
    booked: { goal: 'sale', amount: '30.0000', status: 'approved' },
    change: (token, click, goals) => ({ query: `token=${token}&o=7&e=${goals.sale}&f=pb&r=${click}&t=TX-9&status=refunded` }),
    changed: 'refunded',
  },
  {
    preset: 'voluum',
    offerCurrency: 'EUR',
    conversion: (token, click) => ({ query: `token=${token}&cid=${click}&payout=7.50&txid=V-1&currency=EUR&et=sale&param1=fb` }),
    booked: { goal: 'sale', amount: '7.5000', status: 'approved' },
    change: (token, click) => ({ query: `token=${token}&cid=${click}&txid=V-1&et=sale&status=rejected` }),
    changed: 'rejected',
  },
  {
    preset: 'binom',
    offerCurrency: 'USD',
    conversion: (token, click) => ({ query: `token=${token}&cnv_id=${click}&payout=5&cnv_status=hold&cnv_currency=usd` }),
    booked: { goal: 'sale', amount: '5.0000', status: 'pending' },
    change: (token, click) => ({ query: `token=${token}&cnv_id=${click}&payout=5&cnv_status=approve&cnv_currency=usd` }),
    changed: 'approved',
  },
  {
    preset: 'keitaro',
    offerCurrency: 'EUR',
    conversion: (token, click) => ({ query: `token=${token}&subid=${click}&status=lead&payout=10&currency=eur` }),
    booked: { goal: 'sale', amount: '10.0000', status: 'pending' },
    change: (token, click) => ({ query: `token=${token}&subid=${click}&status=sale&payout=10&currency=eur` }),
    changed: 'approved',
  },
  {
    preset: 'redtrack',
    offerCurrency: 'USD',
    conversion: (token, click) => ({ query: `token=${token}&clickid=${click}&sum=15&status=Pending&type=sale&currency=USD` }),
    booked: { goal: 'sale', amount: '15.0000', status: 'pending' },
    change: (token, click) => ({ query: `token=${token}&clickid=${click}&sum=15&status=Declined&type=sale&currency=USD` }),
    changed: 'rejected',
  },
  {
    preset: 'appsflyer',
    offerCurrency: 'USD',
    conversion: (token, click) => ({ query: `token=${token}&clickid=${click}&event_name=purchase&event_revenue=9.99&event_revenue_currency=USD` }),
    booked: { goal: 'purchase', amount: '9.9900', status: 'approved' },
    change: (token, click) => ({ query: `token=${token}&clickid=${click}&event_name=purchase&event_revenue=9.99&event_revenue_currency=USD&status=refunded` }),
    changed: 'refunded',
  },
  {
    preset: 'adjust',
    offerCurrency: 'USD',
    conversion: (token, click) => ({ query: `token=${token}&label=${click}&activity_kind=event&event_name=purchase&revenue=999&currency=usd` }),
    booked: { goal: 'purchase', amount: '9.9900', status: 'approved' },
    change: (token, click) => ({ query: `token=${token}&label=${click}&activity_kind=event&event_name=purchase&revenue=999&currency=usd&status=refunded` }),
    changed: 'refunded',
  },
  {
    preset: 'branch',
    offerCurrency: 'USD',
    conversion: (token, click) => ({ query: `token=${token}&click_id=${click}&event=PURCHASE&revenue=25.5&currency=USD&order_id=BR-1` }),
    booked: { goal: 'purchase', amount: '25.5000', status: 'approved' },
    change: (token, click) => ({ query: `token=${token}&click_id=${click}&event=PURCHASE&order_id=BR-1&status=refunded` }),
    changed: 'refunded',
  },
  {
    preset: 'singular',
    offerCurrency: 'USD',
    conversion: (token, click) => ({ query: `token=${token}&cl_id=${click}&event=purchase&amount=3.5&currency=USD` }),
    booked: { goal: 'purchase', amount: '3.5000', status: 'approved' },
    change: (token, click) => ({ query: `token=${token}&cl_id=${click}&event=purchase&amount=3.5&currency=USD&status=refunded` }),
    changed: 'refunded',
  },
  {
    preset: 'kochava',
    offerCurrency: 'USD',
    conversion: (token, click) => ({ query: `token=${token}&click_id=${click}&event_name=purchase&revenue=4.99&currency=USD` }),
    booked: { goal: 'purchase', amount: '4.9900', status: 'approved' },
    change: (token, click) => ({ query: `token=${token}&click_id=${click}&event_name=purchase&revenue=4.99&currency=USD&status=refunded` }),
    changed: 'refunded',
  },
  {
    preset: 'shopify',
    offerCurrency: 'USD',
    conversion: (token, click) => ({ query: `token=${token}`, json: shopifyOrder(click, 'paid') }),
    booked: { goal: 'sale', amount: '199.0000', status: 'approved' },
    change: (token, click) => ({ query: `token=${token}`, json: shopifyOrder(click, 'refunded') }),
    changed: 'refunded',
  },
  {
    preset: 'stripe',
    offerCurrency: 'USD',
    conversion: (token, click) => ({ query: `token=${token}`, json: stripeEvent(click, 'charge.succeeded') }),
    booked: { goal: 'sale', amount: '19.9900', status: 'approved' },
    change: (token, click) => ({ query: `token=${token}`, json: stripeEvent(click, 'charge.refunded') }),
    changed: 'refunded',
  },
];

/**
 * Every preset, configured only through the management API, fed the request
 * its partner's documentation shows, through the real services: the
 * conversion is booked with the right goal, amount, currency and status,
 * and the partner's later status change or refund changes that conversion.
 */
describe('partner presets, end to end', () => {
  let world: WholePlatform;
  let admin: ManagementClient;
  let affiliateId: number;
  const setups = new Map<string, { token: string; offerId: number; goals: Record<string, number> }>();

  beforeAll(async () => {
    // Booking is the question here: outbound postbacks and reports have their own suites.
    world = await startWholePlatform({ apps: ['management', 'click-ingest', 'postback-ingest', 'attribution'] });
    admin = managementClient({ baseUrl: world.url('management'), apiKey: world.adminKey });
    const affiliate = dataOf(await admin.POST('/v1/affiliates', { body: { name: 'Presets affiliate' } }));
    affiliateId = affiliate.id;
    for (const { preset, offerCurrency } of CASES) {
      const advertiser = dataOf(await admin.POST('/v1/advertisers', { body: { name: `${preset} advertiser`, paramMapping: { preset } } }));
      const offer = dataOf(
        await admin.POST('/v1/offers', {
          body: {
            advertiserId: advertiser.id,
            name: `${preset} offer`,
            destinationUrl: 'https://shop.example/landing?cid={click_id}',
            currency: offerCurrency,
          },
        }),
      );
      const goals: Record<string, number> = {};
      for (const code of ['sale', 'install', 'purchase']) {
        const goal = dataOf(
          await admin.POST('/v1/offers/{offerId}/goals', {
            params: { path: { offerId: offer.id } },
            body: {
              code,
              name: code,
              isDefault: code === 'sale',
              revenue: { type: 'percent', percent: '10' },
              payout: { type: 'fixed', amount: '1.00' },
            },
          }),
        );
        goals[code] = goal.id;
      }
      dataOf(
        await admin.PUT('/v1/approvals/{offerId}/{affiliateId}', { params: { path: { offerId: offer.id, affiliateId } }, body: { status: 'approved' } }),
      );
      setups.set(preset, { token: advertiser.postbackToken, offerId: offer.id, goals });
    }
  });
  afterAll(() => world?.stop());

  async function click(offerId: number): Promise<string> {
    const location = await waitFor(
      async () => {
        const response = await fetch(`${world.url('click-ingest')}/c/${offerId}?aff_id=${affiliateId}`, {
          redirect: 'manual',
          headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
        });
        await response.text();
        const target = response.headers.get('location') ?? '';
        return response.status === 302 && target.startsWith('https://shop.example/') ? target : undefined;
      },
      { timeoutMs: 30_000, what: `a 302 for offer ${offerId}` },
    );
    return new URL(location).searchParams.get('cid') ?? '';
  }

  /** Sends a request as the partner does; retried only while postback-ingest has not yet heard of the advertiser. */
  async function send(request: ReturnType<Request>): Promise<Response> {
    const url = `${world.url('postback-ingest')}/postback?${request.query}`;
    return waitFor(
      async () => {
        const response =
          'json' in request
            ? await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.json) })
            : await fetch(url);
        return response.status === 401 ? undefined : response;
      },
      { timeoutMs: 30_000, what: 'the advertiser to reach postback-ingest' },
    );
  }

  async function conversionsOf(offerId: number): Promise<Conversion[]> {
    return dataOf(await admin.GET('/v1/conversions', { params: { query: { offer_id: offerId } } })).data as Conversion[];
  }

  it.each(CASES.map((each) => [each.preset, each] as const))('%s: books the documented request and its later change', async (preset, testCase) => {
    const { token, offerId, goals } = setups.get(preset) as { token: string; offerId: number; goals: Record<string, number> };
    const clickId = await click(offerId);

    const accepted = await send(testCase.conversion(token, clickId, goals));
    expect([accepted.status, await accepted.text()]).toEqual([200, expect.stringContaining('"ok":true')]);
    const [booked] = await waitFor(async () => {
      const rows = await conversionsOf(offerId);
      return rows.length > 0 ? rows : undefined;
    }, { timeoutMs: 30_000, what: `the ${preset} conversion` });
    expect(booked).toMatchObject({
      clickId,
      goalCode: testCase.booked.goal,
      saleAmount: testCase.booked.amount,
      currency: testCase.offerCurrency,
      status: testCase.booked.status,
    });

    const change = await send(testCase.change(token, clickId, goals));
    expect(change.status).toBe(200);
    const after = await waitFor(async () => {
      const rows = await conversionsOf(offerId);
      return rows.some((row) => row.status === testCase.changed) ? rows : undefined;
    }, { timeoutMs: 30_000, what: `the ${preset} change to ${testCase.changed}` });
    // The same conversion changed; no second one was booked.
    expect(after.map((row) => [row.conversionId, row.status])).toEqual([[booked.conversionId, testCase.changed]]);
  });
});
