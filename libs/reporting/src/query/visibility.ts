import { Principal } from '@tracklane/api-keys';

/**
 * What one API key may see. Affiliates: their own rows, never revenue (nor
 * anything derived from it) and never the advertiser behind an offer.
 * Advertisers: their own offers' rows, and payouts only when the network
 * allows it. Admins: everything.
 */
export interface Visibility {
  role: Principal['role'];
  revenue: boolean;
  payout: boolean;
  /** Rows are limited to this advertiser or affiliate, whatever the request says. */
  advertiserId: number | null;
  affiliateId: number | null;
}

export function visibilityOf(principal: Principal, network: { advertisersSeePayouts: boolean }): Visibility {
  switch (principal.role) {
    case 'admin':
      return { role: 'admin', revenue: true, payout: true, advertiserId: null, affiliateId: null };
    case 'advertiser':
      return {
        role: 'advertiser',
        revenue: true,
        payout: network.advertisersSeePayouts,
        advertiserId: principal.advertiserId,
        affiliateId: null,
      };
    case 'affiliate':
      return { role: 'affiliate', revenue: false, payout: true, advertiserId: null, affiliateId: principal.affiliateId };
  }
}

export function mayReveal(visibility: Visibility, reveals: readonly ('revenue' | 'payout')[]): boolean {
  return reveals.every((what) => visibility[what]);
}
