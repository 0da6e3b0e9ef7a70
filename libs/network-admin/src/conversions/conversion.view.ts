import { Visibility } from '@tracklane/api-auth';
import { Conversion, ConversionStatusChange } from '@tracklane/db';

export type ConversionStatus = 'approved' | 'pending' | 'rejected' | 'refunded';

/** A conversion as the ledger decided it, with the fields the caller's role may see. */
export interface ConversionView {
  conversionId: string;
  clickId: string | null;
  advertiserId?: number;
  offerId: number | null;
  affiliateId?: number | null;
  goalId: number | null;
  goalCode: string | null;
  orderId?: string | null;
  /** The status now: the last status change, else the first decision. */
  status: ConversionStatus;
  reason: string;
  saleAmount?: string | null;
  revenue?: string;
  payout?: string;
  currency: string;
  clickedAt: string | null;
  convertedAt: string;
  decidedAt: string;
  sub1?: string | null;
  sub2?: string | null;
  sub3?: string | null;
  sub4?: string | null;
  sub5?: string | null;
  source?: string | null;
  affClickId?: string | null;
  country: string | null;
  device: string | null;
  advSub1?: string | null;
  advSub2?: string | null;
  advSub3?: string | null;
  advSub4?: string | null;
  advSub5?: string | null;
}

type ConversionRow = Conversion & { statusChanges: ConversionStatusChange[] };

const money = (value: { toFixed(places: number): string } | null) => (value === null ? null : value.toFixed(4));

/**
 * The fields of a conversion the caller may see, by libs/api-auth's policy
 * (the same the reporting API applies): affiliates never see revenue, the
 * sale or the advertiser's data; advertisers see affiliate ids and sub ids,
 * and payouts only when the network allows it.
 */
export function conversionView(row: ConversionRow, visibility: Visibility): ConversionView {
  const common = {
    conversionId: row.conversionId,
    clickId: row.clickId,
    offerId: row.offerId,
    goalId: row.goalId,
    goalCode: row.goalCode,
    status: (row.statusChanges[0]?.toStatus ?? row.status) as ConversionStatus,
    reason: row.statusChanges[0]?.reason ?? row.reason,
    currency: row.currency.trim(),
    clickedAt: row.clickedAt?.toISOString() ?? null,
    convertedAt: row.convertedAt.toISOString(),
    decidedAt: row.decidedAt.toISOString(),
    country: row.country,
    device: row.device,
  };
  const advertiserSide = visibility.advertiserData && {
    advertiserId: row.advertiserId,
    orderId: row.orderId,
    saleAmount: money(row.saleAmount),
    advSub1: row.advSub1,
    advSub2: row.advSub2,
    advSub3: row.advSub3,
    advSub4: row.advSub4,
    advSub5: row.advSub5,
  };
  const affiliateSide = visibility.affiliateData && {
    affiliateId: row.affiliateId,
    sub1: row.sub1,
    sub2: row.sub2,
    sub3: row.sub3,
    sub4: row.sub4,
    sub5: row.sub5,
    source: row.source,
    affClickId: row.affClickId,
  };
  return {
    ...common,
    ...advertiserSide,
    ...(visibility.revenue && { revenue: money(row.revenue) as string }),
    ...affiliateSide,
    ...(visibility.payout && { payout: money(row.payout) as string }),
  };
}
