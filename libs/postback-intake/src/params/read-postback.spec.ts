import { compilePartnerMapping, NO_MAPPING } from './partner-mapping';
import { MAX_RAW_PARAMS, readPostback, RequestParam } from './read-postback';
import { FIELD_ALIASES, STANDARD_FIELDS } from './standard-fields';
import { PostbackRefusal } from '../refusals';

function refusal(run: () => unknown): PostbackRefusal {
  try {
    run();
  } catch (error) {
    if (error instanceof PostbackRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readPostback', () => {
  const aliases = STANDARD_FIELDS.flatMap((field) => FIELD_ALIASES[field].map((alias) => [field, alias] as const));

  it.each(aliases)('reads %s from the parameter %s, in any case', (field, alias) => {
    for (const name of [alias, alias.toUpperCase()]) {
      expect(readPostback([[name, ' value ']], NO_MAPPING).fields[field]).toEqual({ value: 'value', param: name });
    }
  });

  it('keeps unknown parameters as raw data, as received, and drops the reserved ones', () => {
    const params: RequestParam[] = [
      ['click_id', 'c'],
      ['Campaign', ' Spring '],
      ['__proto__', 'x'],
      ['token', 'secret'],
      ['security_token', 'secret'],
      ['signature', 'abc'],
      ['timestamp', '1'],
      ['format', 'text'],
    ];
    const { raw } = readPostback(params, NO_MAPPING);
    expect(Object.entries(raw)).toEqual([
      ['Campaign', ' Spring '],
      ['__proto__', 'x'],
    ]);
  });

  it('treats empty values and unfilled template placeholders of postback fields as absent', () => {
    expect(readPostback([['amount', '  '], ['goal', ''], ['currency', '{currency}'], ['order_id', ' {order_id} ']], NO_MAPPING).fields).toEqual({});
    expect(readPostback([['amount', '{1.5}']], NO_MAPPING).fields.amount?.value).toBe('{1.5}');
    expect(Object.entries(readPostback([['note', '{note}']], NO_MAPPING).raw)).toEqual([['note', '{note}']]);
  });

  it('accepts the same value under two aliases but refuses two different ones, naming both', () => {
    expect(readPostback([['click_id', 'a'], ['subid', 'a']], NO_MAPPING).fields.click_id).toEqual({ value: 'a', param: 'click_id' });
    const problem = refusal(() => readPostback([['click_id', 'a'], ['subid', 'b']], NO_MAPPING)).problems[0];
    expect(problem).toMatchObject({ field: 'click_id', param: 'subid', rule: 'singleValue' });
    expect(problem.reason).toContain('(click_id, subid)');
  });

  it('applies a partner mapping before the aliases: their names and their words', () => {
    const mapping = compilePartnerMapping({
      params: { tid: 'click_id', subid: 'adv_sub1', payout_sum: 'sale_amount', state: 'status' },
      values: { status: { SALE: 'approved', chargeback: 'refunded' } },
    });
    const { fields, raw } = readPostback(
      [['TID', 'c-1'], ['subid', 'publisher-7'], ['payout_sum', '9.5'], ['state', 'sale'], ['other', 'x']],
      mapping,
    );
    expect(fields.click_id?.value).toBe('c-1');
    expect(fields.adv_sub1).toEqual({ value: 'publisher-7', param: 'subid' });
    expect(fields.amount?.value).toBe('9.5');
    expect(fields.status).toEqual({ value: 'approved', param: 'state', received: 'sale' });
    expect({ ...raw }).toEqual({ other: 'x' });
    expect(readPostback([['status', 'Chargeback']], mapping).fields.status?.value).toBe('refunded');
    expect(readPostback([['status', 'pending']], mapping).fields.status?.value).toBe('pending');
  });

  it("never keeps a partner's own name of the security token as raw data", () => {
    const mapping = compilePartnerMapping({ params: { API_Key: 'token' } });
    expect(mapping.isToken('api_key')).toBe(true);
    expect(Object.keys(readPostback([['api_key', 'secret'], ['other', 'x']], mapping).raw)).toEqual(['other']);
  });

  it('reports mapping entries it cannot use and applies the rest', () => {
    const mapping = compilePartnerMapping({ params: { a: 'nonsense', b: 'goal' }, values: { colour: { red: 'x' } } });
    expect(mapping.problems).toEqual([
      expect.stringMatching(/^params.a: "nonsense" is not a postback field/),
      expect.stringMatching(/^values.colour: cannot translate values of "colour"/),
    ]);
    expect(readPostback([['b', 'sale']], mapping).fields.goal?.value).toBe('sale');
  });

  it('refuses raw data beyond what a conversions.v1 event can carry', () => {
    const many: RequestParam[] = Array.from({ length: MAX_RAW_PARAMS + 1 }, (_, index) => [`p${index}`, 'v']);
    expect(refusal(() => readPostback(many, NO_MAPPING)).problems[0].rule).toBe('maxParams');
    expect(refusal(() => readPostback([['note', 'x'.repeat(2049)]], NO_MAPPING)).problems[0]).toMatchObject({
      field: 'note',
      rule: 'maxLength',
    });
    expect(refusal(() => readPostback([['n'.repeat(129), 'x']], NO_MAPPING)).reason).toContain('at most 128 characters');
  });

  describe('value transforms', () => {
    it('scales an amount in minor units by its currency’s own exponent, keeping what was sent', () => {
      const mapping = compilePartnerMapping({ params: { cents: 'amount' }, transforms: { amount: { scale: 'currency' } } });
      const read = (amount: string, currency: string) => readPostback([['cents', amount], ['currency', currency]], mapping).fields.amount;
      expect(read('1999', 'usd')).toEqual({ value: '19.99', param: 'cents', received: '1999' });
      expect(read('1999', 'JPY')?.value).toBe('1999');
      expect(read('1999', 'KWD')?.value).toBe('1.999');
      expect(refusal(() => read('19.99', 'USD')).problems[0]).toMatchObject({ field: 'amount', param: 'cents', rule: 'minorUnits' });
      expect(refusal(() => read('1999', 'XAU')).problems[0]).toMatchObject({ field: 'currency', rule: 'hasMinorUnit' });
      expect(refusal(() => readPostback([['cents', '1999']], mapping)).problems[0]).toMatchObject({
        field: 'currency',
        rule: 'requiredForMinorUnits',
      });
    });

    it('scales by a fixed number of places, or a partner’s own exponent, and takes a default currency', () => {
      const cents = compilePartnerMapping({ transforms: { amount: { scale: 2 } } });
      expect(readPostback([['amount', '1999'], ['currency', 'JPY']], cents).fields.amount?.value).toBe('19.99');
      const stripe = compilePartnerMapping({ transforms: { amount: { scale: 'currency', exponents: { ISK: 2 } }, currency: { default: 'ISK' } } });
      const { fields } = readPostback([['amount', '50000']], stripe);
      expect(fields.amount?.value).toBe('500');
      expect(fields.currency).toEqual({ value: 'ISK', param: 'currency', fromDefault: true });
    });

    it('folds case, after translating a partner’s word', () => {
      const mapping = compilePartnerMapping({
        values: { goal: { Purchase: 'Sale' } },
        transforms: { order_id: { case: 'lower' }, goal: { case: 'upper' } },
      });
      const { fields } = readPostback([['order_id', 'AB-12'], ['goal', 'purchase']], mapping);
      expect(fields.order_id).toEqual({ value: 'ab-12', param: 'order_id', received: 'AB-12' });
      expect(fields.goal?.value).toBe('SALE');
    });

    it('ignores unmapped parameters when the mapping says so, however many', () => {
      const mapping = compilePartnerMapping({ params: { 'data.object.id': 'order_id' }, unmapped: 'ignore' });
      const many: RequestParam[] = Array.from({ length: MAX_RAW_PARAMS * 3 }, (_, index) => [`p${index}`, 'v']);
      const { fields, raw } = readPostback([['data.object.id', 'ch_1'], ...many], mapping);
      expect(fields.order_id?.value).toBe('ch_1');
      expect(Object.keys(raw)).toEqual([]);
    });
  });

  describe('conversion identity without an order id', () => {
    const mapping = compilePartnerMapping({ identity: { '*': 'click_id', purchase: { param: 'Event_ID' }, sale: 'order_id' } });

    it('is the click id, a parameter per goal, or nothing; an order id always wins', () => {
      expect(readPostback([['click_id', 'c']], mapping).identity).toEqual({ source: 'click_id' });
      expect(readPostback([['click_id', 'c'], ['goal', 'PURCHASE'], ['event_id', ' e-1 ']], mapping).identity).toEqual({
        source: 'param',
        name: 'event_id',
        value: 'e-1',
      });
      expect(readPostback([['click_id', 'c'], ['goal', 'purchase'], ['event_id', '{event_id}']], mapping).identity).toBeNull();
      expect(readPostback([['click_id', 'c'], ['goal', 'sale']], mapping).identity).toBeNull();
      expect(readPostback([['click_id', 'c'], ['order_id', 'o']], mapping).identity).toBeNull();
      expect(readPostback([['click_id', 'c']], NO_MAPPING).identity).toBeNull();
    });

    it('is bounded like an order id', () => {
      const problem = refusal(() => readPostback([['goal', 'purchase'], ['event_id', 'x'.repeat(256)]], mapping)).problems[0];
      expect(problem).toMatchObject({ field: 'event_id', rule: 'maxLength' });
    });
  });
});
