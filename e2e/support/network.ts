import { dataOf, ManagementClient } from '@tracklane/api-client';

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
  for (let index = 0; index < options.offers; index++) {
    const advertiser = dataOf(await admin.POST('/v1/advertisers', { body: { name: `Advertiser ${index + 1}` } }));
    const offer = dataOf(
      await admin.POST('/v1/offers', {
        body: {
          advertiserId: advertiser.id,
          name: `Offer ${index + 1}`,
          destinationUrl: `https://shop${index + 1}.example/landing?cid={click_id}&s1={sub1}`,
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
    offers.push({ id: offer.id, advertiserId: advertiser.id, token: advertiser.postbackToken });
  }
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
