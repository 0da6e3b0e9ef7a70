import { allTopics } from '@tracklane/contracts';
import { createKafka, DEFAULT_TOPIC_SETTINGS, deleteTopics, ensureTopics } from '@tracklane/messaging';
import { Kafka } from 'kafkajs';
import { testServices } from './services';
import { uniqueName } from './wait';

export interface TestTopics {
  /** KAFKA_TOPIC_PREFIX for services under test. */
  prefix: string;
  kafka: Kafka;
  brokers: string;
  /** Of the streams and their retry topics (KAFKA_PARTITIONS for services under test). */
  partitions: number;
  /** Copies of each partition, and how many must have a write before it is acknowledged (a cluster: 3 and 2). */
  replicationFactor: number;
  minInsyncReplicas: number;
  drop(): Promise<void>;
}

/**
 * Every contract topic under a prefix of its own, so suites running at the
 * same time never see each other's messages.
 */
export interface TestTopicOptions {
  partitions?: number;
  brokers?: string;
  replicationFactor?: number;
  minInsyncReplicas?: number;
}

export async function createTestTopics(options: TestTopicOptions = {}): Promise<TestTopics> {
  const brokers = options.brokers ?? (await testServices()).kafkaBrokers;
  const prefix = `${uniqueName('t')}.`;
  const kafka = createKafka({ brokers, clientId: 'tracklane-test' });
  const partitions = options.partitions ?? 3;
  const specs = allTopics({ prefix, partitions });
  const settings = {
    ...DEFAULT_TOPIC_SETTINGS,
    replicationFactor: options.replicationFactor ?? DEFAULT_TOPIC_SETTINGS.replicationFactor,
    minInsyncReplicas: options.minInsyncReplicas ?? DEFAULT_TOPIC_SETTINGS.minInsyncReplicas,
  };
  // A busy broker can answer the leader check right after creation with "does not host this
  // topic-partition"; the topics exist by then, and asking again settles it.
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureTopics(kafka, specs, settings);
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
  return {
    prefix,
    kafka,
    brokers,
    partitions,
    replicationFactor: settings.replicationFactor,
    minInsyncReplicas: settings.minInsyncReplicas,
    drop: () => deleteTopics(kafka, specs.map((spec) => spec.name)).catch(() => undefined),
  };
}

export interface ReadMessage {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/**
 * Reads a topic from the beginning until `expected` messages arrived (or,
 * without `expected`, until nothing new came for `idleMs`), with a fresh
 * consumer group, so it sees exactly what the topic holds.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  options: { expected?: number; idleMs?: number; timeoutMs?: number } = {},
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let lastArrival = Date.now();
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        lastArrival = Date.now();
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = String(value);
        }
        messages.push({ key: message.key?.toString() ?? null, value: message.value, headers, partition, offset: message.offset });
      },
    });
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? 20_000;
    const idleMs = options.idleMs ?? 1_500;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (options.expected !== undefined && messages.length >= options.expected) {
        // Linger briefly so that extra (duplicate) messages would be seen too.
        await new Promise((resolve) => setTimeout(resolve, Math.min(idleMs, 500)));
        break;
      }
      if (options.expected === undefined && Date.now() - lastArrival > idleMs && Date.now() - started > idleMs) break;
      if (Date.now() - started > timeoutMs) break;
    }
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
