import { BadRequestException } from '@nestjs/common';
import { moneyRule } from './money-rule';

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as BadRequestException).getResponse();
  }
  throw new Error('expected a refusal');
}

describe('revenue and payout rules', () => {
  it('store both parts, zero where the type does not use one', () => {
    expect(moneyRule('payout', { type: 'fixed', amount: '2.50' })).toEqual({ type: 'fixed', amount: '2.50', percent: '0' });
    expect(moneyRule('payout', { type: 'percent', percent: '7.5' })).toEqual({ type: 'percent', amount: '0', percent: '7.5' });
    expect(moneyRule('revenue', { type: 'fixed_plus_percent', amount: '1', percent: '2' })).toEqual({
      type: 'fixed_plus_percent',
      amount: '1',
      percent: '2',
    });
    expect(moneyRule('payout', { type: 'fixed', amount: '3', percent: '0.0000' }).percent).toBe('0.0000');
  });

  it('refuse a part the type would ignore, naming it', () => {
    expect(refusal(() => moneyRule('payout', { type: 'fixed', amount: '2', percent: '5' }))).toMatchObject({
      type: 'urn:tracklane:problem:invalid-request',
      status: 400,
      errors: [{ field: 'payout.percent', reason: 'must be 0 or absent when type is fixed' }],
    });
    expect(refusal(() => moneyRule('revenue', { type: 'percent', amount: '1', percent: '5' }))).toMatchObject({
      errors: [{ field: 'revenue.amount', reason: 'must be 0 or absent when type is percent' }],
    });
  });
});
