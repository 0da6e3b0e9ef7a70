import { COUPON_CODE_MAX, couponCodeOf } from './coupon-code';

describe('promo codes', () => {
  it('keep the code as entered, trimmed and composed (NFC), and match it by its lower-case form', () => {
    expect(couponCodeOf('  Save10 ')).toEqual({ code: 'Save10', key: 'save10' });
    expect(couponCodeOf('CAFE\u0301-10')).toEqual({ code: 'CAF\u00c9-10', key: 'caf\u00e9-10' });
    expect(couponCodeOf('🎉'.repeat(COUPON_CODE_MAX))?.code).toHaveLength(2 * COUPON_CODE_MAX);
  });

  it('let lower-casing lengthen the key beyond the code (İ becomes two code points)', () => {
    const parsed = couponCodeOf('İ'.repeat(COUPON_CODE_MAX));
    expect([...(parsed?.key ?? '')]).toHaveLength(2 * COUPON_CODE_MAX);
  });

  it.each(['', '   ', 'SAVE 10', 'SAVE\t10', 'x'.repeat(COUPON_CODE_MAX + 1), 'BAD\u0000', 'lone\ud800'])('refuse %j', (text) => {
    expect(couponCodeOf(text)).toBeNull();
  });
});
