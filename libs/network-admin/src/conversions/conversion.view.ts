import { Conversion, ConversionStatusChange, NetworkSettings } from '@tracklane/db';
import { Actor, advertiserOf, affiliateOf } from '../access';

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
 * Affiliates never see revenue, the sale or the advertiser's data; advertisers
 * never see the affiliate's identity or sub ids, nor payouts unless the
 * network allows it.
 */
export function conversionView(row: ConversionRow, actor: Actor, settings: NetworkSettings | null): ConversionView {
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
  const advertiserSide = {
    advertiserId: row.advertiserId,
    orderId: row.orderId,
    saleAmount: money(row.saleAmount),
    revenue: money(row.revenue) as string,
    advSub1: row.advSub1,
    advSub2: row.advSub2,
    advSub3: row.advSub3,
    advSub4: row.advSub4,
    advSub5: row.advSub5,
  };
  const affiliateSide = {
    affiliateId: row.affiliateId,
    sub1: row.sub1,
    sub2: row.sub2,
    sub3: row.sub3,
    sub4: row.sub4,
    sub5: row.sub5,
    source: row.source,
    affClickId: row.affClickId,
  };
  const payout = money(row.payout) as string;
  if (affiliateOf(actor) !== null) return { ...common, ...affiliateSide, payout };
  if (advertiserOf(actor) !== null) {
    return { ...common, ...advertiserSide, ...(settings?.advertisersSeePayouts ? { payout } : {}) };
  }
  return { ...common, ...advertiserSide, ...affiliateSide, payout };
}
