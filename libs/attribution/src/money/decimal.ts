import Decimal from 'decimal.js';

/**
 * Decimals for money: enough significant digits that a 14-digit sale times a
 * percentage is exact before the one rounding to 4 places (NUMERIC(18,4)),
 * which rounds half to even so that rounding does not drift totals one way.
 */
export const Money = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = Decimal;

/** The largest magnitude NUMERIC(18,4) holds. */
export const MONEY_LIMIT = new Money('99999999999999.9999');

export const SCALE = 4;

export function formatMoney(value: Decimal): string {
  return value.toFixed(SCALE);
}
