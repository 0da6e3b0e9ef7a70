import { DedicatedKafkaBroker, ReceivedRequest, waitFor } from '@tracklane/testing';
import type { LoadNetwork } from '../support/network';
import { expectPromisesKept } from '../support/promises';
import { withTraffic } from '../support/traffic';
import { SERVICES, startWholePlatform, WholePlatform } from '../support/whole-platform';

/** postback-dispatch's default deadline of one attempt: the longest a request can be in flight. */
const POSTBACK_TIMEOUT_MS = 10_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * While traffic flows, every service is killed with SIGKILL and started
 * again, one after the other, then the Kafka broker is stopped and started.
 * Afterwards every promise made to the traffic still holds: each redirected
 * click recorded, each acknowledged postback booked exactly once, the books
 * balanced, the reports equal to the ledger, a successful outbound
 * postback per conversion, repeated only if it was in flight when
 * postback-dispatch was killed.
 */
describe('the platform under faults', () => {
  let broker: DedicatedKafkaBroker;
  let world: WholePlatform;
  let network: LoadNetwork;

  beforeAll(async () => {
    broker = await DedicatedKafkaBroker.create();
    world = await startWholePlatform({ brokers: broker.brokers });
    network = await world.createNetwork({ offers: 2, affiliates: 3 });
  });
  afterAll(async () => {
    await world?.stop().catch(() => undefined);
    await broker?.destroy();
  });

  it('keeps every promise through a kill -9 of each service and a Kafka restart', async () => {
    // When postback-dispatch was killed: what it had in flight then may be sent again (see below).
    const dispatchKill = { from: 0, to: 0 };
    const traffic = { clickIngestUrl: world.url('click-ingest'), postbackIngestUrl: world.url('postback-ingest'), network, concurrency: 6, clicksPerConversion: 10 };
    const result = await withTraffic(traffic, async () => {
      await pause(3_000);
      for (const service of SERVICES) {
        const killedFrom = Date.now();
        await world.platform.kill(service);
        if (service === 'postback-dispatch') Object.assign(dispatchKill, { from: killedFrom, to: Date.now() });
        await pause(500);
        await world.platform.start(service);
        await pause(2_000);
      }
      await broker.stop();
      await pause(4_000);
      await broker.start();
      await pause(5_000);
    });

    expect(result.clicks.wrongAnswers).toEqual([]);
    expect(result.postbacks.wrongAnswers).toEqual([]);
    expect(result.clicks.redirected.length).toBeGreaterThan(200);
    expect(result.postbacks.accepted.size).toBeGreaterThan(20);

    const kept = await expectPromisesKept(world, result, 180_000);
    expect(kept.clicksRecorded).toBeGreaterThanOrEqual(kept.clicksRedirected);

    // Every acknowledged conversion reaches the affiliate. None twice, with one exception no sender can
    // avoid: a request the receiver answered while postback-dispatch was being killed, before the answer
    // was recorded, is sent again once its lease runs out, with the same Idempotency-Key (receivers dedupe
    // on it) and a higher attempt number. Only those may repeat, and only once.
    const approved = [...result.postbacks.accepted.values()].map((postback) => `${postback.conversionId}:approved`);
    const successesByKey = () => {
      const byKey = new Map<string, ReceivedRequest[]>();
      for (const request of world.affiliateServer.succeeded()) {
        const key = String(request.headers['idempotency-key']);
        byKey.set(key, [...(byKey.get(key) ?? []), request]);
      }
      return byKey;
    };
    await waitFor(() => approved.every((key) => successesByKey().has(key)), {
      timeoutMs: 120_000,
      intervalMs: 1_000,
      what: 'a successful outbound postback for every acknowledged conversion',
    });
    // Time for a repeat to show up, should anything still be sending one.
    await pause(3_000);
    const attempt = (request: ReceivedRequest) => Number(request.headers['x-tracklane-delivery-attempt']);
    const inFlightAtTheKill = ([first, again, ...more]: ReceivedRequest[]) =>
      more.length === 0 &&
      first.receivedAt >= dispatchKill.from - POSTBACK_TIMEOUT_MS &&
      first.receivedAt <= dispatchKill.to &&
      again.receivedAt > dispatchKill.to &&
      attempt(again) > attempt(first);
    const repeated = [...successesByKey()].filter(([, requests]) => requests.length > 1);
    const unexplained = repeated.filter(([, requests]) => !inFlightAtTheKill(requests));
    expect(unexplained.map(([key, requests]) => [key, requests.map((r) => [r.receivedAt, attempt(r)]), dispatchKill])).toEqual([]);
    // Faults take about a minute; the checks may wait up to five more for the platform to catch up.
  }, 480_000);
});
