import { createTestDatabase, TestDatabase } from '@tracklane/testing';
import { PrismaService } from '@tracklane/db';
import { PgDecisionStore } from '../src/conversions/decision-store';
import { capChecks } from '../src/rules/caps';

describe('decision store (claims and caps in Postgres)', () => {
  let database: TestDatabase;
  let prisma: PrismaService;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = new PrismaService(database.url, 12);
  });
  afterAll(async () => {
    await prisma?.onApplicationShutdown();
    await database?.drop();
  });

  const claim = (requests: Parameters<PgDecisionStore['claim']>[0]) => prisma.$transaction((tx) => new PgDecisionStore(tx).claim(requests));

  it('gives each click and goal, and each order id, to its first claimant, in order', async () => {
    const outcomes = await claim([
      { conversionId: 'a', clickId: 'k1', goalId: 1, advertiserId: 1, orderId: 'o1' },
      { conversionId: 'b', clickId: 'k1', goalId: 1, advertiserId: 1, orderId: null },
      { conversionId: 'c', clickId: 'k1', goalId: 2, advertiserId: 1, orderId: 'o1' },
      { conversionId: 'd', clickId: 'k2', goalId: null, advertiserId: 2, orderId: 'o1' },
    ]);
    expect(Object.fromEntries(outcomes)).toEqual({ a: 'claimed', b: 'duplicate_click_goal', c: 'duplicate_order', d: 'claimed' });
    const later = await claim([{ conversionId: 'e', clickId: 'k1', goalId: 1, advertiserId: 1, orderId: null }]);
    expect(later.get('e')).toBe('duplicate_click_goal');
  });

  it('releases the click and goal of a conversion that lost its order id', async () => {
    await claim([{ conversionId: 'f', clickId: 'k3', goalId: 1, advertiserId: 3, orderId: 'o9' }]);
    const outcomes = await claim([
      { conversionId: 'g', clickId: 'k4', goalId: 1, advertiserId: 3, orderId: 'o9' },
      { conversionId: 'h', clickId: 'k4', goalId: 1, advertiserId: 3, orderId: 'o10' },
    ]);
    expect(Object.fromEntries(outcomes)).toEqual({ g: 'duplicate_order', h: 'claimed' });
  });

  it('takes nothing when the transaction rolls back', async () => {
    await expect(
      prisma.$transaction(async (tx) => {
        await new PgDecisionStore(tx).claim([{ conversionId: 'i', clickId: 'k5', goalId: 1, advertiserId: 1, orderId: 'o20' }]);
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect((await claim([{ conversionId: 'j', clickId: 'k5', goalId: 1, advertiserId: 1, orderId: 'o20' }])).get('j')).toBe('claimed');
  });

  it('never hands out more cap slots than the cap when many transactions race for the last ones', async () => {
    const offer = { id: 1, timeZone: 'Europe/Berlin', dailyCap: 7, monthlyCap: 100, affiliateDailyCap: null, affiliateMonthlyCap: 3 };
    const at = Date.parse('2030-01-31T23:30:00Z'); // already 1 February in Berlin
    const requests = Array.from({ length: 24 }, (_, index) => ({ id: `r${index}`, checks: capChecks(offer, undefined, 1 + (index % 4), at) }));
    const results = await Promise.all(
      requests.map((request) =>
        prisma.$transaction(async (tx) => {
          const refused = await new PgDecisionStore(tx).takeCapSlots([request]);
          // Hold the locks a moment, as a batch booking its conversions would.
          await tx.$executeRaw`SELECT pg_sleep(0.01)`;
          return refused.get(request.id) ?? 'granted';
        }),
      ),
    );
    expect(results.filter((result) => result === 'granted')).toHaveLength(7);
    // Which cap refuses a request depends on the order the transactions ran in: an affiliate's
    // fourth request may meet its monthly cap of 3 before the offer's daily cap of 7 is full.
    const refusals = results.filter((result) => result !== 'granted');
    expect(refusals).toHaveLength(24 - 7);
    expect(refusals.filter((reason) => reason !== 'daily_cap_reached' && reason !== 'affiliate_monthly_cap_reached')).toEqual([]);
    expect(refusals).toContain('daily_cap_reached');
    const { rows } = await prisma.pool.query(
      `SELECT affiliate_id, period, to_char(period_start, 'YYYY-MM-DD') AS start, used FROM attribution_cap_counters ORDER BY 1, 2`,
    );
    expect(rows.find((row) => row.affiliate_id === 0 && row.period === 'day')).toEqual({ affiliate_id: 0, period: 'day', start: '2030-02-01', used: 7 });
    expect(rows.find((row) => row.affiliate_id === 0 && row.period === 'month')).toEqual({ affiliate_id: 0, period: 'month', start: '2030-02-01', used: 7 });
    const perAffiliate = rows.filter((row) => row.affiliate_id > 0);
    expect(perAffiliate.reduce((sum, row) => sum + row.used, 0)).toBe(7);
    expect(perAffiliate.every((row) => row.used <= 3)).toBe(true);
  });

  it('counts a batch of requests in order, all or nothing per request', async () => {
    const offer = { id: 2, timeZone: 'UTC', dailyCap: 2, monthlyCap: null, affiliateDailyCap: 1, affiliateMonthlyCap: null };
    const at = Date.now();
    const refused = await prisma.$transaction((tx) =>
      new PgDecisionStore(tx).takeCapSlots([
        { id: 'a', checks: capChecks(offer, undefined, 1, at) },
        { id: 'b', checks: capChecks(offer, undefined, 1, at) },
        { id: 'c', checks: capChecks(offer, undefined, 2, at) },
        { id: 'd', checks: capChecks(offer, undefined, 3, at) },
      ]),
    );
    expect(Object.fromEntries(refused)).toEqual({ b: 'affiliate_daily_cap_reached', d: 'daily_cap_reached' });
  });
});
