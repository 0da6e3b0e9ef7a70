import { paramMappingProblem } from './param-mapping';

describe('advertiser parameter mappings', () => {
  it('map partner names onto our postback parameters and partner values onto ours', () => {
    expect(paramMappingProblem({})).toBeNull();
    expect(
      paramMappingProblem({
        params: { txn: 'click_id', event: 'goal', rev: 'amount', 'sub[1]': 'adv_sub1', 'data.object.id': 'order_id' },
        values: { status: { sale: 'approved', chargeback: 'refunded' }, goal: { '1': 'sale' } },
        transforms: { amount: { scale: 'currency', exponents: { ISK: 2 } }, order_id: { case: 'lower' }, currency: { default: 'EUR' } },
        identity: { '*': 'click_id', purchase: { param: 'event_id' } },
        unmapped: 'ignore',
      }),
    ).toBeNull();
  });

  it('take a preset by name and override it field by field', () => {
    expect(paramMappingProblem({ preset: 'keitaro', params: { sid: 'click_id' }, values: { status: { hold: 'pending' } } })).toBeNull();
    expect(paramMappingProblem({ preset: 'nonesuch' })).toMatch(/^preset: "nonesuch" is not a preset; use one of .*keitaro/);
  });

  it('say what is wrong, and where', () => {
    expect(paramMappingProblem([])).toMatch(/must be an object/);
    expect(paramMappingProblem({ parms: {} })).toMatch(/^parms: unknown key/);
    expect(paramMappingProblem({ params: { txn: 'clickid' } })).toMatch(/^params.txn: "clickid" is not a postback field; use one of click_id/);
    expect(paramMappingProblem({ params: { 'bad name': 'goal' } })).toMatch(/^params.bad name: not a usable parameter name/);
    expect(paramMappingProblem({ values: { status: { sale: 'paid' } } })).toMatch(/^values.status.sale: translates to "paid"; use one of approved/);
    expect(paramMappingProblem({ values: { amount: { x: '1' } } })).toMatch(/cannot translate values of "amount"/);
    expect(paramMappingProblem({ values: { toString: { x: 'y' } } })).toMatch(/cannot translate values of "toString"/);
    expect(paramMappingProblem({ values: { status: 'approved' } })).toMatch(/values.status: must be an object/);
    expect(paramMappingProblem({ transforms: { goal: { scale: 2 } } })).toMatch(/^transforms.goal: only amounts have a scale/);
    expect(paramMappingProblem({ transforms: { amount: { scale: 9 } } })).toMatch(/^transforms.amount: scale must be "currency"/);
    expect(paramMappingProblem({ transforms: { status: { default: 'sale' } } })).toMatch(/^transforms.status: default must be one of approved/);
    expect(paramMappingProblem({ identity: { '*': 'session' } })).toMatch(/^identity.\*: must be "order_id", "click_id" or \{"param"/);
  });

  it('stay small', () => {
    const params = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`p${index}`, 'goal']));
    expect(paramMappingProblem({ params })).toBe('must hold at most 100 entries');
  });
});
