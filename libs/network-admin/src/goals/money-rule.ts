import { MoneyRule, MoneyRuleType } from '@tracklane/catalog';
import { invalid } from '../access';

/** A revenue or payout rule as sent: the parts its type does not use may be left out. */
export interface MoneyRuleInput {
  type: MoneyRuleType;
  amount?: string;
  percent?: string;
}

const isZero = (value: string | undefined) => value === undefined || /^0+(\.0+)?$/.test(value);

/**
 * The rule as stored (both parts, "0" where unused). A part the type ignores
 * must be zero: a fixed payout with a percentage set is a mistake to point out,
 * not something to drop silently.
 */
export function moneyRule(field: string, input: MoneyRuleInput): MoneyRule {
  if (input.type === 'fixed' && !isZero(input.percent)) throw invalid(`${field}.percent`, 'must be 0 or absent when type is fixed');
  if (input.type === 'percent' && !isZero(input.amount)) throw invalid(`${field}.amount`, 'must be 0 or absent when type is percent');
  return { type: input.type, amount: input.amount ?? '0', percent: input.percent ?? '0' };
}

/** A stored rule as the API shows it (decimals with their 4 places). */
export function ruleView(type: string, amount: { toFixed(places: number): string }, percent: { toFixed(places: number): string }): MoneyRule {
  return { type: type as MoneyRuleType, amount: amount.toFixed(4), percent: percent.toFixed(4) };
}
