import { CatalogGoal, CatalogOffer, CatalogSnapshot } from '@tracklane/catalog';
import { ConversionV1 } from '@tracklane/contracts';
import { Money, formatMoney } from '../money/decimal';
import { ConversionAmounts } from '../money/money-rules';
import { AttributedBy, assessConversion, Candidate } from '../rules/assess';
import { CapRequest } from '../rules/caps';
import { DecisionReason } from '../rules/reasons';
import { DecidedStatus, decidedStatus, StatusOutcome } from '../rules/status';
import { ConversionRecord } from './conversion-record';

export interface ClaimRequest {
  conversionId: string;
  /** null for a promo code's conversion, which claims its order only. */
  clickId: string | null;
  /** null when the goal allows several conversions per click, or there is no click. */
  goalId: number | null;
  advertiserId: number;
  orderId: string | null;
}

export type ClaimOutcome = 'claimed' | 'duplicate_click_goal' | 'duplicate_order';

/** The decisions that must hold across instances, taken in the transaction that books them. */
export interface DecisionStore {
  /** Claims click/goal and order ids in order; returns each request's outcome. */
  claim(requests: ClaimRequest[]): Promise<Map<string, ClaimOutcome>>;
  /** The conversion holding each request's click/goal claim, by the request's conversion id. */
  claimHolders(requests: ClaimRequest[]): Promise<Map<string, string>>;
  /** Takes cap slots in order; returns the requests that did not fit, with the full cap. */
  takeCapSlots(requests: CapRequest[]): Promise<Map<string, DecisionReason>>;
}

export interface ConversionToDecide {
  conversion: ConversionV1;
  by: AttributedBy;
}

export interface Decisions {
  /** Conversions to book, in the order of the items. */
  records: ConversionRecord[];
  /**
   * Later postbacks about a conversion already booked: no order id, on a
   * click and goal that allow one conversion, so they can only be that
   * conversion again. Rewritten as its status changes (their own event id,
   * the holder's conversion id): a status in them changes the conversion,
   * none changes nothing; neither is a second conversion.
   */
  laterStatuses: ConversionV1[];
}

/**
 * Decides conversions of known clicks, in order, in the order of
 * rules: click, advertiser, goal, window, minimum time and money (pure);
 * duplicates (claims); the fraud policy and the advertiser's status (pure);
 * caps (slots). Fraud and advertiser rejections come before caps so that a
 * conversion that will not count never takes a cap slot.
 */
export async function decideConversions(
  items: ConversionToDecide[],
  catalog: CatalogSnapshot,
  store: DecisionStore,
  decidedAt: number,
): Promise<Decisions> {
  const assessed = items.map((item) => ({ ...item, assessment: assessConversion(item.conversion, item.by, catalog) }));
  const candidates = assessed.filter(
    (item): item is ConversionToDecide & { assessment: Candidate } => item.assessment.verdict === 'candidate',
  );

  const claimable = candidates.filter(
    ({ conversion, by, assessment }) => ('click' in by && !assessment.goal.allowMultiple) || conversion.orderId !== null,
  );
  const claims =
    claimable.length > 0
      ? await store.claim(claimable.map(claimRequestOf))
      : new Map<string, ClaimOutcome>();

  // A duplicate of a click and goal that names no order is the conversion holding the claim, heard of again.
  const sameConversion = claimable.filter(
    ({ conversion, by }) => 'click' in by && conversion.orderId === null && claims.get(conversion.conversionId) === 'duplicate_click_goal',
  );
  const holders = sameConversion.length > 0 ? await store.claimHolders(sameConversion.map(claimRequestOf)) : new Map<string, string>();
  const laterStatuses: ConversionV1[] = [];
  for (const { conversion } of sameConversion) {
    const holder = holders.get(conversion.conversionId);
    if (holder !== undefined) laterStatuses.push({ ...conversion, kind: 'status_change', conversionId: holder });
  }
  const redirected = new Set(laterStatuses.map((message) => message.eventId));

  // Before caps: the duplicate rules, then the fraud policy and the advertiser's status.
  const outcomes = new Map<string, StatusOutcome>();
  const capRequests: CapRequest[] = [];
  for (const { conversion, by, assessment } of candidates) {
    if (redirected.has(conversion.eventId)) continue;
    const claim = claims.get(conversion.conversionId) ?? 'claimed';
    const outcome: StatusOutcome =
      claim === 'claimed'
        ? decidedStatus(conversion.status, assessment.goal.defaultStatus, assessment.fraud, 'click' in by ? 'attributed' : 'coupon')
        : { status: 'rejected', reason: claim };
    outcomes.set(conversion.conversionId, outcome);
    if (outcome.status !== 'rejected' && assessment.caps.length > 0) {
      capRequests.push({ id: conversion.conversionId, checks: assessment.caps });
    }
  }
  const capRefusals = capRequests.length > 0 ? await store.takeCapSlots(capRequests) : new Map<string, DecisionReason>();

  const records = assessed.flatMap(({ conversion, by, assessment }): ConversionRecord[] => {
    if (redirected.has(conversion.eventId)) return [];
    if (assessment.verdict === 'rejected') {
      // A click of another advertiser's offer is not this conversion's click.
      const attributedTo = assessment.reason === 'advertiser_mismatch' ? null : by;
      return [conversionRecord(conversion, attributedTo, { ...assessment, status: 'rejected', amounts: null, decidedAt })];
    }
    const capRefusal = capRefusals.get(conversion.conversionId);
    const outcome = capRefusal
      ? { status: 'rejected' as const, reason: capRefusal }
      : (outcomes.get(conversion.conversionId) as StatusOutcome);
    return [
      conversionRecord(conversion, by, {
        offer: assessment.offer,
        goal: assessment.goal,
        ...outcome,
        amounts: outcome.status === 'rejected' ? null : assessment.amounts,
        decidedAt,
      }),
    ];
  });
  return { records, laterStatuses };
}

function claimRequestOf({ conversion, by, assessment }: ConversionToDecide & { assessment: Candidate }): ClaimRequest {
  const click = 'click' in by ? by.click : null;
  return {
    conversionId: conversion.conversionId,
    clickId: click?.clickId ?? null,
    goalId: click === null || assessment.goal.allowMultiple ? null : assessment.goal.id,
    advertiserId: conversion.advertiserId,
    orderId: conversion.orderId,
  };
}

/** A conversion with no click (or promo code) to attribute it to: rejected, no money. */
export function unattributedRecord(
  conversion: ConversionV1,
  reason: Extract<DecisionReason, 'click_not_found' | 'click_expired' | 'coupon_not_found' | 'coupon_not_allowed' | 'coupon_offer_ambiguous'>,
  decidedAt: number,
): ConversionRecord {
  return conversionRecord(conversion, null, { offer: undefined, goal: undefined, status: 'rejected', reason, amounts: null, decidedAt });
}

// Rejected before the offer is known, a conversion is kept in the currency
// the advertiser reported, else in US dollars; its amounts are zero anyway.
const FALLBACK_CURRENCY = 'USD';

function conversionRecord(
  conversion: ConversionV1,
  by: AttributedBy | null,
  decision: {
    offer: CatalogOffer | undefined;
    goal: CatalogGoal | undefined;
    status: DecidedStatus;
    reason: DecisionReason;
    amounts: ConversionAmounts | null;
    decidedAt: number;
  },
): ConversionRecord {
  const click = by !== null && 'click' in by ? by.click : null;
  const coupon = by !== null && 'coupon' in by ? by : null;
  return {
    conversionId: conversion.conversionId,
    clickId: click?.clickId ?? null,
    reportedClickId: conversion.clickId,
    advertiserId: conversion.advertiserId,
    offerId: click?.offerId ?? coupon?.offer.id ?? null,
    affiliateId: click?.affiliateId ?? coupon?.coupon.affiliateId ?? null,
    goalId: decision.goal?.id ?? null,
    goalCode: decision.goal?.code ?? conversion.goal,
    orderId: conversion.orderId,
    status: decision.status,
    reason: decision.reason,
    saleAmount: conversion.amount === null ? null : formatMoney(new Money(conversion.amount)),
    revenue: decision.amounts?.revenue ?? '0.0000',
    payout: decision.amounts?.payout ?? '0.0000',
    currency: decision.amounts?.currency ?? decision.offer?.currency ?? conversion.currency ?? FALLBACK_CURRENCY,
    clickedAt: click?.clickedAt ?? null,
    convertedAt: Date.parse(conversion.receivedAt),
    decidedAt: decision.decidedAt,
    sub1: click?.sub1 ?? null,
    sub2: click?.sub2 ?? null,
    sub3: click?.sub3 ?? null,
    sub4: click?.sub4 ?? null,
    sub5: click?.sub5 ?? null,
    source: click?.source ?? null,
    affClickId: click?.affClickId ?? null,
    country: click?.country ?? null,
    device: click?.device ?? null,
    advSub1: conversion.advSub1,
    advSub2: conversion.advSub2,
    advSub3: conversion.advSub3,
    advSub4: conversion.advSub4,
    advSub5: conversion.advSub5,
    raw: conversion.raw,
    couponCode: conversion.couponCode ?? null,
  };
}
