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
    expect(fields.status).toEqual({ value: 'approved', param: 'state' });
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
    expect(mapping.problems).toEqual(['params.a: "nonsense" is not a postback field', 'values.colour: not a postback field']);
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
});
