import { CouponCode } from '@tracklane/db';

export interface CouponCodeView {
  id: number;
  /** As entered (trimmed, NFC); matched without regard to case. */
  code: string;
  affiliateId: number;
  /** null: network-wide, for any offer of the posting advertiser the affiliate may run. */
  offerId: number | null;
  createdAt: string;
}

export function couponCodeView(row: CouponCode): CouponCodeView {
  return {
    id: row.id,
    code: row.code,
    affiliateId: row.affiliateId,
    offerId: row.offerId,
    createdAt: row.createdAt.toISOString(),
  };
}
