import { dataOf, managementClient, ManagementClient, reportingClient, ReportingClient } from '@tracklane/api-client';
import { waitFor } from '@tracklane/testing';
import { startWholePlatform, WholePlatform } from '../support/whole-platform';

interface StatsRow {
  currency: string;
  clicks: number;
  conversions: number;
  refunded_conversions: number;
  revenue: string;
  payout: string;
}

/**
 * The whole story through HTTP only, as a network, an affiliate and an
 * advertiser live it: set up an offer, click, convert, get paid, see it in the
 * reports — then a refund reverses everything.
 */
describe('the platform end to end', () => {
  let world: WholePlatform;
  // Through the typed client the operator console uses (libs/api-client).
  let admin: ManagementClient;
  let reports: ReportingClient;
  let offerId: number;
  let affiliateId: number;
  let token: string;
  let trackingLink: string;
  let clickId: string;
  /** Every click click-ingest recorded: one, plus any that went to the fallback before the approval reached it. */
  let clicksRecorded = 0;
  // A window around now, so a run that crosses midnight still finds its rows.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const period = { from: day(-1), to: day(1) };

  beforeAll(async () => {
    world = await startWholePlatform();
    admin = managementClient({ baseUrl: world.url('management'), apiKey: world.adminKey });
    reports = reportingClient({ baseUrl: world.url('reporting'), apiKey: world.adminKey });
  });
  afterAll(() => world?.stop());

  async function stats(): Promise<StatsRow | undefined> {
    const report = dataOf(await reports.GET('/v1/reports/stats', { params: { query: { ...period, group_by: 'offer', offer_id: [String(offerId)] } } }));
    // A stats row's columns follow group_by and metrics, so the document types it loosely.
    return report.rows[0] as Partial<StatsRow> as StatsRow | undefined;
  }

  it('sets up an advertiser, an offer with a sale goal, and an approved affiliate with a postback URL', async () => {
    const advertiser = dataOf(await admin.POST('/v1/advertisers', { body: { name: 'Acme Shoes' } }));
    token = advertiser.postbackToken;
    const offer = dataOf(
      await admin.POST('/v1/offers', {
        body: {
          advertiserId: advertiser.id,
          name: 'Running shoes',
          destinationUrl: 'https://shop.example/landing?cid={click_id}&s1={sub1}',
          currency: 'USD',
        },
      }),
    );
    offerId = offer.id;
    dataOf(
      await admin.POST('/v1/offers/{offerId}/goals', {
        params: { path: { offerId } },
        body: { code: 'sale', name: 'Sale', revenue: { type: 'percent', percent: '10' }, payout: { type: 'fixed', amount: '2.50' } },
      }),
    );
    const affiliate = dataOf(
      await admin.POST('/v1/affiliates', {
        body: {
          name: 'Coupon Heroes',
          postbackUrl: `${world.affiliateServer.url}/pb?cid={click_id}&s1={sub1}&status={status}&payout={payout}&cur={currency}`,
          postbackStatuses: ['approved', 'refunded'],
        },
      }),
    );
    affiliateId = affiliate.id;
    dataOf(await admin.PUT('/v1/approvals/{offerId}/{affiliateId}', { params: { path: { offerId, affiliateId } }, body: { status: 'approved' } }));
    const link = dataOf(
      await admin.GET('/v1/offers/{offerId}/tracking-link', { params: { path: { offerId }, query: { affiliate_id: affiliateId, sub1: 'spring' } } }),
    );
    // The affiliate's traffic source fills the placeholders it has and drops the rest.
    trackingLink = link.url.replace(/&[a-z_0-9]+=\{[a-z_0-9]+\}/g, '');
    expect(trackingLink).toBe(`${world.url('click-ingest')}/c/${offerId}?aff_id=${affiliateId}&sub1=spring`);
  });

  it('redirects a click to the advertiser with an unguessable click id', async () => {
    // The new offer reaches click-ingest through the catalogue invalidation, within a second on a quiet machine.
    // Until its approval has arrived too, a click is recorded and answered "not available" (the offer has no
    // fallback URL): count those as well. An offer click-ingest has not heard of yet records nothing.
    const location = await waitFor(
      async () => {
        const response = await fetch(trackingLink, { redirect: 'manual' });
        const target = response.headers.get('location') ?? '';
        const page = await response.text();
        if (response.status === 302 || page.startsWith('This offer is not available.')) clicksRecorded++;
        return response.status === 302 && target.startsWith('https://shop.example/') ? target : undefined;
      },
      { timeoutMs: 30_000, what: 'a 302 to the offer' },
    );
    const url = new URL(location);
    clickId = url.searchParams.get('cid') ?? '';
    expect(clickId).toMatch(/^[0-9a-hjkmnp-tv-z]{30}$/);
    expect(url.searchParams.get('s1')).toBe('spring');
  });

  it('accepts the advertiser postback, attributes it, pays the affiliate and tells its server', async () => {
    const postback = await fetch(
      `${world.url('postback-ingest')}/postback?token=${token}&click_id=${clickId}&order_id=A-1&amount=120.00&currency=USD&goal=sale`,
    );
    expect(postback.status).toBe(200);
    expect(await postback.json()).toMatchObject({ ok: true, kind: 'conversion', clickId });

    const received = await waitFor(
      () => world.affiliateServer.succeeded().find((request) => request.url.includes(`cid=${clickId}`)),
      { timeoutMs: 30_000, what: 'the outbound postback' },
    );
    const query = new URL(received.url, 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({ cid: clickId, s1: 'spring', status: 'approved', payout: '2.5000', cur: 'USD' });
    expect(received.url).not.toContain('12.0000'); // the advertiser's revenue never reaches the affiliate
  });

  it('reports the click, the conversion, revenue and payout, equal to the ledger', async () => {
    const row = await waitFor(async () => {
      const current = await stats();
      return current && current.clicks === clicksRecorded && current.conversions === 1 ? current : undefined;
    }, { timeoutMs: 30_000, what: 'the report' });
    expect(row).toMatchObject({ currency: 'USD', clicks: clicksRecorded, conversions: 1, revenue: '12.0000', payout: '2.5000' });

    const reconciliation = dataOf(await reports.GET('/v1/reconciliation', { params: { query: period } }));
    expect(reconciliation.balanced).toBe(true);
  });

  it('reverses everything on a refund: ledger, affiliate postback and reports', async () => {
    const refund = await fetch(
      `${world.url('postback-ingest')}/postback?token=${token}&click_id=${clickId}&order_id=A-1&goal=sale&status=refunded`,
    );
    expect(refund.status).toBe(200);
    expect(await refund.json()).toMatchObject({ ok: true, kind: 'status_change' });

    await waitFor(
      () => world.affiliateServer.succeeded().find((request) => request.url.includes('status=refunded')),
      { timeoutMs: 30_000, what: 'the refund postback' },
    );
    const row = await waitFor(async () => {
      const current = await stats();
      return current && current.refunded_conversions === 1 ? current : undefined;
    }, { timeoutMs: 30_000, what: 'the refund in the report' });
    expect(row).toMatchObject({ clicks: clicksRecorded, conversions: 0, refunded_conversions: 1, revenue: '0.0000', payout: '0.0000' });

    const reconciliation = dataOf(await reports.GET('/v1/reconciliation', { params: { query: period } }));
    expect(reconciliation.balanced).toBe(true);
    // One outbound postback per status, never more.
    expect(world.affiliateServer.succeeded()).toHaveLength(2);
  });

  it('stops honouring an API key on every service within a second of its revocation', async () => {
    const issued = dataOf(await admin.POST('/v1/api-keys', { body: { name: 'analyst', role: 'affiliate', affiliateId } }));
    const asAffiliate = { headers: { authorization: `Bearer ${issued.key}` } };
    const statusOf = async (service: string, path: string) => (await fetch(`${world.url(service)}${path}`, asAffiliate)).status;
    const paths: Array<[string, string]> = [
      ['management', '/v1/me'],
      ['reporting', `/v1/reports/stats?from=${period.from}&to=${period.to}`],
    ];
    for (const [service, path] of paths) expect([service, await statusOf(service, path)]).toEqual([service, 200]);

    await admin.DELETE('/v1/api-keys/{keyId}', { params: { path: { keyId: issued.id } } });
    const revokedAt = Date.now();
    for (const [service, path] of paths) expect([service, await statusOf(service, path)]).toEqual([service, 401]);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });
});
