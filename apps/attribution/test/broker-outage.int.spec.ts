import { checkBooks, clickFixture, conversionFixture, seedNetwork } from '@tracklane/attribution/testing';
import { DedicatedKafkaBroker, waitFor } from '@tracklane/testing';
import { AttributionHarness } from './harness';

/**
 * Kafka goes away while attribution works: batches that booked their
 * conversions cannot publish or commit. When the broker is back, the
 * replayed batches book nothing twice and publish every decision. A lock
 * on the ledger holds the batches mid-transaction until the broker is down,
 * so the outage lands exactly between booking and publishing.
 */
describe('attribution through a Kafka outage', () => {
  let broker: DedicatedKafkaBroker;
  let harness: AttributionHarness;

  beforeAll(async () => {
    broker = await DedicatedKafkaBroker.create();
    harness = await AttributionHarness.create({ partitions: 3, brokers: broker.brokers });
    await seedNetwork(harness.pool, {
      advertisers: [1],
      affiliates: [7],
      offers: [{ id: 10, dailyCap: 200 }],
      goals: [{ id: 100, offerId: 10, code: 'sale', isDefault: true }],
    });
    await harness.start({ CONVERSION_RETRY_MAX_MS: 120_000 });
  }, 180_000);
  afterAll(async () => {
    await harness?.destroy();
    await broker?.destroy();
  });

  const countBooked = async () => (await harness.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM conversions')).rows[0].n;

  it('books every conversion once and publishes every decision after the broker comes back', async () => {
    const pairs = Array.from({ length: 600 }, () => {
      const click = clickFixture();
      return [click, conversionFixture(click)] as const;
    });
    await harness.publishClicks(pairs.map(([click]) => click));
    await waitFor(async () => (await harness.pool.query('SELECT count(*)::int AS n FROM clicks')).rows[0].n === pairs.length, {
      timeoutMs: 60_000,
      what: 'clicks stored',
    });
    const blocker = await harness.pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE ledger_entries IN SHARE ROW EXCLUSIVE MODE');
    await harness.publishConversions(pairs.map(([, conversion]) => conversion));
    try {
      await waitFor(
      async () => {
        const { rows } = await harness.pool.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO ledger_entries%'`,
        );
        return rows[0].n > 0;
      },
      { timeoutMs: 30_000, what: 'batches waiting to book their ledger entries' },
    );
      await broker.kill();
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    await waitFor(async () => (await countBooked()) > 0, { timeoutMs: 30_000, what: 'batches booked during the outage' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const ids = pairs.map(([, conversion]) => conversion.conversionId);
    expect(harness.events.filter((event) => ids.includes(event.eventId))).toEqual([]);
    await broker.start();

    const rows = await harness.booked(ids, 120_000);
    expect([...rows.values()].filter((row) => row.reason === 'attributed')).toHaveLength(200);
    const events = await harness.eventsFor(ids, 60_000);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(pairs.length);
    const books = await checkBooks(harness.pool);
    expect(books.balanced).toBe(true);
    const entries = await harness.pool.query('SELECT count(*)::int AS n FROM ledger_entries');
    expect(entries.rows[0].n).toBe(200 * 3);
  }, 180_000);
});
