import { MoneyRule } from '@tracklane/catalog';
import { applyMoneyRule, conversionAmounts } from './money-rules';

const fixed = (amount: string): MoneyRule => ({ type: 'fixed', amount, percent: '0' });
const percent = (value: string): MoneyRule => ({ type: 'percent', amount: '0', percent: value });
const both = (amount: string, value: string): MoneyRule => ({ type: 'fixed_plus_percent', amount, percent: value });

describe('money rules', () => {
  it('computes fixed CPA, percentage of the sale and fixed plus percentage exactly', () => {
    expect(applyMoneyRule(fixed('12.5'), '999.99').toFixed(4)).toBe('12.5000');
    expect(applyMoneyRule(percent('7.5'), '199.99').toFixed(4)).toBe('14.9992'); // 14.99925, half to even
    expect(applyMoneyRule(both('1.1', '10'), '0.3').toFixed(4)).toBe('1.1300');
  });

  it('has no floating-point error where floats would have one', () => {
    // 0.1 + 0.2 and 1.15 * 100 are the classic float traps.
    expect(applyMoneyRule(both('0.1', '20'), '1').toFixed(4)).toBe('0.3000');
    expect(applyMoneyRule(percent('100'), '1.15').toFixed(4)).toBe('1.1500');
  });

  it('rounds once to 4 places, half to even', () => {
    expect(applyMoneyRule(percent('50'), '0.0001').toFixed(4)).toBe('0.0000'); // 0.00005 → even
    expect(applyMoneyRule(percent('50'), '0.0003').toFixed(4)).toBe('0.0002'); // 0.00015 → even
    expect(applyMoneyRule(percent('7.3333'), '12345678901234.5678').toFixed(4)).toBe('905345670864.2346');
  });

  it('treats a missing sale amount as zero in a percentage', () => {
    expect(applyMoneyRule(percent('10'), null).toFixed(4)).toBe('0.0000');
    expect(applyMoneyRule(both('2', '10'), null).toFixed(4)).toBe('2.0000');
  });
});

describe('conversion amounts', () => {
  const goal = { revenue: percent('10'), payout: fixed('3') };

  it('takes revenue from the goal and payout from the goal, in the offer currency', () => {
    expect(conversionAmounts({ goal, override: undefined, offerCurrency: 'EUR', saleAmount: '50', saleCurrency: null })).toEqual({
      ok: true,
      amounts: { revenue: '5.0000', payout: '3.0000', currency: 'EUR' },
    });
  });

  it("replaces the goal's payout rule with the affiliate's override", () => {
    const outcome = conversionAmounts({ goal, override: { payout: percent('6') }, offerCurrency: 'USD', saleAmount: '50', saleCurrency: 'USD' });
    expect(outcome).toEqual({ ok: true, amounts: { revenue: '5.0000', payout: '3.0000', currency: 'USD' } });
    const fixedOverride = conversionAmounts({ goal, override: { payout: fixed('4.25') }, offerCurrency: 'USD', saleAmount: '50', saleCurrency: 'USD' });
    expect(fixedOverride).toEqual({ ok: true, amounts: { revenue: '5.0000', payout: '4.2500', currency: 'USD' } });
  });

  it('refuses a percentage of a sale in another currency, but not a fixed amount', () => {
    expect(conversionAmounts({ goal, override: undefined, offerCurrency: 'USD', saleAmount: '50', saleCurrency: 'EUR' })).toEqual({
      ok: false,
      reason: 'currency_mismatch',
    });
    const fixedGoal = { revenue: fixed('9'), payout: fixed('3') };
    expect(conversionAmounts({ goal: fixedGoal, override: undefined, offerCurrency: 'USD', saleAmount: '50', saleCurrency: 'EUR' })).toEqual({
      ok: true,
      amounts: { revenue: '9.0000', payout: '3.0000', currency: 'USD' },
    });
  });

  it('refuses amounts the ledger cannot hold', () => {
    const huge = { revenue: percent('500'), payout: fixed('0') };
    expect(
      conversionAmounts({ goal: huge, override: undefined, offerCurrency: 'USD', saleAmount: '99999999999999', saleCurrency: null }),
    ).toEqual({ ok: false, reason: 'amount_out_of_range' });
  });
});
