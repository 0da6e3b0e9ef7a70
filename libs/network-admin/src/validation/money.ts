import { Decimal } from 'decimal.js';
import { ValidationOptions } from 'class-validator';
import { checkedBy } from './checked';

/** NUMERIC(18,4): up to 14 integer digits and 4 decimals, written as a string so no float ever touches it. */
const MONEY = /^(0|[1-9]\d{0,13})(\.\d{1,4})?$/;
/** NUMERIC(9,4) percentages, at most 100. */
const PERCENT = /^(0|[1-9]\d{0,2})(\.\d{1,4})?$/;

export function moneyProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a decimal string such as "12.50" (numbers lose exactness)';
  return MONEY.test(value) ? null : 'must be a non-negative decimal string with at most 4 decimal places, such as "12.50"';
}

export function percentProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a decimal string such as "7.5" (numbers lose exactness)';
  if (!PERCENT.test(value)) return 'must be a non-negative decimal string with at most 4 decimal places, such as "7.5"';
  return new Decimal(value).greaterThan(100) ? 'must be at most 100' : null;
}

/** An upper bound on an amount: money, and more than nothing. */
export function amountBoundProblem(value: unknown): string | null {
  return moneyProblem(value) ?? (new Decimal(value as string).isZero() ? 'must be more than 0' : null);
}

export const IsMoney = (options?: ValidationOptions) => checkedBy('isMoney', moneyProblem, options);
export const IsAmountBound = (options?: ValidationOptions) => checkedBy('isAmountBound', amountBoundProblem, options);
export const IsPercent = (options?: ValidationOptions) => checkedBy('isPercent', percentProblem, options);
