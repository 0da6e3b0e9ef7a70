import { AttributionStatus, AttributionV1 } from '@tracklane/contracts';
import { ConversionRecord } from './conversion-record';

export interface StatusChangeRecord {
  /** The conversions.v1 event that asked for it; also the ledger's event id. */
  eventId: string;
  conversionId: string;
  fromStatus: AttributionStatus;
  toStatus: AttributionStatus;
  reason: string;
  changedAt: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function event(record: ConversionRecord): Omit<AttributionV1, 'kind' | 'eventId' | 'status' | 'previousStatus' | 'reason' | 'decidedAt'> {
  return {
    v: 1,
    conversionId: record.conversionId,
    clickId: record.clickId,
    advertiserId: record.advertiserId,
    offerId: record.offerId,
    affiliateId: record.affiliateId,
    goalId: record.goalId,
    goalCode: record.goalCode,
    revenue: record.revenue,
    payout: record.payout,
    currency: record.currency,
    saleAmount: record.saleAmount,
    orderId: record.orderId,
    clickAt: iso(record.clickedAt),
    convertedAt: new Date(record.convertedAt).toISOString(),
    sub1: record.sub1,
    sub2: record.sub2,
    sub3: record.sub3,
    sub4: record.sub4,
    sub5: record.sub5,
    source: record.source,
    affClickId: record.affClickId,
    country: record.country,
    device: record.device,
    // Only when posted: events of conversions without a code stay byte for byte what they were.
    ...(record.couponCode !== null && { couponCode: record.couponCode }),
  };
}

/** The decision as published: its event id is the conversion id, so a republished decision is recognisably the same. */
export function decisionEvent(record: ConversionRecord): AttributionV1 {
  return {
    ...event(record),
    kind: 'decision',
    eventId: record.conversionId,
    status: record.status,
    previousStatus: null,
    reason: record.reason,
    decidedAt: new Date(record.decidedAt).toISOString(),
  };
}

/** A status change as published, with the conversion's full amounts (consumers derive deltas from the two statuses). */
export function statusChangeEvent(record: ConversionRecord, change: StatusChangeRecord): AttributionV1 {
  return {
    ...event(record),
    kind: 'status_change',
    eventId: change.eventId,
    status: change.toStatus,
    previousStatus: change.fromStatus,
    reason: change.reason,
    decidedAt: new Date(change.changedAt).toISOString(),
  };
}
