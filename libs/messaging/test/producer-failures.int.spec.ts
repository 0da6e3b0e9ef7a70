import { DedicatedKafkaBroker, readTopic } from '@tracklane/testing';
import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics, KafkaMessageProducer } from '../src';

/**
 * A send that failed although the broker appended it (here: the broker froze
 * while the request waited in its socket, so the request timed out, and it
 * was written once the broker woke) must not make the producer drop the next
 * send while reporting it acknowledged.
 */
describe('the producer after a send that failed but was written', () => {
  let broker: DedicatedKafkaBroker;
  let kafka: Kafka;
  let producer: KafkaMessageProducer;
  const topic = 'producer-failures';

  beforeAll(async () => {
    broker = await DedicatedKafkaBroker.create();
    kafka = new Kafka({ clientId: 'producer-failures', brokers: [broker.brokers], requestTimeout: 1_000, logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, [{ name: topic, partitions: 1 }]);
    producer = new KafkaMessageProducer(kafka, { retries: 1 });
  });
  afterAll(async () => {
    await producer?.close().catch(() => undefined);
    await broker?.destroy();
  });

  it('delivers every send it acknowledges', async () => {
    await producer.send(topic, [{ key: 'a', value: Buffer.from('acknowledged before') }]);

    broker.pause();
    const frozen = producer.send(topic, [{ key: 'b', value: Buffer.from('failed, written later') }]);
    await expect(frozen).rejects.toThrow();
    broker.resume();
    // The broker now works through what waited in its socket, the failed send among it.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    await producer.send(topic, [{ key: 'c', value: Buffer.from('acknowledged after') }]);
    const values = (await readTopic(kafka, topic, { idleMs: 2_000 })).map((message) => message.value?.toString());
    expect(values).toEqual(expect.arrayContaining(['acknowledged before', 'acknowledged after']));
  });
});
