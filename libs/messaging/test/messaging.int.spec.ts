import { clicksV1, ClickV1, newId, topicNames } from '@tracklane/contracts';
import pino from 'pino';
import { createTestTopics, readTopic, TestTopics, waitFor } from '@tracklane/testing';
import { BatchConsumerOptions, checkTopics, ConsumedMessage, DEAD_LETTER_HEADERS, deleteTopics, ensureTopics, KafkaBatchConsumer, KafkaMessageProducer } from '../src';

function click(): ClickV1 {
  return {
    v: 1,
    clickId: newId(),
    occurredAt: new Date().toISOString(),
    offerId: 1,
    advertiserId: 1,
    affiliateId: 1,
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: null,
    affClickId: null,
    ip: '127.0.0.1',
    userAgent: 'test',
    referrer: null,
    country: null,
    device: null,
    unique: true,
    flags: [],
    disposition: 'accepted',
    params: {},
  };
}

describe('messaging on a real Kafka broker', () => {
  let topics: TestTopics;
  let producer: KafkaMessageProducer;
  let names: ReturnType<typeof topicNames>;

  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 3 });
    producer = new KafkaMessageProducer(topics.kafka);
    names = topicNames(clicksV1, topics.prefix);
  });
  afterAll(async () => {
    await producer.close();
    await topics.drop();
  });

  function consumer(groupId: string, handler: BatchConsumerOptions<ClickV1>['handler']) {
    return new KafkaBatchConsumer<ClickV1>(
      { kafka: topics.kafka, producer },
      {
        groupId,
        topics: { [names.main]: (bytes) => clicksV1.decode(bytes) },
        handler,
        deadLetterTopic: () => names.deadLetter,
        retryBackoffMs: 20,
      },
    );
  }

  async function publish(clicks: ClickV1[]): Promise<void> {
    await Promise.all(
      clicks.map((value) => producer.send(names.main, [{ key: value.clickId, value: clicksV1.encode(value) }])),
    );
  }

  it('batches concurrent sends into few requests and delivers every message once', async () => {
    const clicks = Array.from({ length: 500 }, click);
    await publish(clicks);
    const read = await readTopic(topics.kafka, names.main, { expected: 500 });
    expect(read.map((message) => message.key).sort()).toEqual(clicks.map((value) => value.clickId).sort());
  });

  it('sends a poison message to the dead-letter topic with the error, and keeps consuming', async () => {
    const good = [click(), click()];
    await producer.send(names.main, [
      { key: good[0].clickId, value: clicksV1.encode(good[0]) },
      { key: 'poison', value: '{"v":1,"clickId":"nope"}' },
      { key: good[1].clickId, value: clicksV1.encode(good[1]) },
    ]);
    const handled = new Set<string>();
    const group = consumer(`g-${newId()}`, async (messages) => {
      for (const message of messages) handled.add(message.value.clickId);
    });
    await group.start();
    try {
      await waitFor(() => good.every((value) => handled.has(value.clickId)), { what: 'good messages handled' });
    } finally {
      await group.stop();
    }
    const dead = await readTopic(topics.kafka, names.deadLetter, { expected: 1 });
    expect(dead).toHaveLength(1);
    expect(dead[0].key).toBe('poison');
    expect(dead[0].value?.toString()).toBe('{"v":1,"clickId":"nope"}');
    expect(dead[0].headers[DEAD_LETTER_HEADERS.error]).toMatch(/unreadable message: clickId: must match/);
    expect(dead[0].headers[DEAD_LETTER_HEADERS.topic]).toBe(names.main);
  });

  it('retries a batch whose handler fails transiently, without losing or repeating it', async () => {
    const fresh = await createTestTopics({ partitions: 1 });
    const freshNames = topicNames(clicksV1, fresh.prefix);
    const freshProducer = new KafkaMessageProducer(fresh.kafka);
    try {
      const values = [click(), click(), click()];
      await freshProducer.send(
        freshNames.main,
        values.map((value) => ({ key: value.clickId, value: clicksV1.encode(value) })),
      );
      let failuresLeft = 2;
      const committed: string[] = [];
      const group = new KafkaBatchConsumer<ClickV1>(
        { kafka: fresh.kafka, producer: freshProducer },
        {
          groupId: `g-${newId()}`,
          topics: { [freshNames.main]: (bytes) => clicksV1.decode(bytes) },
          deadLetterTopic: () => freshNames.deadLetter,
          retryBackoffMs: 10,
          handler: async (messages) => {
            if (failuresLeft-- > 0) throw new Error('database briefly unavailable');
            committed.push(...messages.map((message) => message.value.clickId));
          },
        },
      );
      await group.start();
      await waitFor(() => committed.length === 3, { what: 'batch handled after retries' });
      await group.stop();
      expect(committed).toEqual(values.map((value) => value.clickId));
    } finally {
      await freshProducer.close();
      await fresh.drop();
    }
  });

  it('keeps its membership through a batch slower than the session timeout, so the batch is handled once, and says it is still running', async () => {
    const fresh = await createTestTopics({ partitions: 1 });
    const freshNames = topicNames(clicksV1, fresh.prefix);
    const freshProducer = new KafkaMessageProducer(fresh.kafka);
    const groupId = `g-${newId()}`;
    try {
      const values = [click(), click()];
      await freshProducer.send(
        freshNames.main,
        values.map((value) => ({ key: value.clickId, value: clicksV1.encode(value) })),
      );
      let handled = 0;
      const logged: string[] = [];
      const group = new KafkaBatchConsumer<ClickV1>(
        { kafka: fresh.kafka, producer: freshProducer, logger: pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) }) },
        {
          groupId,
          topics: { [freshNames.main]: (bytes) => clicksV1.decode(bytes) },
          deadLetterTopic: () => freshNames.deadLetter,
          // The broker's smallest session; the handler below never heartbeats itself.
          sessionTimeoutMs: 6_000,
          stillRunningWarnMs: 4_000,
          handler: async () => {
            handled++;
            await new Promise((resolve) => setTimeout(resolve, 9_000));
          },
        },
      );
      await group.start();
      const admin = fresh.kafka.admin();
      await admin.connect();
      try {
        const committed = async () => (await admin.fetchOffsets({ groupId, topics: [freshNames.main] }))[0].partitions[0].offset;
        await waitFor(async () => (await committed()) === '2', { timeoutMs: 30_000, what: 'the slow batch committed' });
      } finally {
        await admin.disconnect();
      }
      await group.stop();
      expect(handled).toBe(1);
      // At 4 s and at 8 s of the 9 s batch: the only sign of a handler that never returns.
      const stillRunning = logged.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'batch handler still running');
      expect(stillRunning.map(({ group, topic, partition, messages }) => ({ group, topic, partition, messages }))).toEqual([
        { group: groupId, topic: freshNames.main, partition: 0, messages: 2 },
        { group: groupId, topic: freshNames.main, partition: 0, messages: 2 },
      ]);
      expect(stillRunning[1].runningMs).toBeGreaterThanOrEqual(8_000);
    } finally {
      await freshProducer.close();
      await fresh.drop();
    }
  }, 40_000);

  it('restarts instead of stopping for good when a batch keeps failing with an error kafkajs deems unrecoverable', async () => {
    const fresh = await createTestTopics({ partitions: 1 });
    const freshNames = topicNames(clicksV1, fresh.prefix);
    const freshProducer = new KafkaMessageProducer(fresh.kafka);
    try {
      const value = click();
      await freshProducer.send(freshNames.main, [{ key: value.clickId, value: clicksV1.encode(value) }]);
      let failuresLeft = 7; // more than the consumer's own attempts of one batch
      const handled: string[] = [];
      const group = new KafkaBatchConsumer<ClickV1>(
        { kafka: fresh.kafka, producer: freshProducer },
        {
          groupId: `g-${newId()}`,
          topics: { [freshNames.main]: (bytes) => clicksV1.decode(bytes) },
          deadLetterTopic: () => freshNames.deadLetter,
          retryBackoffMs: 10,
          handler: async (messages) => {
            if (failuresLeft-- > 0) throw Object.assign(new Error('request refused'), { retriable: false });
            handled.push(...messages.map((message) => message.value.clickId));
          },
        },
      );
      await group.start();
      await waitFor(() => handled.length === 1, { timeoutMs: 30_000, what: 'batch handled after the consumer restarted' });
      await group.stop();
      expect(handled).toEqual([value.clickId]);
    } finally {
      await freshProducer.close();
      await fresh.drop();
    }
  });

  it('splits a send too big for one request, so the broker accepts all of it', async () => {
    const fresh = await createTestTopics({ partitions: 1 });
    const big = new KafkaMessageProducer(fresh.kafka);
    try {
      const topic = topicNames(clicksV1, fresh.prefix).main;
      const payload = 'x'.repeat(1_000);
      // 3 MB to one partition: one record batch of it would exceed the broker's 1 MiB message.max.bytes.
      await big.send(
        topic,
        Array.from({ length: 3_000 }, (_, index) => ({ key: 'same-key', value: `${index}:${payload}` })),
      );
      const read = await readTopic(fresh.kafka, topic, { expected: 3_000, timeoutMs: 30_000 });
      expect(read.map((message) => Number(message.value?.toString().split(':')[0]))).toEqual(Array.from({ length: 3_000 }, (_, index) => index));
    } finally {
      await big.close();
      await fresh.drop();
    }
  });

  it('resumes after a restart from the committed offset: nothing lost, nothing handled twice', async () => {
    const fresh = await createTestTopics({ partitions: 3 });
    const freshNames = topicNames(clicksV1, fresh.prefix);
    const freshProducer = new KafkaMessageProducer(fresh.kafka);
    const groupId = `g-${newId()}`;
    const handled: string[] = [];
    const start = () => {
      const group = new KafkaBatchConsumer<ClickV1>(
        { kafka: fresh.kafka, producer: freshProducer },
        {
          groupId,
          topics: { [freshNames.main]: (bytes) => clicksV1.decode(bytes) },
          deadLetterTopic: () => freshNames.deadLetter,
          handler: async (messages: ConsumedMessage<ClickV1>[]) => {
            handled.push(...messages.map((message) => message.value.clickId));
            // The stop below begins while the batch that completes a half is still in its handler:
            // a batch finished while its consumer stops is committed, not replayed after the restart.
            if (handled.length % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 500));
          },
        },
      );
      return group.start().then(() => group);
    };
    const send = (values: ClickV1[]) =>
      freshProducer.send(
        freshNames.main,
        values.map((value) => ({ key: value.clickId, value: clicksV1.encode(value) })),
      );
    try {
      const before = Array.from({ length: 50 }, click);
      const after = Array.from({ length: 50 }, click);
      await send(before);
      const first = await start();
      await waitFor(() => handled.length >= 50, { what: 'first 50 handled' });
      await first.stop();

      await send(after);
      const second = await start();
      await waitFor(() => handled.length >= 100, { what: 'next 50 handled' });
      // Give a duplicate delivery the chance to show up before judging.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await second.stop();

      expect(handled).toHaveLength(100);
      expect(new Set(handled)).toEqual(new Set([...before, ...after].map((value) => value.clickId)));
    } finally {
      await freshProducer.close();
      await fresh.drop();
    }
  });

  it('leaves a batch uncommitted when its handler stopped part-way because the consumer was stopping', async () => {
    const fresh = await createTestTopics({ partitions: 1 });
    const freshNames = topicNames(clicksV1, fresh.prefix);
    const freshProducer = new KafkaMessageProducer(fresh.kafka);
    const groupId = `g-${newId()}`;
    const values = [click(), click(), click()];
    const start = (handler: BatchConsumerOptions<ClickV1>['handler']) => {
      const group = new KafkaBatchConsumer<ClickV1>(
        { kafka: fresh.kafka, producer: freshProducer },
        { groupId, topics: { [freshNames.main]: (bytes) => clicksV1.decode(bytes) }, deadLetterTopic: () => freshNames.deadLetter, handler },
      );
      return group.start().then(() => group);
    };
    try {
      await freshProducer.send(freshNames.main, values.map((value) => ({ key: value.clickId, value: clicksV1.encode(value) })));
      let waiting = false;
      // Like a handler waiting for messages to come due: it waits while the consumer is active, then returns unfinished.
      const first = await start(async (_messages, context) => {
        waiting = true;
        while (context.isActive()) await new Promise((resolve) => setTimeout(resolve, 20));
      });
      await waitFor(() => waiting, { what: 'the handler waiting' });
      await first.stop();

      const handled: string[] = [];
      const second = await start(async (messages) => {
        handled.push(...messages.map((message) => message.value.clickId));
      });
      try {
        await waitFor(() => handled.length >= 3, { what: 'the whole batch handled after the restart' });
      } finally {
        await second.stop();
      }
      expect(handled).toEqual(values.map((value) => value.clickId));
    } finally {
      await freshProducer.close();
      await fresh.drop();
    }
  });

  it('creates topics with the configured settings, and names how existing ones are weaker', async () => {
    const kafka = topics.kafka;
    const name = `${topics.prefix}settings-${newId()}.v1`;
    const deadLetters = `${topics.prefix}settings-${newId()}.dlq.v1`;
    const specs = [
      { name, partitions: 2 },
      { name: deadLetters, partitions: 1, deadLetter: true },
    ];
    const settings = { replicationFactor: 1, minInsyncReplicas: 1, retentionMs: 48 * 3_600_000, deadLetterRetentionMs: 96 * 3_600_000 };
    try {
      expect(await ensureTopics(kafka, specs, settings)).toEqual([name, deadLetters]);
      expect(await checkTopics(kafka, specs, settings)).toEqual([]);
      // Asked again with more: the topics are left as they are and each shortfall is named.
      expect(await ensureTopics(kafka, specs, { ...settings, retentionMs: 72 * 3_600_000 })).toEqual([]);
      expect(await checkTopics(kafka, [{ name, partitions: 4 }, specs[1], { name: `${name}.missing`, partitions: 1 }], { ...settings, replicationFactor: 3, minInsyncReplicas: 2, retentionMs: 72 * 3_600_000 })).toEqual([
        `${name}.missing: missing`,
        `${name}: 2 partitions, configured 4`,
        `${name}: replication factor 1, configured 3`,
        `${name}: min.insync.replicas 1, configured 2`,
        `${name}: retention 48 h, configured 72 h`,
        `${deadLetters}: replication factor 1, configured 3`,
        `${deadLetters}: min.insync.replicas 1, configured 2`,
      ]);
    } finally {
      await deleteTopics(kafka, [name, deadLetters]);
    }
  });

  it('fails a send to a topic that does not exist instead of claiming success', async () => {
    const lonely = new KafkaMessageProducer(topics.kafka, { retries: 1 });
    try {
      await expect(lonely.send(`${topics.prefix}missing.v1`, [{ key: 'k', value: 'v' }])).rejects.toThrow();
    } finally {
      await lonely.close();
    }
  });
});
