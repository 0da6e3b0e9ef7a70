import { apiClient } from './whole-platform';

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
  admin: ReturnType<typeof apiClient>,
  options: { offers: number; affiliates: number; affiliatePostbackUrl: string },
): Promise<LoadNetwork> {
  const offers: LoadOffer[] = [];
  for (let index = 0; index < options.offers; index++) {
    const advertiser = await admin.post<{ id: number; postbackToken: string }>('/v1/advertisers', { name: `Advertiser ${index + 1}` });
    const offer = await admin.post<{ id: number }>('/v1/offers', {
      advertiserId: advertiser.id,
      name: `Offer ${index + 1}`,
      destinationUrl: `https://shop${index + 1}.example/landing?cid={click_id}&s1={sub1}`,
      currency: 'USD',
    });
    await admin.post(`/v1/offers/${offer.id}/goals`, {
      code: 'sale',
      name: 'Sale',
      revenue: { type: 'percent', percent: '10' },
      payout: { type: 'fixed', amount: '2.50' },
    });
    offers.push({ id: offer.id, advertiserId: advertiser.id, token: advertiser.postbackToken });
  }
  const affiliateIds: number[] = [];
  for (let index = 0; index < options.affiliates; index++) {
    const affiliate = await admin.post<{ id: number }>('/v1/affiliates', {
      name: `Affiliate ${index + 1}`,
      postbackUrl: `${options.affiliatePostbackUrl}?cid={click_id}&status={status}&payout={payout}`,
      postbackStatuses: ['approved', 'refunded'],
    });
    affiliateIds.push(affiliate.id);
    for (const offer of offers) await admin.put(`/v1/approvals/${offer.id}/${affiliate.id}`, { status: 'approved' });
  }
  return { offers, affiliateIds };
}
