import { AttributionStatus, AttributionV1 } from '@tracklane/contracts';

/** A row of rep_conversions: a conversion's current state (times as Postgres accepts them, money as decimal strings). */
export interface ConversionRow {
  conversion_id: string;
  click_id: string | null;
  advertiser_id: number;
  offer_id: number | null;
  affiliate_id: number | null;
  goal_id: number | null;
  goal_code: string | null;
  status: AttributionStatus;
  reason: string;
  revenue: string;
  payout: string;
  currency: string;
  sale_amount: string | null;
  order_id: string | null;
  clicked_at: string | null;
  converted_at: string;
  first_decided_at: string;
  last_decided_at: string;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  source: string | null;
  aff_click_id: string | null;
  country: string | null;
  device: string | null;
  last_event_id: string;
  coupon_code: string | null;
}

export type AnomalyKind = 'status_change_before_decision' | 'repeated_decision' | 'previous_status_mismatch';

/** Something attribution sent that its own rules say cannot happen; applied anyway, and logged. */
export interface Anomaly {
  kind: AnomalyKind;
  conversionId: string;
  eventId: string;
  detail?: string;
}

function fromEvent(event: AttributionV1): ConversionRow {
  return {
    conversion_id: event.conversionId,
    click_id: event.clickId,
    advertiser_id: event.advertiserId,
    offer_id: event.offerId,
    affiliate_id: event.affiliateId,
    goal_id: event.goalId,
    goal_code: event.goalCode,
    status: event.status,
    reason: event.reason,
    revenue: event.revenue,
    payout: event.payout,
    currency: event.currency,
    sale_amount: event.saleAmount,
    order_id: event.orderId,
    clicked_at: event.clickAt,
    converted_at: event.convertedAt,
    first_decided_at: event.decidedAt,
    last_decided_at: event.decidedAt,
    sub1: event.sub1,
    sub2: event.sub2,
    sub3: event.sub3,
    sub4: event.sub4,
    sub5: event.sub5,
    source: event.source,
    aff_click_id: event.affClickId,
    country: event.country,
    device: event.device,
    last_event_id: event.eventId,
    coupon_code: event.couponCode ?? null,
  };
}

/**
 * A conversion's dimensions and time are fixed by its first decision (so its
 * rollup rows and its month partition never change); a later event changes its status, reason and
 * amounts. Events carry full amounts, not deltas, so the latest one wins.
 */
function changed(current: ConversionRow, event: AttributionV1): ConversionRow {
  return {
    ...current,
    status: event.status,
    reason: event.reason,
    revenue: event.revenue,
    payout: event.payout,
    currency: event.currency,
    sale_amount: event.saleAmount ?? current.sale_amount,
    order_id: current.order_id ?? event.orderId,
    last_decided_at: event.decidedAt,
    last_event_id: event.eventId,
  };
}

/**
 * Applies new attributions.v1 events, in order, to the conversions' current
 * states. Returns the final state of every conversion touched; the rollups
 * then take back each old state and add each new one.
 */
export function applyAttributions(
  current: ReadonlyMap<string, ConversionRow>,
  events: readonly AttributionV1[],
): { states: ConversionRow[]; anomalies: Anomaly[] } {
  const states = new Map(current);
  const touched = new Set<string>();
  const anomalies: Anomaly[] = [];
  for (const event of events) {
    const known = states.get(event.conversionId);
    const anomaly = (kind: AnomalyKind, detail?: string) =>
      anomalies.push({ kind, conversionId: event.conversionId, eventId: event.eventId, ...(detail ? { detail } : {}) });
    if (!known) {
      if (event.kind === 'status_change') anomaly('status_change_before_decision');
      states.set(event.conversionId, fromEvent(event));
    } else {
      if (event.kind === 'decision') anomaly('repeated_decision');
      else if (event.previousStatus !== known.status) {
        anomaly('previous_status_mismatch', `event says ${event.previousStatus}, read model has ${known.status}`);
      }
      states.set(event.conversionId, changed(known, event));
    }
    touched.add(event.conversionId);
  }
  return { states: [...touched].map((id) => states.get(id) as ConversionRow), anomalies };
}
