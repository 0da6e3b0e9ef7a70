import { CatalogGoal, MoneyRule, PayoutOverride } from '@tracklane/catalog';
import { DecisionReason } from '../rules/reasons';
import { MONEY_LIMIT, Money, SCALE, formatMoney } from './decimal';

const HUNDRED = new Money(100);

/** Fixed CPA, a percentage of the sale (CPS / revenue share), or both; rounded once, to 4 places. */
export function applyMoneyRule(rule: MoneyRule, saleAmount: string | null): Money {
  const fixed = new Money(rule.amount);
  const share = () => (saleAmount === null ? new Money(0) : new Money(saleAmount).times(rule.percent).dividedBy(HUNDRED));
  const exact = rule.type === 'fixed' ? fixed : rule.type === 'percent' ? share() : fixed.plus(share());
  return exact.toDecimalPlaces(SCALE);
}

const usesSale = (rule: MoneyRule) => rule.type !== 'fixed';

export interface ConversionAmounts {
  revenue: string;
  payout: string;
  currency: string;
}

export type AmountsOutcome = { ok: true; amounts: ConversionAmounts } | { ok: false; reason: DecisionReason };

/**
 * What the advertiser owes (revenue) and the affiliate earns (payout) for a
 * conversion of a goal, in the offer's currency. The affiliate's override
 * replaces the goal's payout rule. A missing sale amount counts as zero in a
 * percentage. Exchange rates are not Tracklane's business: a percentage of a
 * sale reported in another currency is refused rather than mislabelled.
 */
export function conversionAmounts(input: {
  goal: Pick<CatalogGoal, 'revenue' | 'payout'>;
  override: Pick<PayoutOverride, 'payout'> | undefined;
  offerCurrency: string;
  saleAmount: string | null;
  saleCurrency: string | null;
}): AmountsOutcome {
  const payoutRule = input.override?.payout ?? input.goal.payout;
  const foreignSale = input.saleAmount !== null && input.saleCurrency !== null && input.saleCurrency !== input.offerCurrency;
  if (foreignSale && (usesSale(input.goal.revenue) || usesSale(payoutRule))) return { ok: false, reason: 'currency_mismatch' };
  const revenue = applyMoneyRule(input.goal.revenue, input.saleAmount);
  const payout = applyMoneyRule(payoutRule, input.saleAmount);
  if ([revenue, payout, revenue.minus(payout)].some((amount) => amount.abs().greaterThan(MONEY_LIMIT))) {
    return { ok: false, reason: 'amount_out_of_range' };
  }
  return { ok: true, amounts: { revenue: formatMoney(revenue), payout: formatMoney(payout), currency: input.offerCurrency } };
}
