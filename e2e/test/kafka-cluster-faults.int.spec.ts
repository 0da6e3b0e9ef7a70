import { allTopics } from '@tracklane/contracts';
import { KafkaCluster, waitFor } from '@tracklane/testing';
import type { LoadNetwork } from '../support/network';
import { expectPromisesKept } from '../support/promises';
import { withTraffic } from '../support/traffic';
import { startWholePlatform, WholePlatform } from '../support/whole-platform';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A metric's value from a service's /metrics (summed over its label sets), 0 when it is not there. */
async function metric(serviceUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/**
 * The production shape of Kafka: three KRaft nodes, every topic with three
 * replicas and min.insync.replicas 2. While clicks and postbacks flow, the
 * node leading most partitions is killed (-9): writes go on through the other
 * two. While it is still down a second node is stopped: one copy is no longer
 * enough, so writes must fail fast — clicks to click-ingest's spool (the
 * visitor is still redirected), postbacks to a 503 the advertiser retries —
 * rather than be acknowledged by one broker alone. Both come back. Afterwards
 * every promise holds: each redirected click recorded and reported, each
 * acknowledged postback booked exactly once, the reports equal to the ledger,
 * nothing left in the spool.
 */
describe('the platform on a three-node Kafka cluster losing brokers', () => {
  let cluster: KafkaCluster;
  let world: WholePlatform;
  let network: LoadNetwork;

  beforeAll(async () => {
    cluster = await KafkaCluster.create(3);
    world = await startWholePlatform({ brokers: cluster.brokers, topics: { replicationFactor: 3, minInsyncReplicas: 2 } });
    network = await world.createNetwork({ offers: 2, affiliates: 2 });
  });
  afterAll(async () => {
    await world?.stop().catch(() => undefined);
    await cluster?.destroy();
  });

  it('keeps every promise through a kill -9 of the busiest broker, and refuses unsafe writes with two of three down', async () => {
    const clickIngest = world.url('click-ingest');
    const spooledBefore = await metric(clickIngest, 'tracklane_spool_appended_total');
    let spooledWhileDown = 0;
    const traffic = { clickIngestUrl: clickIngest, postbackIngestUrl: world.url('postback-ingest'), network, concurrency: 4, clicksPerConversion: 10 };
    const result = await withTraffic(traffic, async () => {
      await pause(3_000);
      const topics = allTopics({ prefix: world.stack.topics.prefix, partitions: 3 }).map((topic) => topic.name);
      const first = await cluster.leaderOfMost(world.stack.topics.kafka, topics);
      await cluster.killNode(first);
      // Two copies are left: writes go on, acknowledged by both.
      await pause(8_000);
      const second = first === 1 ? 2 : 1;
      await cluster.stopNode(second);
      // One node left: below min.insync.replicas (and without a controller quorum), so nothing may be acknowledged by Kafka.
      await pause(8_000);
      spooledWhileDown = (await metric(clickIngest, 'tracklane_spool_appended_total')) - spooledBefore;
      await cluster.startNode(second);
      await cluster.startNode(first);
      await pause(8_000);
    });

    expect(result.clicks.wrongAnswers).toEqual([]);
    expect(result.postbacks.wrongAnswers).toEqual([]);
    expect(result.clicks.redirected.length).toBeGreaterThan(100);
    expect(result.postbacks.accepted.size).toBeGreaterThan(10);
    // Writes failed fast while one node was left: clicks went to the spool, postbacks got a 503 to retry.
    expect(spooledWhileDown).toBeGreaterThan(0);
    expect(result.postbacks.retried).toBeGreaterThan(0);

    await expectPromisesKept(world, result, 180_000);
    await waitFor(async () => (await metric(clickIngest, 'tracklane_spool_depth')) === 0, { timeoutMs: 60_000, what: 'an empty click spool' });
  }, 480_000);
});
