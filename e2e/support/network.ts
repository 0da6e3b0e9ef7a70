import { dataOf, ManagementClient } from '@tracklane/api-client';
import { waitFor } from '@tracklane/testing';

export interface LoadOffer {
  id: number;
  advertiserId: number;
  /** The advertiser's postback token. */
  token: string;
}

export interface LoadNetwork {
  offers: LoadOffer[];
  affiliateIds: number[];
}

/** Advertiser `n` with its offer (USD, the click id and sub1 in its destination) and a sale goal: 10 % revenue, 2.50 payout. */
export async function createSaleOffer(admin: ManagementClient, n = 1): Promise<LoadOffer> {
  const advertiser = dataOf(await admin.POST('/v1/advertisers', { body: { name: `Advertiser ${n}` } }));
  const offer = dataOf(
    await admin.POST('/v1/offers', {
      body: {
        advertiserId: advertiser.id,
        name: `Offer ${n}`,
        destinationUrl: `https://shop${n}.example/landing?cid={click_id}&s1={sub1}`,
        currency: 'USD',
      },
    }),
  );
  dataOf(
    await admin.POST('/v1/offers/{offerId}/goals', {
      params: { path: { offerId: offer.id } },
      body: { code: 'sale', name: 'Sale', revenue: { type: 'percent', percent: '10' }, payout: { type: 'fixed', amount: '2.50' } },
    }),
  );
  return { id: offer.id, advertiserId: advertiser.id, token: advertiser.postbackToken };
}

/**
 * A network for traffic, set up through the management API: each offer has
 * its own advertiser and a sale goal (10 % revenue, 2.50 payout); every
 * affiliate is approved on every offer and hears of approved and refunded
 * conversions at `affiliatePostbackUrl`.
 */
export async function createNetwork(
  admin: ManagementClient,
  options: { offers: number; affiliates: number; affiliatePostbackUrl: string },
): Promise<LoadNetwork> {
  const offers: LoadOffer[] = [];
  for (let index = 0; index < options.offers; index++) offers.push(await createSaleOffer(admin, index + 1));
  const affiliateIds: number[] = [];
  for (let index = 0; index < options.affiliates; index++) {
    const affiliate = dataOf(
      await admin.POST('/v1/affiliates', {
        body: {
          name: `Affiliate ${index + 1}`,
          postbackUrl: `${options.affiliatePostbackUrl}?cid={click_id}&status={status}&payout={payout}`,
          postbackStatuses: ['approved', 'refunded'],
        },
      }),
    );
    affiliateIds.push(affiliate.id);
    for (const offer of offers) {
      dataOf(await admin.PUT('/v1/approvals/{offerId}/{affiliateId}', { params: { path: { offerId: offer.id, affiliateId: affiliate.id } }, body: { status: 'approved' } }));
    }
  }
  return { offers, affiliateIds };
}

/**
 * A visitor's click on the affiliate's tracking link, once click-ingest redirects it (it learns of a new offer and
 * approval through the catalogue's invalidation); the click id from the offer URL. A timeout names the last answer:
 * a 404 is an offer click-ingest has not heard of, a 200 page an approval it has not.
 */
export async function redirectedClick(clickIngest: string, offerId: number, affiliateId: number, params: Record<string, string> = {}): Promise<string> {
  const query = new URLSearchParams({ aff_id: String(affiliateId), ...params });
  const location = await waitFor(
    async () => {
      const response = await fetch(`${clickIngest}/c/${offerId}?${query}`, { redirect: 'manual' });
      const page = await response.text();
      if (response.status !== 302) throw new Error(`click-ingest answered ${response.status} ${page.slice(0, 80)}`);
      return response.headers.get('location') ?? undefined;
    },
    { timeoutMs: 30_000, what: 'a 302 to the offer' },
  );
  return new URL(location).searchParams.get('cid') ?? '';
}
