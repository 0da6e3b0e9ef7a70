import { PrismaService } from '@tracklane/db';
import { createTestDatabase, TestDatabase } from '@tracklane/testing';
import { Pool } from 'pg';
import { AffiliateHealthRepository, ClaimedDelivery, DeliveryRepository, NewDelivery } from '../src';

let sequence = 0;
function delivery(overrides: Partial<NewDelivery> = {}): NewDelivery {
  sequence++;
  return {
    deliveryKey: `CONV${sequence}:approved`,
    conversionId: `CONV${sequence}`,
    eventId: `EVENT${sequence}`,
    affiliateId: 7,
    offerId: 10,
    status: 'approved',
    method: 'GET',
    url: `https://a.example/pb?c=${sequence}&token=t`,
    urlMasked: `https://a.example/pb?c=${sequence}&token=***`,
    targetHost: 'a.example',
    body: null,
    refusal: null,
    event: '{"v":1}',
    sourceTopic: 'attributions.v1',
    sourcePartition: 0,
    sourceOffset: String(sequence),
    ...overrides,
  };
}

describe('DeliveryRepository', () => {
  let database: TestDatabase;
  let prisma: PrismaService;
  /** The test's own look at the tables. */
  let pool: Pool;
  let deliveries: DeliveryRepository;
  let health: AffiliateHealthRepository;

  const claim = (overrides: { limit?: number; freeSlots?: Map<string, number>; perHost?: number; leaseMs?: number } = {}) =>
    deliveries.claimDue({ limit: 100, freeSlots: new Map(), perHost: 100, leaseMs: 60_000, ...overrides });
  const row = async (key: string) =>
    (await pool.query('SELECT * FROM postback_deliveries WHERE delivery_key = $1', [key])).rows[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = new PrismaService(database.url, 4);
    pool = prisma.pool;
    deliveries = new DeliveryRepository(prisma);
    health = new AffiliateHealthRepository(prisma, { afterFailures: 3, baseMs: 60_000, maxMs: 200_000 });
  });
  afterAll(async () => {
    await prisma?.onApplicationShutdown();
    await database?.drop();
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE postback_delivery_requests, postback_deliveries, postback_affiliate_health');
  });

  it('records a delivery once; a replay leaves even a delivered one untouched', async () => {
    const first = delivery();
    expect(await deliveries.insert([first, delivery()])).toBe(2);
    const [claimed] = await claim({ limit: 1 });
    expect(claimed.deliveryKey).toBe(first.deliveryKey);
    expect(claimed.url).toBe(first.url);
    expect(await deliveries.recordDelivered(claimed, { statusCode: 200, error: null, latencyMs: 12 })).toBe(true);

    expect(await deliveries.insert([{ ...first, eventId: 'REPLAYED' }])).toBe(0);
    const stored = await row(first.deliveryKey);
    expect(stored).toMatchObject({ state: 'delivered', attempts: 1, last_status_code: 200, event_id: first.eventId });
    expect(stored.delivered_at).toBeInstanceOf(Date);
    expect(stored.url_masked).toBe(first.urlMasked);
  });

  it('records an unusable URL as refused and never hands it out', async () => {
    const refused = delivery({ refusal: 'scheme ftp: is not http or https' });
    await deliveries.insert([refused]);
    expect(await claim()).toEqual([]);
    expect(await row(refused.deliveryKey)).toMatchObject({ state: 'refused', attempts: 0, last_error: 'scheme ftp: is not http or https' });
  });

  it('leases a claim: nobody else gets it until the lease runs out, then with the next attempt number', async () => {
    const only = delivery();
    await deliveries.insert([only]);
    const [first] = await claim({ leaseMs: 300 });
    expect(first.attempts).toBe(1);
    expect(await claim()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const [second] = await claim();
    expect(second.attempts).toBe(2);

    // The first claim is stale now: its result must not overwrite the second.
    expect(await deliveries.recordDelivered(first, { statusCode: 200, error: null, latencyMs: 1 })).toBe(false);
    expect(await deliveries.recordRetry(second, { statusCode: 503, error: 'HTTP 503', latencyMs: 5 }, 60_000)).toBe(true);
    expect(await row(only.deliveryKey)).toMatchObject({ state: 'failed', attempts: 2, last_status_code: 503, last_error: 'HTTP 503' });
    expect(await claim()).toEqual([]);
  });

  it('never lets two concurrent claims take the same delivery', async () => {
    await deliveries.insert(Array.from({ length: 60 }, () => delivery()));
    const worker = async () => {
      const taken: ClaimedDelivery[] = [];
      for (let round = 0; round < 10; round++) taken.push(...(await claim({ limit: 7 })));
      return taken;
    };
    const results = await Promise.all(Array.from({ length: 4 }, worker));
    const ids = results.flat().map((claimed) => claimed.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(60);
  });

  it('gives each host at most its free slots, so a busy host does not crowd out the others', async () => {
    await deliveries.insert(Array.from({ length: 20 }, () => delivery({ targetHost: 'slow.example' })));
    await deliveries.insert(Array.from({ length: 3 }, () => delivery({ targetHost: 'fast.example' })));
    const first = await claim({ perHost: 2 });
    expect(first.filter((claimed) => claimed.targetHost === 'slow.example')).toHaveLength(2);
    expect(first.filter((claimed) => claimed.targetHost === 'fast.example')).toHaveLength(2);

    const next = await claim({ perHost: 2, freeSlots: new Map([['slow.example', 0], ['fast.example', 1]]) });
    expect(next.map((claimed) => claimed.targetHost)).toEqual(['fast.example']);
  });

  it('takes nothing from a paused affiliate, then a single probe once the pause is over', async () => {
    await deliveries.insert(Array.from({ length: 5 }, () => delivery({ affiliateId: 9, targetHost: 'down.example' })));
    await deliveries.insert([delivery({ affiliateId: 7 })]);
    const failing: ClaimedDelivery[] = await claim({ limit: 3 });
    expect(failing.filter((claimed) => claimed.affiliateId === 9)).toHaveLength(3);
    const results = [];
    for (let failure = 0; failure < failing.length; failure++) results.push(await health.recordFailure(9, 'HTTP 503', false));
    expect(results.map((result) => result.paused)).toEqual([false, false, true]);
    expect(results[2].consecutiveFailures).toBe(3);
    for (const claimed of failing) await deliveries.recordRetry(claimed, { statusCode: 503, error: 'HTTP 503', latencyMs: 1 }, 0);

    expect((await claim()).map((claimed) => claimed.affiliateId)).toEqual([7]);
    expect(await health.pausedCount()).toBe(1);

    await pool.query(`UPDATE postback_affiliate_health SET paused_until = now() - interval '1 second' WHERE affiliate_id = 9`);
    const probes = await claim({ leaseMs: 60_000 });
    expect(probes).toHaveLength(1);
    expect(probes[0]).toMatchObject({ affiliateId: 9, probe: true, affiliateFailures: 3 });
    expect(await claim()).toEqual([]);

    // A failed probe pauses it again, for twice as long.
    await health.recordFailure(9, 'HTTP 503', true);
    const { rows } = await pool.query(
      `SELECT state, pauses, extract(epoch FROM paused_until - now()) * 1000 AS remaining FROM postback_affiliate_health WHERE affiliate_id = 9`,
    );
    expect(rows[0]).toMatchObject({ state: 'paused', pauses: 2 });
    expect(Number(rows[0].remaining)).toBeGreaterThan(110_000);
    expect(Number(rows[0].remaining)).toBeLessThanOrEqual(120_000);

    const resumed = await health.recordSuccess(9);
    expect(resumed.wasPausedAt).toBeInstanceOf(Date);
    expect(await health.pausedCount()).toBe(0);
    expect((await health.recordSuccess(9)).wasPausedAt).toBeNull();
    // Four left: the probe's own claim is still leased.
    expect(await claim()).toHaveLength(4);
  });

  it('counts the backlog by state', async () => {
    await deliveries.insert([delivery(), delivery(), delivery()]);
    const [claimed] = await claim({ limit: 1 });
    await deliveries.recordRetry(claimed, { statusCode: null, error: 'ECONNREFUSED', latencyMs: 1 }, 60_000);
    expect(await deliveries.backlog()).toEqual({ pending: 2, failed: 1 });
  });
});
