import { FieldRule, rule } from './field-rule';

const DECIMAL = /^-?\d+(\.\d+)?$/;

// conversions.v1 and the ledger carry NUMERIC(18,4): 14 integer digits, 4 decimal places.
const MAX_INTEGER_DIGITS = 14;
const MAX_DECIMAL_PLACES = 4;

interface DecimalParts {
  negative: boolean;
  integer: string;
  fraction: string;
}

/**
 * One rule per property of the number, so a refusal names exactly the rule
 * that failed. isDecimal judges the format; the others judge only
 * well-formed numbers.
 */
function decimalRule(name: string, holds: (parts: DecimalParts) => boolean, reason: string): FieldRule {
  return rule(
    name,
    (value) => {
      if (!DECIMAL.test(value)) return true;
      const negative = value.startsWith('-');
      const [integer, fraction = ''] = (negative ? value.slice(1) : value).split('.');
      return holds({ negative, integer, fraction });
    },
    reason,
  );
}

export const AMOUNT_RULES: readonly FieldRule[] = [
  rule('isDecimal', (value) => DECIMAL.test(value), 'amount must be a decimal number such as 19.99 (digits, optionally a dot and decimals)'),
  decimalRule('nonNegative', ({ negative }) => !negative, 'amount must not be negative'),
  decimalRule('maxDecimalPlaces', ({ fraction }) => fraction.length <= MAX_DECIMAL_PLACES, `amount must have at most ${MAX_DECIMAL_PLACES} decimal places`),
  decimalRule(
    'maxIntegerDigits',
    ({ integer }) => integer.length <= MAX_INTEGER_DIGITS,
    `amount must have at most ${MAX_INTEGER_DIGITS} digits before the decimal point`,
  ),
];
