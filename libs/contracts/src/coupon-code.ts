import { characterCount, isStorableText } from './storable-text';

/** The longest promo code, in characters. */
export const COUPON_CODE_MAX = 64;

/** Why a code is refused, phrased to follow the field's name. */
export const COUPON_CODE_REASON = `must be 1 to ${COUPON_CODE_MAX} characters with no spaces or control characters`;

/**
 * A promo code as entered (trimmed, NFC) and its matching form, the key:
 * codes match case-insensitively, so "SAVE10", " save10 " and "Save10" are
 * one code. null when it is no code: empty, too long, or holding spaces,
 * control characters or invalid Unicode.
 */
export function couponCodeOf(text: string): { code: string; key: string } | null {
  if (!isStorableText(text)) return null;
  const code = text.trim().normalize('NFC');
  if (code.length === 0 || characterCount(code) > COUPON_CODE_MAX || /\s/u.test(code)) return null;
  return { code, key: code.toLowerCase() };
}
