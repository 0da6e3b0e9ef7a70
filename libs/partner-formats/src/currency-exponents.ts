/**
 * ISO 4217 minor units: how many decimal places a currency's smallest unit
 * has. Most currencies have 2; these are the ones that do not (ISO 4217
 * list one, as published by SIX on behalf of ISO).
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Precious metals, SDRs, bond-market units and test codes: ISO 4217 gives them no minor unit. */
const WITHOUT_MINOR_UNIT: ReadonlySet<string> = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
]);

/** Decimal places of a currency's minor unit (upper-case ISO code), or null when it has none. */
export function currencyExponent(currency: string): number | null {
  if (WITHOUT_MINOR_UNIT.has(currency)) return null;
  return EXPONENTS[currency] ?? 2;
}

const INTEGER = /^(-?)(\d+)$/;

/**
 * An amount given in units of 10^-places (1999 with 2 places is 19.99), as
 * an exact decimal string without trailing zeros; null when the value is
 * not a whole number. No floating point on the way: digits are moved.
 */
export function shiftDecimalPoint(value: string, places: number): string | null {
  const match = INTEGER.exec(value);
  if (!match) return null;
  const [, sign, digits] = match;
  const padded = digits.padStart(places + 1, '0');
  const integer = padded.slice(0, padded.length - places).replace(/^0+(?=\d)/, '');
  const fraction = padded.slice(padded.length - places).replace(/0+$/, '');
  const magnitude = fraction ? `${integer}.${fraction}` : integer;
  return sign && magnitude !== '0' ? `-${magnitude}` : magnitude;
}
