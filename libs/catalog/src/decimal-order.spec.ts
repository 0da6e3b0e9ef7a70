import { compareDecimals } from './decimal-order';

describe('compareDecimals', () => {
  it.each([
    ['1000000', '1000000.0000', 0],
    ['1000000.0001', '1000000', 1],
    ['999999.9999', '1000000', -1],
    ['0010', '10.0', 0],
    ['99999999999999.9999', '100000000000000', -1],
    ['0.1', '0.09', 1],
    ['2', '10', -1],
  ])('%s against %s is %i, exactly', (a, b, expected) => {
    expect(compareDecimals(a, b)).toBe(expected);
    expect(compareDecimals(b, a)).toBe(-expected || 0);
  });

  it('refuses what is not a non-negative decimal', () => {
    expect(() => compareDecimals('-1', '1')).toThrow(/-1/);
    expect(() => compareDecimals('1', '1e3')).toThrow(/1e3/);
  });
});
