import { OfferAffiliate } from '@tracklane/db';

export type ApprovalStatus = 'approved' | 'pending' | 'rejected' | 'blocked';

export interface ApprovalView {
  offerId: number;
  affiliateId: number;
  status: ApprovalStatus;
  /** Overrides the offer's per-affiliate daily cap; null uses it. */
  dailyCap: number | null;
  monthlyCap: number | null;
  createdAt: string;
  updatedAt: string;
}

export function approvalView(row: OfferAffiliate): ApprovalView {
  return {
    offerId: row.offerId,
    affiliateId: row.affiliateId,
    status: row.status as ApprovalStatus,
    dailyCap: row.dailyCap,
    monthlyCap: row.monthlyCap,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
