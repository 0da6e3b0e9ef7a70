import { KafkaCluster, readTopic } from '@tracklane/testing';
import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics, KafkaMessageProducer } from '../src';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One produce request spans partitions led by several brokers. When a broker
 * shuts down, the partitions it led move to the others; its answer for them
 * is "not the leader", while another broker's answer in the same request
 * already came back fine. A retry of the whole send must still reach the new
 * leaders with those partitions' messages: a send the producer resolves is in
 * the topic, every time a node goes away and comes back.
 */
describe('the producer while partition leaders move between brokers', () => {
  let cluster: KafkaCluster;
  let kafka: Kafka;
  let producer: KafkaMessageProducer;
  const topic = 'leader-moves';

  beforeAll(async () => {
    cluster = await KafkaCluster.create(3);
    kafka = new Kafka({ clientId: 'leader-moves', brokers: cluster.brokers.split(','), logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, [{ name: topic, partitions: 12 }], {
      replicationFactor: 3,
      minInsyncReplicas: 2,
      retentionMs: 3_600_000,
      deadLetterRetentionMs: 3_600_000,
    });
    producer = new KafkaMessageProducer(kafka);
  }, 180_000);
  afterAll(async () => {
    await producer?.close().catch(() => undefined);
    await cluster?.destroy();
  });

  it('has in the topic every message of every send it resolved', async () => {
    const acknowledged: string[] = [];
    let sending = true;
    let next = 0;
    const sender = async () => {
      while (sending) {
        // Keyed by id: each send touches most of the twelve partitions, so most requests go to every leader.
        const ids = Array.from({ length: 24 }, () => `m${next++}`);
        try {
          await producer.send(topic, ids.map((id) => ({ key: id, value: Buffer.from(id) })));
          acknowledged.push(...ids);
        } catch {
          // Not acknowledged: the caller sends it again (or answers so). Only what resolved is promised.
          await pause(50);
        }
      }
    };
    const senders = Array.from({ length: 4 }, sender);

    await pause(2_000);
    for (const node of [1, 2]) {
      // A graceful stop moves the node's partitions to the others while requests are in flight; then it returns.
      await cluster.stopNode(node);
      await pause(3_000);
      await cluster.startNode(node);
      await pause(3_000);
    }
    sending = false;
    await Promise.all(senders);

    const inTopic = new Set((await readTopic(kafka, topic, { idleMs: 3_000, timeoutMs: 120_000 })).map((message) => message.value?.toString()));
    const lost = acknowledged.filter((id) => !inTopic.has(id));
    expect(acknowledged.length).toBeGreaterThan(1_000);
    expect({ lost: lost.length, firstLost: lost.slice(0, 5) }).toEqual({ lost: 0, firstLost: [] });
  }, 300_000);
});
