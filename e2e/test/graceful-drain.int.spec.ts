import type { LoadNetwork } from '../support/network';
import { expectPromisesKept } from '../support/promises';
import { withTraffic } from '../support/traffic';
import { SERVICES, startWholePlatform, WholePlatform } from '../support/whole-platform';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What an orchestrator does on every deploy: SIGTERM to a running instance
 * while it serves. Each service in turn is stopped that way mid-load and
 * started again. A stopping service answers every request it has taken —
 * with a redirect or a 2xx, never a 5xx — closes its connections after
 * each answer and refuses new ones (the caller's retry or the load balancer
 * finds another instance), hands over what it holds, and exits 0 within its
 * grace period. Afterwards every promise made to the traffic holds.
 */
describe('the platform stopped service by service with SIGTERM under load', () => {
  let world: WholePlatform;
  let network: LoadNetwork;

  beforeAll(async () => {
    world = await startWholePlatform();
    network = await world.createNetwork({ offers: 2, affiliates: 2 });
  });
  afterAll(async () => {
    await world?.stop().catch(() => undefined);
  });

  it('drains each service: no 5xx to a request it took, a clean exit, and every promise kept', async () => {
    const exits: Record<string, number | null> = {};
    const traffic = { clickIngestUrl: world.url('click-ingest'), postbackIngestUrl: world.url('postback-ingest'), network, concurrency: 6, clicksPerConversion: 10 };
    const result = await withTraffic(traffic, async () => {
      await pause(3_000);
      for (const service of SERVICES) {
        exits[service] = await world.platform.terminate(service);
        await pause(500);
        await world.platform.start(service);
        await pause(2_000);
      }
    });

    expect(exits).toEqual(Object.fromEntries(SERVICES.map((service) => [service, 0])));
    expect(result.clicks.wrongAnswers).toEqual([]);
    expect(result.postbacks.wrongAnswers).toEqual([]);
    // A stopping ingress finishes what it took: no click was refused and no postback answered 503.
    expect(result.clicks.refused).toBe(0);
    expect(result.postbacks.unavailable).toBe(0);
    expect(result.clicks.redirected.length).toBeGreaterThan(200);
    expect(result.postbacks.accepted.size).toBeGreaterThan(20);

    await expectPromisesKept(world, result, 180_000);
  }, 480_000);
});
