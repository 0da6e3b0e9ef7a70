import { currencyExponent, shiftDecimalPoint } from './currency-exponents';
import { parseMappingDocument } from './mapping-document';
import { PRESETS } from './presets/catalogue';
import { resolvePartnerMapping } from './resolve-mapping';

describe('partner mapping documents', () => {
  it('keep what is usable and name each problem by its path', () => {
    const { document, problems } = parseMappingDocument({
      params: { tid: 'click_id', bad: 'clickid' },
      values: { status: { sale: 'approved', x: 'paid' } },
      transforms: { amount: { scale: 'currency' }, goal: { scale: 2 } },
      identity: { '*': 'click_id', lead: 'nonsense' },
      extra: true,
    });
    expect(document).toEqual({
      params: { tid: 'click_id' },
      values: { status: { sale: 'approved' } },
      transforms: { amount: { scale: 'currency' } },
      identity: { '*': 'click_id' },
    });
    expect(problems).toEqual([
      'extra: unknown key (only preset, params, values, transforms, identity, unmapped)',
      expect.stringMatching(/^params.bad: "clickid" is not a postback field/),
      expect.stringMatching(/^values.status.x: translates to "paid"/),
      'transforms.goal: only amounts have a scale',
      expect.stringMatching(/^identity.lead: must be/),
    ]);
  });

  it('never let a partner name become a prototype', () => {
    const { mapping } = resolvePartnerMapping(JSON.parse('{"params": {"__proto__": "click_id"}, "values": {"goal": {"__proto__": "sale"}}}'));
    expect(Object.getPrototypeOf(mapping.params)).toBeNull();
    expect(mapping.params.__proto__).toBe('click_id');
    expect(mapping.values.goal?.__proto__).toBe('sale');
  });
});

describe('presets', () => {
  it.each(PRESETS.map((preset) => [preset.name, preset] as const))('%s is a valid mapping with a documented source and request', (name, preset) => {
    expect(resolvePartnerMapping({ preset: name }).problems).toEqual([]);
    expect(preset.sources.length).toBeGreaterThan(0);
    for (const source of preset.sources) expect(source).toMatch(/^https?:\/\/[a-z0-9.-]+\//);
    expect(preset.request.url).toMatch(/^\{base\}\/postback\?.*\{token\}/);
  });

  it('are found by name in any case and overridden field by field; null removes an entry', () => {
    const { mapping, problems } = resolvePartnerMapping({
      preset: 'Keitaro',
      params: { sid: 'click_id', tid: null },
      values: { status: { Hold: 'pending', rebill: null } },
      transforms: { status: null, order_id: { case: 'upper' } },
      identity: { lead: 'order_id' },
      unmapped: 'ignore',
    });
    expect(problems).toEqual([]);
    expect(mapping.preset).toBe('keitaro');
    // Their click id now comes from sid: the preset's subid no longer maps to it.
    expect(mapping.params.sid).toBe('click_id');
    expect(mapping.params.subid).toBeUndefined();
    expect(mapping.params.tid).toBeUndefined();
    expect(mapping.params.payout).toBe('amount');
    expect({ ...mapping.values.status }).toEqual({ lead: 'pending', sale: 'approved', rejected: 'rejected', hold: 'pending' });
    expect({ ...mapping.transforms }).toEqual({ order_id: { case: 'upper' } });
    expect({ ...mapping.identity }).toEqual({ '*': 'click_id', lead: 'order_id' });
    expect(mapping.unmapped).toBe('ignore');
  });

  it('report an unknown preset and still apply the rest', () => {
    const { mapping, problems } = resolvePartnerMapping({ preset: 'nonesuch', params: { tid: 'click_id' } });
    expect(problems).toEqual([expect.stringMatching(/^preset: "nonesuch" is not a preset; use one of tune, everflow/)]);
    expect(mapping.params.tid).toBe('click_id');
  });
});

describe('minor units', () => {
  it('know each currency’s ISO 4217 exponent', () => {
    expect([currencyExponent('USD'), currencyExponent('JPY'), currencyExponent('KWD'), currencyExponent('CLF'), currencyExponent('XAU')]).toEqual([
      2, 0, 3, 4, null,
    ]);
  });

  it.each([
    ['1999', 2, '19.99'],
    ['1999', 0, '1999'],
    ['1999', 3, '1.999'],
    ['5', 2, '0.05'],
    ['100', 2, '1'],
    ['000120', 2, '1.2'],
    ['0', 2, '0'],
    ['1234567', 6, '1.234567'],
    ['-250', 2, '-2.5'],
  ])('%s with %i places is %s, exactly', (value, places, expected) => {
    expect(shiftDecimalPoint(value, places)).toBe(expected);
  });

  it('refuse what is not a whole number of minor units', () => {
    for (const value of ['19.99', '1e3', '', ' 5', '0x10']) expect(shiftDecimalPoint(value, 2)).toBeNull();
  });
});
