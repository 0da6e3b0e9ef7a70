import { ValidateBy } from 'class-validator';

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
 * One rule per decorator, so a refusal names exactly the rule that failed.
 * IsDecimalAmount judges the format; the others judge only well-formed numbers.
 */
function decimalRule(name: string, holds: (parts: DecimalParts) => boolean, message: string): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || !DECIMAL.test(value)) return true;
        const negative = value.startsWith('-');
        const [integer, fraction = ''] = (negative ? value.slice(1) : value).split('.');
        return holds({ negative, integer, fraction });
      },
      defaultMessage: () => message,
    },
  });
}

export function IsDecimalAmount(): PropertyDecorator {
  return ValidateBy({
    name: 'isDecimal',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && DECIMAL.test(value),
      defaultMessage: () => 'amount must be a decimal number such as 19.99 (digits, optionally a dot and decimals)',
    },
  });
}

export function IsNonNegativeAmount(): PropertyDecorator {
  return decimalRule('nonNegative', ({ negative }) => !negative, 'amount must not be negative');
}

export function HasAtMostFourDecimalPlaces(): PropertyDecorator {
  return decimalRule(
    'maxDecimalPlaces',
    ({ fraction }) => fraction.length <= MAX_DECIMAL_PLACES,
    `amount must have at most ${MAX_DECIMAL_PLACES} decimal places`,
  );
}

export function HasAtMostFourteenIntegerDigits(): PropertyDecorator {
  return decimalRule(
    'maxIntegerDigits',
    ({ integer }) => integer.length <= MAX_INTEGER_DIGITS,
    `amount must have at most ${MAX_INTEGER_DIGITS} digits before the decimal point`,
  );
}
