import { coveringLevel } from './rollup-levels';

describe('coveringLevel', () => {
  it.each([
    [[], 'offer'],
    [['offer_id', 'advertiser_id'], 'offer'],
    [['affiliate_id'], 'affiliate'],
    [['affiliate_id', 'advertiser_id'], 'offer_affiliate'],
    [['offer_id', 'affiliate_id'], 'offer_affiliate'],
    [['country'], 'offer_geo'],
    [['affiliate_id', 'device'], 'offer_affiliate_geo'],
    [['sub3'], 'full'],
    [['goal_id'], 'full'],
  ] as const)('reads %j from the %s rollup', (columns, level) => {
    expect(coveringLevel(columns).name).toBe(level);
  });

  it.each([
    [[], 'conversion'],
    [['goal_id', 'affiliate_id'], 'conversion'],
    [['country'], 'offer_geo'],
    [['goal_id', 'sub1'], 'full'],
  ] as const)('reads conversions only for %j from the %s rollup', (columns, level) => {
    expect(coveringLevel(columns, true).name).toBe(level);
  });
});
