import { checkBooks, clickFixture, conversionFixture, seedNetwork } from '@tracklane/attribution/testing';
import { ClickV1, ConversionV1 } from '@tracklane/contracts';
import { RunningService } from '@tracklane/observability';
import { waitFor } from '@tracklane/testing';
import { AttributionEnv } from '../src/attribution.env';
import { AttributionHarness } from './harness';

/** Several instances in one consumer group: partitions are shared, caps hold, rebalances lose and duplicate nothing. */
describe('attribution scaled out', () => {
  let harness: AttributionHarness;
  let first: RunningService<AttributionEnv>;

  beforeAll(async () => {
    harness = await AttributionHarness.create({ partitions: 6 });
    await seedNetwork(harness.pool, {
      advertisers: [1],
      affiliates: [7, 8],
      offers: [{ id: 30, dailyCap: 100, affiliateDailyCap: 70 }, { id: 31 }],
      goals: [
        { id: 300, offerId: 30, code: 'sale', isDefault: true },
        { id: 310, offerId: 31, code: 'sale', isDefault: true },
      ],
    });
  });
  afterAll(() => harness?.destroy());

  const work = (count: number, offerId: number): Array<[ClickV1, ConversionV1]> =>
    Array.from({ length: count }, (_, index) => {
      const click = clickFixture({ offerId, affiliateId: index % 2 === 0 ? 7 : 8 });
      return [click, conversionFixture(click)];
    });

  async function publishAfterClicks(pairs: Array<[ClickV1, ConversionV1]>): Promise<void> {
    await harness.publishClicks(pairs.map(([click]) => click));
    const ids = pairs.map(([click]) => click.clickId);
    await waitFor(async () => (await harness.pool.query('SELECT count(*)::int AS n FROM clicks WHERE click_id = ANY($1)', [ids])).rows[0].n === ids.length, {
      timeoutMs: 30_000,
      what: 'clicks stored',
    });
    await harness.publishConversions(pairs.map(([, conversion]) => conversion));
  }

  const decisionsOf = async (instance: RunningService<AttributionEnv>) => {
    const text = await (await fetch(`${instance.url}/metrics`)).text();
    return [...text.matchAll(/^tracklane_attribution_decisions_total\{[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
  };

  const countBooked = async (offerId: number) =>
    (await harness.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM conversions WHERE offer_id = $1', [offerId])).rows[0].n;

  it('shares the partitions between two instances, which never both take the last cap slots', async () => {
    let second: RunningService<AttributionEnv>;
    [first, second] = await Promise.all([harness.start(), harness.start()]);
    const pairs = work(400, 30);
    await publishAfterClicks(pairs);
    const rows = await harness.booked(
      pairs.map(([, conversion]) => conversion.conversionId),
      60_000,
    );
    const reasons: Record<string, number> = {};
    for (const row of rows.values()) reasons[row.reason] = (reasons[row.reason] ?? 0) + 1;
    expect(reasons.attributed).toBe(100);
    expect(reasons.attributed + (reasons.affiliate_daily_cap_reached ?? 0) + (reasons.daily_cap_reached ?? 0)).toBe(400);
    const perAffiliate = await harness.pool.query(
      `SELECT affiliate_id, count(*)::int AS n FROM conversions WHERE offer_id = 30 AND status = 'approved' GROUP BY 1 ORDER BY 1`,
    );
    expect(perAffiliate.rows.every((row) => row.n <= 70)).toBe(true);
    expect(await decisionsOf(first)).toBeGreaterThan(0);
    expect(await decisionsOf(second)).toBeGreaterThan(0);
    expect((await decisionsOf(first)) + (await decisionsOf(second))).toBe(400);
    await harness.stop(second);
  });

  it('loses and duplicates nothing when instances join and leave while conversions flow', async () => {
    const pairs = work(3_000, 31);
    await harness.publishClicks(pairs.map(([click]) => click));
    const waves = Array.from({ length: 15 }, (_, index) => pairs.slice(index * 200, (index + 1) * 200));
    let published = 0;
    const publishing = (async () => {
      for (const wave of waves) {
        await harness.publishConversions(wave.map(([, conversion]) => conversion));
        published += wave.length;
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    })();
    await waitFor(async () => (await countBooked(31)) >= 400, { timeoutMs: 60_000, intervalMs: 20, what: 'work under way' });
    await harness.start();
    const beforeLeaving = await countBooked(31);
    await harness.stop(first);
    expect(beforeLeaving).toBeLessThan(pairs.length);
    expect(published).toBeLessThan(pairs.length);
    await publishing;

    const ids = pairs.map(([, conversion]) => conversion.conversionId);
    await harness.booked(ids, 90_000);
    const events = await harness.eventsFor(ids, 30_000);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(pairs.length);
    const entries = await harness.pool.query(
      `SELECT count(*)::int AS n FROM ledger_entries e JOIN conversions c USING (conversion_id) WHERE c.offer_id = 31`,
    );
    expect(entries.rows[0].n).toBe(pairs.length * 3);
    const books = await checkBooks(harness.pool);
    expect(books.unbalancedEvents).toEqual([]);
    expect(books.mismatches).toEqual([]);
    expect(books.totals.ledger).toEqual(books.totals.conversions);
  });
});
