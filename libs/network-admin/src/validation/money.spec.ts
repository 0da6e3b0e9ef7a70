import { moneyProblem, percentProblem } from './money';

describe('money', () => {
  it('is a decimal string with at most 4 places and 14 integer digits', () => {
    for (const ok of ['0', '0.5', '12.50', '12.3456', '99999999999999.9999', '1000']) expect(moneyProblem(ok)).toBeNull();
    for (const bad of ['', '-1', '1.23456', '1e3', '0x10', '01', '1.', '.5', ' 1', '1,5', '100000000000000', 'NaN']) {
      expect(moneyProblem(bad)).toMatch(/^must be a non-negative decimal string with at most 4 decimal places/);
    }
  });

  it('is never a JSON number, which cannot be exact', () => {
    expect(moneyProblem(12.5)).toMatch(/^must be a decimal string/);
    expect(moneyProblem(null)).toMatch(/^must be a decimal string/);
  });

  it('as a percentage lies between 0 and 100', () => {
    for (const ok of ['0', '7.5', '100', '99.9999', '100.0000']) expect(percentProblem(ok)).toBeNull();
    expect(percentProblem('100.0001')).toBe('must be at most 100');
    expect(percentProblem('250')).toBe('must be at most 100');
    expect(percentProblem('7.55555')).toMatch(/at most 4 decimal places/);
    expect(percentProblem(7.5)).toMatch(/^must be a decimal string/);
  });
});
