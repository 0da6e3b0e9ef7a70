import { coveringLevel } from './rollup-levels';

describe('coveringLevel', () => {
  it.each([
    [[], 'offer'],
    [['offer_id', 'advertiser_id'], 'offer'],
    [['affiliate_id'], 'affiliate'],
    [['offer_id', 'affiliate_id'], 'offer_affiliate'],
    [['country'], 'offer_geo'],
    [['affiliate_id', 'device'], 'offer_affiliate_geo'],
    [['sub3'], 'full'],
    [['source', 'affiliate_id'], 'full'],
  ] as const)('reads %j from the %s rollup', (columns, level) => {
    expect(coveringLevel(columns).name).toBe(level);
  });
});
