import { readFileSync } from 'node:fs';
import { platformErrors } from '../support/logs';
import type { LoadNetwork } from '../support/network';
import { expectPromisesKept } from '../support/promises';
import { withTraffic } from '../support/traffic';
import { SERVICES, startWholePlatform, WholePlatform } from '../support/whole-platform';

const TRAFFIC_MS = 8_000;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A process's real user id and whether its root filesystem is mounted read-only, from /proc. */
function confinement(pid: number): { uid: string; rootReadOnly: boolean } {
  const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
  // mountinfo: id parent major:minor root mountpoint options ...
  const root = readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .find((fields) => fields[4] === '/');
  return { uid, rootReadOnly: root?.[5].split(',').includes('ro') ?? false };
}

/** A counter or gauge of click-ingest's spool from its /metrics. */
async function spoolMetric(clickIngestUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${clickIngestUrl}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}{`));
  return Number(line?.split(' ').pop() ?? NaN);
}

/**
 * Every service as its container image runs under Kubernetes' restricted
 * profile: an unprivileged user with no capabilities, the whole filesystem
 * read-only but for click-ingest's spool volume. Click-ingest is given a
 * 1 ms deadline for Kafka's acknowledgement, so that clicks go through its
 * spool (written, then replayed) and not only straight to Kafka. Everything
 * works as unconfined: nothing else is written anywhere, every promise made
 * to the traffic holds, no service logs an error.
 */
describe('the platform confined as in production (non-root, read-only filesystem but the spool)', () => {
  let world: WholePlatform;
  let network: LoadNetwork;

  beforeAll(async () => {
    world = await startWholePlatform({ confined: true, serviceEnv: { CLICK_PUBLISH_DEADLINE_MS: '1' } });
    network = await world.createNetwork({ offers: 2, affiliates: 2 });
  });
  afterAll(async () => {
    await world?.stop().catch(() => undefined);
  });

  it('serves and keeps every promise, spooling clicks to the one writable volume', async () => {
    for (const service of SERVICES) {
      expect({ service, ...confinement(world.platform.pid(service)) }).toEqual({ service, uid: '65534', rootReadOnly: true });
    }

    const traffic = { clickIngestUrl: world.url('click-ingest'), postbackIngestUrl: world.url('postback-ingest'), network, concurrency: 4, clicksPerConversion: 10 };
    const result = await withTraffic(traffic, () => pause(TRAFFIC_MS));

    expect(result.clicks.wrongAnswers).toEqual([]);
    expect(result.postbacks.wrongAnswers).toEqual([]);
    expect(result.clicks.refused).toBe(0);
    expect(result.clicks.redirected.length).toBeGreaterThan(100);
    expect(result.postbacks.accepted.size).toBeGreaterThan(5);

    await expectPromisesKept(world, result, 120_000);

    // The spool was written on the read-only filesystem's one volume and is empty again.
    const clickIngest = world.url('click-ingest');
    expect(await spoolMetric(clickIngest, 'tracklane_spool_appended_total')).toBeGreaterThan(0);
    expect(await spoolMetric(clickIngest, 'tracklane_spool_depth')).toBe(0);
    expect(platformErrors(world)).toEqual([]);
  }, 240_000);
});
