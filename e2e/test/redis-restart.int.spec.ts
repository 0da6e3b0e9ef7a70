import { createRedis } from '@tracklane/cache';
import { idTime } from '@tracklane/contracts';
import { DedicatedRedis, waitFor } from '@tracklane/testing';
import { Pool } from 'pg';
import type { LoadNetwork } from '../support/network';
import { expectPromisesKept } from '../support/promises';
import { untilServed, withTraffic } from '../support/traffic';
import { SERVICES, startWholePlatform, WholePlatform } from '../support/whole-platform';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const OUTAGE_MS = 4_000;
/** A click's id is minted when its request arrives; its Redis check may run a moment later, or wait out a reconnect. */
const CHECK_SLACK_MS = 1_000;
/** ioredis retries every 100 ms more, up to 2 s apart: after a 4 s outage the next attempt is at most 2 s away. */
const RECONNECT_SLACK_MS = 3_000;

interface Outage {
  from: number;
  to: number;
}

/**
 * Redis as production may run it, without persistence, killed (-9) twice
 * while clicks and postbacks flow, each time down for a few seconds and back
 * empty. Redis holds no promise: while it is down clicks are still redirected
 * (flagged unverified: neither uniqueness nor rate could be checked) and
 * postbacks still acknowledged; afterwards every redirected click is recorded
 * and reported, every acknowledged postback booked exactly once, the reports
 * equal to the ledger. And every service finds the new Redis on its own:
 * clicks are checked again, attribution copies clicks to it, catalogue
 * announcements reach the ingresses, every /readyz answers 200.
 */
describe('the platform when Redis restarts empty', () => {
  let redis: DedicatedRedis;
  let world: WholePlatform;
  let network: LoadNetwork;

  beforeAll(async () => {
    redis = await DedicatedRedis.create();
    // A click's Redis checks may wait a second, not the default 100 ms: on a loaded two-core machine a slow answer
    // would flag clicks unverified outside the outages. While Redis is down the checks fail at once all the same.
    world = await startWholePlatform({ serviceEnv: { REDIS_URL: redis.url, CLICK_CHECKS_DEADLINE_MS: '1000' } });
    network = await world.createNetwork({ offers: 2, affiliates: 2 });
  });
  afterAll(async () => {
    await world?.stop().catch(() => undefined);
    await redis?.destroy();
  });

  /** Keys the services wrote to the (new) Redis under the stack's prefix, by pattern after the prefix. */
  async function keysIn(pattern: string): Promise<number> {
    const client = createRedis({ url: redis.url });
    try {
      const [, keys] = await client.scan('0', 'MATCH', `${world.stack.redis.prefix}${pattern}`, 'COUNT', 100_000);
      return keys.length;
    } finally {
      client.disconnect();
    }
  }

  /** Every service reconnected: clicks checked again, click copies written again, every /readyz back to 200. */
  async function untilRedisUsedAgain(): Promise<void> {
    await waitFor(async () => (await keysIn('click:u:*')) > 0 && (await keysIn('attr:click:*')) > 0, {
      timeoutMs: 15_000,
      intervalMs: 200,
      what: 'uniqueness flags and click copies in the restarted Redis',
    });
    await waitFor(
      async () => (await Promise.all(SERVICES.map(async (service) => (await fetch(`${world.url(service)}/readyz`)).status))).every((status) => status === 200),
      { timeoutMs: 15_000, intervalMs: 200, what: 'every service ready again' },
    );
  }

  /** Each service's /readyz status and what it says of Redis. */
  async function readiness(): Promise<Record<string, { status: number; redis: unknown }>> {
    const answers = await Promise.all(
      SERVICES.map(async (service) => {
        const response = await fetch(`${world.url(service)}/readyz`);
        const body = (await response.json()) as { checks: { redis: { ok: boolean; warnings?: string[] } } };
        return [service, { status: response.status, redis: body.checks.redis }] as const;
      }),
    );
    return Object.fromEntries(answers);
  }

  it('keeps every promise through two kills of Redis, answering while it is down and using it again once it is back', async () => {
    const outages: Outage[] = [];
    const readinessDuringOutages: Record<string, { status: number; redis: unknown }>[] = [];
    const traffic = { clickIngestUrl: world.url('click-ingest'), postbackIngestUrl: world.url('postback-ingest'), network, concurrency: 4, clicksPerConversion: 10 };
    const result = await withTraffic(traffic, async () => {
      await pause(4_000);
      for (let round = 0; round < 2; round++) {
        const from = Date.now();
        await redis.kill();
        await pause(OUTAGE_MS / 2);
        readinessDuringOutages.push(await readiness());
        await pause(OUTAGE_MS / 2);
        outages.push({ from, to: Date.now() });
        await redis.start();
        await untilRedisUsedAgain();
        await pause(3_000);
      }
      // A catalogue change made now reaches both ingresses through the restarted Redis's pub/sub, not their minute's
      // reload: well within half of it, also on a slow host.
      const lateNetwork = await world.createNetwork({ offers: 1, affiliates: 1 });
      await untilServed({ clickIngestUrl: world.url('click-ingest'), postbackIngestUrl: world.url('postback-ingest'), network: lateNetwork }, 30_000);
    });

    expect(result.clicks.wrongAnswers).toEqual([]);
    expect(result.postbacks.wrongAnswers).toEqual([]);
    // Redis is no reason to refuse a click or ask an advertiser to retry an unsigned postback.
    expect(result.clicks.refused).toBe(0);
    expect(result.postbacks.retried).toBe(0);
    const during = (at: number, outage: Outage) => at >= outage.from && at <= outage.to;
    for (const outage of outages) {
      expect(result.clicks.redirected.filter((clickId) => during(idTime(clickId), outage)).length).toBeGreaterThan(20);
      expect([...result.postbacks.accepted.values()].filter((postback) => during(postback.ackedAt, outage)).length).toBeGreaterThan(0);
    }

    // The services that carry on without Redis stay in their load balancer's rotation, with a warning; the others do not.
    const carryOn = new Set(['click-ingest', 'postback-ingest', 'attribution']);
    for (const during of readinessDuringOutages) {
      for (const service of SERVICES) {
        expect({ service, ...during[service] }).toEqual(
          carryOn.has(service)
            ? { service, status: 200, redis: expect.objectContaining({ ok: true, warnings: [expect.stringContaining('unreachable, carrying on without it')] }) }
            : { service, status: 503, redis: expect.objectContaining({ ok: false }) },
        );
      }
    }

    await expectPromisesKept(world, result, 120_000);

    // Clicks went through unverified while Redis was down, and only then: each outage has some, and none came after reconnecting.
    const pool = new Pool({ connectionString: world.stack.database.url, max: 1 });
    const unverified = await pool
      .query<{ click_id: string }>(`SELECT click_id FROM clicks WHERE 'unverified' = ANY(flags)`)
      .then(({ rows }) => rows.map((row) => idTime(row.click_id)))
      .finally(() => pool.end());
    for (const outage of outages) expect(unverified.filter((at) => during(at, outage)).length).toBeGreaterThan(0);
    const outsideOutages = unverified.filter(
      (at) => !outages.some((outage) => during(at, { from: outage.from - CHECK_SLACK_MS, to: outage.to + RECONNECT_SLACK_MS })),
    );
    expect(outsideOutages.map((at) => new Date(at).toISOString())).toEqual([]);
  }, 240_000);
});
