import { DecidedStatus } from '../rules/status';

/** A conversions row: the first decision about a conversion, as booked. */
export interface ConversionRecord {
  conversionId: string;
  /** The click it was attributed to; null when unattributed. */
  clickId: string | null;
  /** The click id the advertiser reported, found or not. */
  reportedClickId: string | null;
  advertiserId: number;
  offerId: number | null;
  affiliateId: number | null;
  goalId: number | null;
  goalCode: string | null;
  orderId: string | null;
  status: DecidedStatus;
  reason: string;
  saleAmount: string | null;
  /** Four-place decimal strings; zero for a rejected conversion, which books no money. */
  revenue: string;
  payout: string;
  currency: string;
  /** Epoch ms. */
  clickedAt: number | null;
  convertedAt: number;
  decidedAt: number;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  source: string | null;
  affClickId: string | null;
  country: string | null;
  device: string | null;
  advSub1: string | null;
  advSub2: string | null;
  advSub3: string | null;
  advSub4: string | null;
  advSub5: string | null;
  raw: Record<string, string>;
  /** The promo code the conversion was posted with, whoever it was attributed to. */
  couponCode: string | null;
}
