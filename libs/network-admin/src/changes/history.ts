import { Tx } from './change-log';

/**
 * What counts as history: anything that refers to an object and would be
 * left dangling, or lose its meaning, if the object vanished. An object with
 * history is archived instead of deleted. Each probe returns why, or null.
 */
const first = async (checks: Array<[() => Promise<unknown>, string]>): Promise<string | null> => {
  for (const [probe, reason] of checks) if (await probe()) return reason;
  return null;
};

export function advertiserHistory(tx: Tx, id: number): Promise<string | null> {
  return first([
    [() => tx.offer.findFirst({ where: { advertiserId: id }, select: { id: true } }), 'it has offers'],
    [() => tx.conversion.findFirst({ where: { advertiserId: id }, select: { conversionId: true } }), 'it has conversions'],
    [() => tx.apiKey.findFirst({ where: { advertiserId: id }, select: { id: true } }), 'it has API keys'],
  ]);
}

export function offerHistory(tx: Tx, id: number): Promise<string | null> {
  return first([
    [() => tx.conversion.findFirst({ where: { offerId: id }, select: { conversionId: true } }), 'it has conversions'],
    [() => tx.offerAffiliate.findFirst({ where: { offerId: id }, select: { offerId: true } }), 'affiliates were approved for it'],
    [() => tx.payoutOverride.findFirst({ where: { offerId: id }, select: { id: true } }), 'it has payout overrides'],
    [() => tx.affiliatePostback.findFirst({ where: { offerId: id }, select: { id: true } }), 'affiliates set postbacks for it'],
    [() => tx.couponCode.findFirst({ where: { offerId: id }, select: { id: true } }), 'it has coupon codes'],
  ]);
}

export function goalHistory(tx: Tx, goal: { id: number; offerId: number }): Promise<string | null> {
  return first([
    // offer_id first so the ledger's (offer_id, converted_at) index serves the lookup.
    [
      () => tx.conversion.findFirst({ where: { offerId: goal.offerId, goalId: goal.id }, select: { conversionId: true } }),
      'it has conversions',
    ],
    [() => tx.payoutOverride.findFirst({ where: { goalId: goal.id }, select: { id: true } }), 'it has payout overrides'],
  ]);
}

export function affiliateHistory(tx: Tx, id: number): Promise<string | null> {
  return first([
    [() => tx.conversion.findFirst({ where: { affiliateId: id }, select: { conversionId: true } }), 'it has conversions'],
    [() => tx.offerAffiliate.findFirst({ where: { affiliateId: id }, select: { offerId: true } }), 'it was approved for offers'],
    [() => tx.payoutOverride.findFirst({ where: { affiliateId: id }, select: { id: true } }), 'it has payout overrides'],
    [() => tx.affiliatePostback.findFirst({ where: { affiliateId: id }, select: { id: true } }), 'it has per-offer postbacks'],
    [() => tx.couponCode.findFirst({ where: { affiliateId: id }, select: { id: true } }), 'it has coupon codes'],
    [() => tx.apiKey.findFirst({ where: { affiliateId: id }, select: { id: true } }), 'it has API keys'],
  ]);
}
