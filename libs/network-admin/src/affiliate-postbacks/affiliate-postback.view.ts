import { AffiliatePostback } from '@tracklane/db';

export interface AffiliatePostbackView {
  affiliateId: number;
  offerId: number;
  /** Used for this offer instead of the affiliate's global postback URL. */
  url: string;
  method: 'GET' | 'POST';
  createdAt: string;
  updatedAt: string;
}

export function affiliatePostbackView(row: AffiliatePostback): AffiliatePostbackView {
  return {
    affiliateId: row.affiliateId,
    offerId: row.offerId,
    url: row.url,
    method: row.method as AffiliatePostbackView['method'],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
