import { ApiKeyRole } from '@tracklane/api-keys';

/** Whoever asks: an API key's principal, or an operator tool acting as the network ("system"). */
export interface Viewer {
  role: ApiKeyRole | 'system';
  advertiserId: number | null;
  affiliateId: number | null;
}

/**
 * What one caller may see, the same in the management and the reporting API
 * (the one policy both read, so a field hidden in one is hidden in the other):
 *
 * | role       | rows                  | sees                                                   | never sees |
 * | admin      | all                   | everything                                             | —          |
 * | advertiser | its own offers' rows  | revenue, the sale (amount, order id, adv_sub1–5), affiliate ids (not names) and sub ids | payouts, unless the network allows it |
 * | affiliate  | its own rows          | payouts, its sub ids                                   | revenue, the sale amount, order ids, adv_sub1–5, the advertiser behind an offer |
 */
export interface Visibility {
  role: ApiKeyRole;
  revenue: boolean;
  payout: boolean;
  /** The advertiser's side of a conversion: advertiser id, sale amount, order id, adv_sub1–5. */
  advertiserData: boolean;
  /** The affiliate's side: affiliate id, sub1–5, source, aff_click_id. */
  affiliateData: boolean;
  /** Rows are limited to this advertiser or affiliate, whatever the request says. */
  advertiserId: number | null;
  affiliateId: number | null;
}

export interface NetworkVisibility {
  /** network_settings.advertisers_see_payouts */
  advertisersSeePayouts: boolean;
}

export function visibilityOf(viewer: Viewer, network: NetworkVisibility): Visibility {
  switch (viewer.role) {
    case 'admin':
    case 'system':
      return { role: 'admin', revenue: true, payout: true, advertiserData: true, affiliateData: true, advertiserId: null, affiliateId: null };
    case 'advertiser':
      return {
        role: 'advertiser',
        revenue: true,
        payout: network.advertisersSeePayouts,
        advertiserData: true,
        affiliateData: true,
        advertiserId: viewer.advertiserId ?? -1,
        affiliateId: null,
      };
    case 'affiliate':
      return {
        role: 'affiliate',
        revenue: false,
        payout: true,
        advertiserData: false,
        affiliateData: true,
        advertiserId: null,
        affiliateId: viewer.affiliateId ?? -1,
      };
  }
}

export function mayReveal(visibility: Visibility, reveals: readonly ('revenue' | 'payout')[]): boolean {
  return reveals.every((what) => visibility[what]);
}
