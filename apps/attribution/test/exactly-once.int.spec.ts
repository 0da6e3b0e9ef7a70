import { checkBooks, clickFixture, conversionFixture, seedNetwork } from '@tracklane/attribution/testing';
import { ClickV1, ConversionV1, conversionsV1, topicNames } from '@tracklane/contracts';
import { ServiceProcess, waitFor } from '@tracklane/testing';
import { AttributionHarness } from './harness';

/**
 * Exactly-once effect across crashes: the service runs as a real process
 * and is killed with SIGKILL — in the middle of its work, and between a
 * batch's database commit and its offset commit. After a restart, every
 * conversion is booked once, caps hold, the books balance, and every
 * decision is published (downstream deduplicates on eventId).
 */
describe('attribution exactly once across kill -9', () => {
  let harness: AttributionHarness;
  let running: ServiceProcess | undefined;

  beforeAll(async () => {
    harness = await AttributionHarness.create({ partitions: 3 });
    await seedNetwork(harness.pool, {
      advertisers: [1],
      affiliates: [7],
      offers: [{ id: 10, dailyCap: 1_500 }, { id: 20 }],
      goals: [
        { id: 100, offerId: 10, code: 'sale', isDefault: true },
        { id: 200, offerId: 20, code: 'sale', isDefault: true },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await running?.kill();
    await harness?.destroy();
  });

  const start = async (fault = '') => {
    running = await ServiceProcess.start({
      app: 'attribution',
      env: harness.env({ CONVERSION_RETRY_MAX_MS: 120_000, ATTRIBUTION_FAULT: fault, LOG_LEVEL: 'info' }),
      startTimeoutMs: 60_000,
    });
    return running;
  };

  const pairs = (count: number, offerId: number): Array<[ClickV1, ConversionV1]> =>
    Array.from({ length: count }, () => {
      const click = clickFixture({ offerId });
      return [click, conversionFixture(click)];
    });

  const countBooked = async (offerId: number) =>
    (await harness.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM conversions WHERE offer_id = $1', [offerId])).rows[0].n;

  const committedOffsets = async (groupId: string, topic: string) => {
    const admin = harness.stack.topics.kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return Object.fromEntries(offsets.partitions.map((partition) => [partition.partition, partition.offset]));
    } finally {
      await admin.disconnect();
    }
  };

  it('books every conversion once and keeps caps exact when killed in the middle of its work', async () => {
    const work = pairs(2_000, 10);
    // Clicks and conversions race each other, as in production: some conversions wait on the retry topic.
    await harness.publishClicks(work.map(([click]) => click));
    await harness.publishConversions(work.map(([, conversion]) => conversion));

    const first = await start();
    await waitFor(async () => (await countBooked(10)) >= 300, { timeoutMs: 60_000, intervalMs: 20, what: 'some conversions booked' });
    await first.kill();
    const atKill = await countBooked(10);
    expect(atKill).toBeLessThan(work.length);

    await start();
    await waitFor(async () => (await countBooked(10)) === work.length, { timeoutMs: 120_000, intervalMs: 250, what: 'all conversions booked' });
    const { rows } = await harness.pool.query(
      `SELECT reason, count(*)::int AS n FROM conversions WHERE offer_id = 10 GROUP BY reason ORDER BY reason`,
    );
    expect(rows).toEqual([
      { reason: 'attributed', n: 1_500 },
      { reason: 'daily_cap_reached', n: 500 },
    ]);
    const entries = await harness.pool.query(
      `SELECT count(*)::int AS n FROM ledger_entries e JOIN conversions c USING (conversion_id) WHERE c.offer_id = 10`,
    );
    expect(entries.rows[0].n).toBe(1_500 * 3);
    const { rows: counters } = await harness.pool.query(`SELECT used FROM attribution_cap_counters WHERE offer_id = 10 AND period = 'day'`);
    expect(counters).toEqual([{ used: 1_500 }]);
    expect((await harness.pool.query('SELECT count(*)::int AS n FROM clicks')).rows[0].n).toBe(work.length);

    const ids = work.map(([, conversion]) => conversion.conversionId);
    const events = await harness.eventsFor(ids, 30_000);
    const distinct = new Map(events.map((event) => [event.eventId, event]));
    expect(distinct.size).toBe(work.length);
    const approved = [...distinct.values()].filter((event) => event.status === 'approved').length;
    expect(approved).toBe(1_500);
    await running?.stop();
  });

  it('publishes on replay what a crash between the database commit and the offset commit left unpublished', async () => {
    const work = pairs(300, 20);
    const conversionsTopic = topicNames(conversionsV1, harness.stack.topics.prefix).main;
    const groupId = `${harness.stack.topics.prefix}attribution-conversions`;

    const faulty = await start('kill-after-commit');
    await harness.publishClicks(work.map(([click]) => click));
    await waitFor(async () => (await harness.pool.query('SELECT count(*)::int AS n FROM clicks WHERE offer_id = 20')).rows[0].n === work.length, {
      timeoutMs: 30_000,
      what: 'clicks stored',
    });
    const before = await committedOffsets(groupId, conversionsTopic);
    await harness.publishConversions(work.map(([, conversion]) => conversion));
    await faulty.exited;

    const committedButUnpublished = (
      await harness.pool.query<{ conversion_id: string }>('SELECT conversion_id FROM conversions WHERE offer_id = 20')
    ).rows.map((row) => row.conversion_id);
    // Batches of other partitions may commit in the moment the first one's kill lands: some or all 300.
    expect(committedButUnpublished.length).toBeGreaterThan(0);
    expect(await committedOffsets(groupId, conversionsTopic)).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(harness.events.filter((event) => committedButUnpublished.includes(event.eventId))).toEqual([]);

    await start();
    await waitFor(async () => (await countBooked(20)) === work.length, { timeoutMs: 120_000, intervalMs: 250, what: 'all conversions booked' });
    const events = await harness.eventsFor(work.map(([, conversion]) => conversion.conversionId), 30_000);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(work.length);
    expect(events.filter((event) => committedButUnpublished.includes(event.eventId)).every((event) => event.status === 'approved')).toBe(true);
    const entries = await harness.pool.query(
      `SELECT count(*)::int AS n FROM ledger_entries e JOIN conversions c USING (conversion_id) WHERE c.offer_id = 20`,
    );
    expect(entries.rows[0].n).toBe(work.length * 3);
    await running?.stop();
  });

  it('keeps the books balanced through both crashes', async () => {
    const books = await checkBooks(harness.pool);
    expect(books.unbalancedEvents).toEqual([]);
    expect(books.mismatches).toEqual([]);
    expect(books.totals.ledger).toEqual(books.totals.conversions);
    expect(books.totals.ledger['approved:advertiser_receivable']).toBe(((1_500 + 300) * 10).toFixed(4));
  });
});
