import { checkTenantIds } from './tenant-scope';
import { visibilityOf } from './visibility';

const advertiser = (seesPayouts: boolean) => visibilityOf({ role: 'advertiser', advertiserId: 3, affiliateId: null }, { advertisersSeePayouts: seesPayouts });
const affiliate = visibilityOf({ role: 'affiliate', advertiserId: null, affiliateId: 7 }, { advertisersSeePayouts: true });

describe('visibilityOf', () => {
  it('shows affiliates their payouts and their side only: never revenue or the sale', () => {
    expect(affiliate).toEqual({ role: 'affiliate', revenue: false, payout: true, advertiserData: false, affiliateData: true, advertiserId: null, affiliateId: 7 });
  });

  it('shows advertisers revenue, the sale and affiliate ids, and payouts only when the network allows it', () => {
    expect(advertiser(false)).toMatchObject({ revenue: true, payout: false, advertiserData: true, affiliateData: true, advertiserId: 3 });
    expect(advertiser(true).payout).toBe(true);
  });

  it('shows admins and operator tools everything', () => {
    for (const role of ['admin', 'system'] as const) {
      expect(visibilityOf({ role, advertiserId: null, affiliateId: null }, { advertisersSeePayouts: false })).toMatchObject({
        role: 'admin',
        revenue: true,
        payout: true,
        advertiserData: true,
        affiliateData: true,
        advertiserId: null,
        affiliateId: null,
      });
    }
  });
});

describe('checkTenantIds', () => {
  const refusal = (run: () => void) => {
    try {
      run();
    } catch (error) {
      return (error as { problem: { status: number; errors: unknown } }).problem;
    }
    return undefined;
  };

  it("refuses another tenant's ids by name, and lets a key ask for its own", () => {
    expect(refusal(() => checkTenantIds(advertiser(false), { advertiserIds: [4] }))).toMatchObject({ status: 403, errors: [{ field: 'advertiser_id' }] });
    expect(refusal(() => checkTenantIds(affiliate, { affiliateIds: [7, 8] }))).toMatchObject({ status: 403, errors: [{ field: 'affiliate_id' }] });
    expect(refusal(() => checkTenantIds(affiliate, { advertiserIds: [3] }))).toMatchObject({ status: 403, errors: [{ field: 'advertiser_id' }] });
    expect(refusal(() => checkTenantIds(advertiser(false), { advertiserIds: [3], affiliateIds: [7, 8] }))).toBeUndefined();
    expect(refusal(() => checkTenantIds(affiliate, { affiliateIds: [7] }))).toBeUndefined();
  });
});
