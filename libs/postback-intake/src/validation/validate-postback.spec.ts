import { newId } from '@tracklane/contracts';
import { NO_MAPPING } from '../params/partner-mapping';
import { readPostback, RequestParam } from '../params/read-postback';
import { FieldProblem, PostbackRefusal } from '../refusals';
import { validatePostback } from './validate-postback';

const clickId = newId();

/** The problems of a postback without the default click id. */
function problemsWithout(params: RequestParam[], idempotencyKey?: string): FieldProblem[] {
  try {
    validatePostback(readPostback(params, NO_MAPPING), idempotencyKey);
  } catch (error) {
    if (error instanceof PostbackRefusal) return [...error.problems];
    throw error;
  }
  return [];
}

function problems(params: RequestParam[], idempotencyKey?: string): FieldProblem[] {
  return problemsWithout([['click_id', clickId], ...params], idempotencyKey);
}

describe('validatePostback', () => {
  it('counts limits in characters (code points), as documented: an emoji is one', () => {
    expect(problems([['adv_sub1', '🎉'.repeat(512)], ['order_id', '🎉'.repeat(255)], ['goal', '🎉'.repeat(128)], ['note', '🎉'.repeat(2048)]])).toEqual([]);
    expect(problems([['adv_sub1', '🎉'.repeat(513)]])).toEqual([expect.objectContaining({ field: 'adv_sub1', rule: 'maxLength' })]);
    expect(problems([['note', '🎉'.repeat(2049)]])).toEqual([expect.objectContaining({ field: 'note', rule: 'maxLength' })]);
  });

  it('returns the event fields, normalising case where partners differ', () => {
    const params: RequestParam[] = [
      ['transaction_id', ` ${clickId.toUpperCase()} `],
      ['amount', '19.9900'],
      ['currency', 'eur'],
      ['status', 'Approved'],
      ['goal', 'Sale'],
      ['adv_sub3', 'x'],
    ];
    const postback = validatePostback(readPostback(params, NO_MAPPING), 'key-1');
    expect(postback).toEqual({
      clickId,
      goal: 'Sale',
      amount: '19.9900',
      currency: 'EUR',
      orderId: null,
      status: 'approved',
      advSub1: null,
      advSub2: null,
      advSub3: 'x',
      advSub4: null,
      advSub5: null,
      raw: {},
      idempotencyKey: 'key-1',
      conversionKey: null,
      couponCode: null,
    });
  });

  it.each(['coupon_code', 'Coupon', 'PROMO_CODE', 'PromoCode'])(
    'takes a promo code (%s) instead of a click id, with an order id, kept as posted but trimmed',
    (name) => {
      const postback = validatePostback(readPostback([[name, ' Save10 '], ['order_id', 'A-1']], NO_MAPPING), undefined);
      expect(postback).toMatchObject({ clickId: null, couponCode: 'Save10', orderId: 'A-1', conversionKey: null });
    },
  );

  it("keeps what is no code beside a good click id as a raw parameter: a partner's own 'coupon' never costs the sale", () => {
    expect(validatePostback(readPostback([['click_id', clickId], ['coupon', 'SUMMER SALE']], NO_MAPPING), undefined)).toMatchObject({
      clickId,
      couponCode: null,
      raw: { coupon: 'SUMMER SALE' },
    });
  });

  it('keeps both a click id and a promo code when both arrive', () => {
    expect(validatePostback(readPostback([['click_id', clickId], ['coupon', 'SAVE10']], NO_MAPPING), undefined)).toMatchObject({
      clickId,
      couponCode: 'SAVE10',
      orderId: null,
    });
  });

  it('needs an order id when a promo code stands in for the click id, and refuses what is no code', () => {
    expect(problemsWithout([['coupon_code', 'SAVE10']])).toEqual([expect.objectContaining({ field: 'order_id', rule: 'isDefined' })]);
    for (const code of ['SAVE 10', 'x'.repeat(65)]) {
      expect(problemsWithout([['coupon_code', code], ['order_id', 'A-1']])).toEqual([
        expect.objectContaining({ field: 'coupon_code', rule: 'isCouponCode' }),
      ]);
    }
    expect(problemsWithout([['promo_code', 'BAD\u0001'], ['order_id', 'A-1']])).toEqual([
      expect.objectContaining({ field: 'coupon_code', param: 'promo_code' }),
    ]);
    // A code does not excuse a click id that is no click id.
    expect(problemsWithout([['click_id', 'not-an-id'], ['coupon', 'SAVE10'], ['order_id', 'A-1']])).toEqual([
      expect.objectContaining({ field: 'click_id', rule: 'isClickId' }),
    ]);
    // A blank code is no code: the click id is missing.
    expect(problemsWithout([['coupon_code', '   '], ['order_id', 'A-1']])).toEqual([expect.objectContaining({ field: 'click_id', rule: 'isDefined' })]);
  });

  it('requires a click id (or a promo code) and names its aliases', () => {
    const [missing] = problemsWithout([['amount', '1']]);
    expect(missing).toMatchObject({ field: 'click_id', rule: 'isDefined' });
    expect(missing.reason).toContain('transaction_id');
    expect(missing.reason).toContain('coupon_code');
  });

  it.each(['not-an-id', `${clickId}x`, "' OR 1=1 --"])('refuses the click id %j, naming the parameter it came in', (value) => {
    expect(problemsWithout([['cid', value]])).toEqual([expect.objectContaining({ field: 'click_id', param: 'cid', rule: 'isClickId' })]);
  });

  it.each([
    ['0', true],
    ['19.99', true],
    ['12345678901234.1234', true],
    ['-1', 'nonNegative'],
    ['1.23456', 'maxDecimalPlaces'],
    ['123456789012345', 'maxIntegerDigits'],
    ['1,50', 'isDecimal'],
    ['1e3', 'isDecimal'],
    ['.5', 'isDecimal'],
    ['5.', 'isDecimal'],
    ['NaN', 'isDecimal'],
    ['19.99 USD', 'isDecimal'],
  ])('amount %j → %s', (amount, outcome) => {
    const found = problems([['amount', amount]]);
    if (outcome === true) expect(found).toEqual([]);
    else expect(found[0]).toMatchObject({ field: 'amount', rule: outcome });
  });

  it('lists every broken rule of a field, the most basic first', () => {
    expect(problems([['sale_amount', '-1.23456']]).map((problem) => [problem.field, problem.param, problem.rule])).toEqual([
      ['amount', 'sale_amount', 'nonNegative'],
      ['amount', 'sale_amount', 'maxDecimalPlaces'],
    ]);
  });

  it('accepts real ISO 4217 codes only', () => {
    expect(problems([['currency', 'JPY']])).toEqual([]);
    expect(problems([['currency', 'chf']])).toEqual([]);
    for (const code of ['XYZ', 'EURO', 'E', 'ABC', 'US$']) {
      expect(problems([['currency', code]])[0]).toMatchObject({ field: 'currency', rule: 'isISO4217CurrencyCode' });
    }
  });

  it('accepts our four statuses only', () => {
    expect(problems([['status', 'REFUNDED']])).toEqual([]);
    expect(problems([['status', 'sale']])[0]).toMatchObject({ field: 'status', rule: 'isIn' });
  });

  it('bounds the text fields as conversions.v1 does', () => {
    expect(problems([['goal', 'g'.repeat(129)]])[0]).toMatchObject({ field: 'goal', rule: 'maxLength' });
    expect(problems([['order_id', 'o'.repeat(256)]])[0]).toMatchObject({ field: 'order_id', rule: 'maxLength' });
    expect(problems([['adv_sub5', 's'.repeat(513)]])[0]).toMatchObject({ field: 'adv_sub5', rule: 'maxLength' });
  });

  it('checks the Idempotency-Key header', () => {
    expect(problems([], 'k'.repeat(256))[0]).toMatchObject({ field: 'Idempotency-Key', rule: 'matches' });
    expect(problems([], 'two words')[0]).toMatchObject({ field: 'Idempotency-Key' });
  });
});
