import { capChecks, capKeyId, grantCapSlots, localPeriods } from './caps';

const offer = {
  id: 10,
  timeZone: 'America/New_York',
  dailyCap: 100,
  monthlyCap: null,
  affiliateDailyCap: 5,
  affiliateMonthlyCap: 50,
};

describe('cap periods', () => {
  it("count days and months in the offer's time zone", () => {
    // 03:30 UTC on 1 March is still 28 February in New York and already 1 March in Tokyo.
    const instant = Date.parse('2025-03-01T03:30:00Z');
    expect(localPeriods(instant, 'America/New_York')).toEqual({ day: '2025-02-28', month: '2025-02-01' });
    expect(localPeriods(instant, 'Asia/Tokyo')).toEqual({ day: '2025-03-01', month: '2025-03-01' });
    expect(localPeriods(instant, 'UTC')).toEqual({ day: '2025-03-01', month: '2025-03-01' });
  });

  it('fall back to UTC for a zone the runtime does not know', () => {
    expect(localPeriods(Date.parse('2025-03-01T03:30:00Z'), 'Mars/Olympus_Mons')).toEqual({ day: '2025-03-01', month: '2025-03-01' });
  });
});

describe('cap checks', () => {
  const at = Date.parse('2025-03-01T15:00:00Z');

  it('lists the offer caps, then the affiliate defaults of the offer', () => {
    const checks = capChecks(offer, undefined, 7, at);
    expect(checks.map((check) => [capKeyId(check.key), check.limit, check.reason])).toEqual([
      ['10:0:day:2025-03-01', 100, 'daily_cap_reached'],
      ['10:7:day:2025-03-01', 5, 'affiliate_daily_cap_reached'],
      ['10:7:month:2025-03-01', 50, 'affiliate_monthly_cap_reached'],
    ]);
  });

  it("prefers the affiliate's own caps on the offer, including a cap of zero", () => {
    const checks = capChecks(offer, { dailyCap: 0, monthlyCap: null }, 7, at);
    expect(checks.filter((check) => check.key.affiliateId === 7).map((check) => [check.key.period, check.limit])).toEqual([
      ['day', 0],
      ['month', 50],
    ]);
  });

  it('is empty for an uncapped offer', () => {
    expect(capChecks({ ...offer, dailyCap: null, affiliateDailyCap: null, affiliateMonthlyCap: null }, undefined, 7, at)).toEqual([]);
  });
});

describe('granting cap slots', () => {
  const at = Date.parse('2025-03-01T15:00:00Z');
  const checks = capChecks({ ...offer, dailyCap: 3, affiliateMonthlyCap: null }, undefined, 7, at);
  const otherAffiliate = capChecks({ ...offer, dailyCap: 3, affiliateMonthlyCap: null }, undefined, 8, at);

  it('grants in order until a counter is full, and names the full cap', () => {
    const used = new Map([['10:0:day:2025-03-01', 1]]);
    const grant = grantCapSlots(
      [
        { id: 'a', checks },
        { id: 'b', checks: otherAffiliate },
        { id: 'c', checks },
      ],
      used,
    );
    expect([...grant.refused]).toEqual([['c', 'daily_cap_reached']]);
    expect(Object.fromEntries([...grant.increments].map(([id, { by }]) => [id, by]))).toEqual({
      '10:0:day:2025-03-01': 2,
      '10:7:day:2025-03-01': 1,
      '10:8:day:2025-03-01': 1,
    });
  });

  it('takes a slot in every counter or none', () => {
    const used = new Map([['10:7:day:2025-03-01', 5]]);
    const grant = grantCapSlots([{ id: 'a', checks }], used);
    expect(grant.refused.get('a')).toBe('affiliate_daily_cap_reached');
    expect(grant.increments.size).toBe(0);
  });

  it('does not change the counts it was given', () => {
    const used = new Map<string, number>();
    grantCapSlots([{ id: 'a', checks }], used);
    expect(used.size).toBe(0);
  });
});
