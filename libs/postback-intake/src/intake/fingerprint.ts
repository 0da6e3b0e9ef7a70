import { createHash } from 'node:crypto';
import { goalKey } from '../receipts/receipt';
import { ValidPostback } from '../validation/validate-postback';

/** 19.9900 and 19.99 are the same amount; a partner's retry may format it either way. */
function canonicalAmount(amount: string | null): string | null {
  if (amount === null || !amount.includes('.')) return amount;
  return amount.replace(/\.?0+$/, '');
}

/**
 * What makes two postbacks "the same" when neither carries an order id,
 * conversion key or Idempotency-Key: the advertiser and every field as
 * validated (click id, goal and currency normalised in case, the amount in
 * canonical form), and the raw parameters in name order, so a retry whose
 * parameters arrive in another order is still a copy. Request steering
 * (token, signature, timestamp, format) never takes part: a re-signed retry
 * is a copy too. SHA-256, so the receipt stores 64 characters whatever came in.
 */
export function postbackFingerprint(advertiserId: number, postback: ValidPostback): string {
  const raw = Object.keys(postback.raw)
    .sort()
    .map((name) => [name, postback.raw[name]]);
  const canonical = JSON.stringify([
    advertiserId,
    postback.clickId,
    goalKey(postback.goal),
    canonicalAmount(postback.amount),
    postback.currency,
    postback.status,
    postback.advSub1,
    postback.advSub2,
    postback.advSub3,
    postback.advSub4,
    postback.advSub5,
    raw,
    // Last, and only when posted: fingerprints of postbacks without a code stay what they were.
    ...(postback.couponCode === null ? [] : [postback.couponCode.toLowerCase()]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
