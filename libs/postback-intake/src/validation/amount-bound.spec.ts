import { newId } from '@tracklane/contracts';
import { compilePartnerMapping, NO_MAPPING } from '../params/partner-mapping';
import { readPostback, RequestParam } from '../params/read-postback';
import { PostbackRefusal } from '../refusals';
import { checkAmountBound } from './amount-bound';
import { validatePostback } from './validate-postback';

function check(params: RequestParam[], limit: string, mapping = NO_MAPPING): PostbackRefusal | null {
  const read = readPostback([['click_id', newId()], ...params], mapping);
  try {
    checkAmountBound(validatePostback(read, undefined), read, limit);
    return null;
  } catch (error) {
    if (error instanceof PostbackRefusal) return error;
    throw error;
  }
}

describe('checkAmountBound', () => {
  it('lets the bound itself and anything below through, and a postback without an amount', () => {
    expect(check([['amount', '1000000']], '1000000.0000')).toBeNull();
    expect(check([['amount', '999999.9999']], '1000000.0000')).toBeNull();
    expect(check([], '1.0000')).toBeNull();
  });

  it('refuses above it with a 400 naming the field and the parameter it came in', () => {
    const refusal = check([['sale_amount', '1000000.0001']], '1000000.0000');
    expect(refusal?.status).toBe(400);
    expect(refusal?.problems[0]).toMatchObject({ field: 'amount', param: 'sale_amount', rule: 'maxAmount' });
    expect(refusal?.reason).toBe('amount must be at most 1000000 (the largest amount one postback may carry)');
  });

  it('judges the amount after scaling: 10^13 cents is 10^11', () => {
    const cents = compilePartnerMapping({ transforms: { amount: { scale: 2 } } });
    expect(check([['amount', '10000000000000']], '1000000.0000', cents)?.problems[0].rule).toBe('maxAmount');
    expect(check([['amount', '100000000']], '1000000.0000', cents)).toBeNull();
  });
});
