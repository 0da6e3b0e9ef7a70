import { PostbackRefusal } from '../refusals';
import { MAX_PARAMS, requestParams } from './request-params';

function refusal(run: () => unknown): PostbackRefusal {
  try {
    run();
  } catch (error) {
    if (error instanceof PostbackRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('requestParams', () => {
  it('reads the query string and a form or JSON body, in order', () => {
    expect(requestParams({ token: 't', click_id: 'c' }, { amount: 9.5, approved: true, goal: null, note: 'x' })).toEqual([
      ['token', 't'],
      ['click_id', 'c'],
      ['amount', '9.5'],
      ['approved', 'true'],
      ['note', 'x'],
    ]);
  });

  it('refuses a parameter given twice, in the query, the body or both', () => {
    expect(refusal(() => requestParams({ a: ['1', '2'] }, undefined)).problems[0]).toMatchObject({ field: 'a', rule: 'singleValue' });
    expect(refusal(() => requestParams({ a: '1' }, { a: '1' })).problems[0]).toMatchObject({ field: 'a', rule: 'singleValue' });
  });

  it('refuses nested JSON values and bodies that are not objects', () => {
    expect(refusal(() => requestParams({}, { amount: { value: 1 } })).problems[0]).toMatchObject({ field: 'amount', rule: 'scalar' });
    expect(refusal(() => requestParams({}, { amount: [1] })).problems[0].rule).toBe('scalar');
    expect(refusal(() => requestParams({}, { amount: Infinity })).problems[0].rule).toBe('scalar');
    expect(refusal(() => requestParams({}, [1, 2])).error).toBe('invalid_body');
    expect(refusal(() => requestParams({}, 'text')).error).toBe('invalid_body');
  });

  it('reads a JSON body’s nested values by path, and name/value pairs by name', () => {
    const body = {
      type: 'charge.succeeded',
      data: { object: { id: 'ch_1', amount: 1999, metadata: { click_id: 'c1' }, refunds: null } },
      note_attributes: [{ name: 'click_id', value: 'c2' }],
      tags: ['a', 'b'],
    };
    expect(requestParams({ token: 't' }, body, { jsonBody: true })).toEqual([
      ['token', 't'],
      ['type', 'charge.succeeded'],
      ['data.object.id', 'ch_1'],
      ['data.object.amount', '1999'],
      ['data.object.metadata.click_id', 'c1'],
      ['note_attributes[0].name', 'click_id'],
      ['note_attributes[0].value', 'c2'],
      ['note_attributes.click_id', 'c2'],
      ['tags[0]', 'a'],
      ['tags[1]', 'b'],
    ]);
    const deep = JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`);
    expect(refusal(() => requestParams({}, deep, { jsonBody: true })).error).toBe('invalid_body');
  });

  it('refuses what Postgres could not store: control characters and broken Unicode', () => {
    for (const value of ['a\u0000b', '\u001b[31m', '\ud800', 'x\udc00']) {
      expect(refusal(() => requestParams({ order_id: value }, undefined)).problems[0]).toMatchObject({ field: 'order_id', rule: 'printable' });
    }
    expect(requestParams({ note: 'tab\tand newline\n and emoji 🎉' }, undefined)).toHaveLength(1);
  });

  it('names a parameter whose own name is unstorable by its escapes, never by an empty name', () => {
    expect(refusal(() => requestParams({ '\u0000': 'x' }, undefined)).problems[0]).toMatchObject({ field: '\\u0000', rule: 'printable' });
    expect(refusal(() => requestParams({}, { 'note\ud800': 'x' }, { jsonBody: true })).problems[0]).toMatchObject({ field: 'note\\ud800' });
  });

  it('bounds the number of parameters', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_PARAMS + 1 }, (_, index) => [`p${index}`, 'v']));
    expect(refusal(() => requestParams(many, undefined)).status).toBe(400);
  });
});
