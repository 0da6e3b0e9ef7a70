import { paramMappingProblem } from './param-mapping';

describe('advertiser parameter mappings', () => {
  it('map partner names onto our postback parameters and partner values onto ours', () => {
    expect(paramMappingProblem({})).toBeNull();
    expect(
      paramMappingProblem({
        params: { txn: 'click_id', event: 'goal', rev: 'amount', 'sub[1]': 'adv_sub1' },
        values: { status: { sale: 'approved', chargeback: 'refunded' }, goal: { '1': 'sale' } },
      }),
    ).toBeNull();
  });

  it('say what is wrong', () => {
    expect(paramMappingProblem([])).toMatch(/must be an object/);
    expect(paramMappingProblem({ parms: {} })).toBe('has the unknown key "parms" (only "params" and "values")');
    expect(paramMappingProblem({ params: { txn: 'clickid' } })).toMatch(/^maps "txn" to an unknown parameter; use one of click_id/);
    expect(paramMappingProblem({ params: { 'bad name': 'goal' } })).toMatch(/unusable partner parameter name "bad name"/);
    expect(paramMappingProblem({ values: { status: { sale: 'paid' } } })).toMatch(/translates "sale" in values.status to "paid"; use one of approved/);
    expect(paramMappingProblem({ values: { amount: { x: '1' } } })).toMatch(/cannot translate values of "amount"/);
    expect(paramMappingProblem({ values: { toString: { x: 'y' } } })).toMatch(/cannot translate values of "toString"/);
    expect(paramMappingProblem({ values: { status: 'approved' } })).toMatch(/needs values.status to be an object/);
  });

  it('stay small', () => {
    const params = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`p${index}`, 'goal']));
    expect(paramMappingProblem({ params })).toBe('must hold at most 100 entries');
  });
});
