import { compareDecimals } from '@tracklane/catalog';
import { PostbackParams } from '../params/read-postback';
import { PostbackRefusal } from '../refusals';
import { ValidPostback } from './validate-postback';

/** 1000000.0000 reads as 1000000, 12.5000 as 12.50. */
function shown(limit: string): string {
  return limit.replace(/(\.\d\d\d*?)0+$/, '$1').replace(/\.00$/, '');
}

/**
 * Refuses (400 naming the amount) a postback above the largest amount the
 * advertiser's offers accept: the network's bound, or an offer's own.
 * Which offer the click belongs to is attribution's knowledge, so an amount
 * above its offer's lower bound but within another offer's is refused there
 * (amount_out_of_range), not here.
 */
export function checkAmountBound(postback: ValidPostback, read: PostbackParams, limit: string): void {
  if (postback.amount === null || compareDecimals(postback.amount, limit) <= 0) return;
  const param = read.fields.amount?.param;
  throw PostbackRefusal.invalid([
    {
      field: 'amount',
      ...(param && param !== 'amount' ? { param } : {}),
      rule: 'maxAmount',
      reason: `amount must be at most ${shown(limit)} (the largest amount one postback may carry)`,
    },
  ]);
}
