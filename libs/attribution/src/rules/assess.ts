import { CatalogCoupon, CatalogGoal, CatalogOffer, CatalogSnapshot, compareDecimals } from '@tracklane/catalog';
import { ConversionV1 } from '@tracklane/contracts';
import { ClickRecord } from '../clicks/click-record';
import { ConversionAmounts, conversionAmounts } from '../money/money-rules';
import { CapCheck, capChecks } from './caps';
import { FraudVerdict, fraudVerdict } from './fraud-policy';
import { DecisionReason } from './reasons';
import { timingRejection } from './timing';

/** A conversion of a known click that the click, offer, goal, timing and money rules let through. */
export interface Candidate {
  verdict: 'candidate';
  offer: CatalogOffer;
  goal: CatalogGoal;
  amounts: ConversionAmounts;
  fraud: FraudVerdict;
  caps: CapCheck[];
}

export interface Rejection {
  verdict: 'rejected';
  reason: DecisionReason;
  offer: CatalogOffer | undefined;
  goal: CatalogGoal | undefined;
}

export type Assessment = Candidate | Rejection;

/** What a conversion is attributed by: its click, or a promo code standing for an affiliate on an offer. */
export type AttributedBy = { click: ClickRecord } | { coupon: CatalogCoupon; offer: CatalogOffer };

/** A promo code vouches for no visitor: no click flags to judge. */
const NO_FRAUD_SIGNAL: FraudVerdict = { action: 'allow', reason: null };

/**
 * The rules that need nothing but the conversion, what it is attributed by
 * and the catalogue, in order: the click sent traffic to the offer, the
 * postback comes from the offer's advertiser, the goal exists, the
 * conversion falls in the attribution window and not faster than the
 * minimum time, its amount is within the offer's bound, and its money can be
 * computed. A promo code has no click: its offer is the advertiser's by
 * construction (CatalogSnapshot.coupon), and window, minimum time and click
 * fraud flags do not apply. What passes still has to clear duplicates and caps.
 */
export function assessConversion(conversion: ConversionV1, by: AttributedBy, catalog: CatalogSnapshot): Assessment {
  const reject = (reason: DecisionReason, offer?: CatalogOffer, goal?: CatalogGoal): Rejection => ({
    verdict: 'rejected',
    reason,
    offer,
    goal,
  });
  const click = 'click' in by ? by.click : null;
  if (click && click.disposition !== 'accepted') return reject('click_not_accepted', catalog.offer(click.offerId));
  if (click && click.advertiserId !== conversion.advertiserId) return reject('advertiser_mismatch');
  const offer = 'click' in by ? catalog.offer(by.click.offerId) : by.offer;
  if (!offer) return reject('offer_not_found');
  const affiliateId = 'click' in by ? by.click.affiliateId : by.coupon.affiliateId;
  const goal = catalog.goal(offer.id, conversion.goal);
  if (!goal) return reject('goal_not_found', offer);
  const timing = click && timingRejection(click.clickedAt, Date.parse(conversion.receivedAt), offer);
  if (timing) return reject(timing, offer, goal);
  // postback-ingest refused what no offer of the advertiser accepts; this offer's own bound may be lower.
  if (conversion.amount !== null && compareDecimals(conversion.amount, catalog.amountLimit(offer)) > 0) {
    return reject('amount_out_of_range', offer, goal);
  }
  const money = conversionAmounts({
    goal,
    override: catalog.payoutOverride(offer.id, affiliateId, goal.id),
    offerCurrency: offer.currency,
    saleAmount: conversion.amount,
    saleCurrency: conversion.currency,
  });
  if (!money.ok) return reject(money.reason, offer, goal);
  return {
    verdict: 'candidate',
    offer,
    goal,
    amounts: money.amounts,
    fraud: click ? fraudVerdict(click, offer) : NO_FRAUD_SIGNAL,
    caps: capChecks(offer, catalog.approval(offer.id, affiliateId), affiliateId, Date.parse(conversion.receivedAt)),
  };
}
