import { Kafka, Partitioners, Producer, TopicMessages } from 'kafkajs';
import { Counter, Histogram, Registry } from 'prom-client';
import { OutgoingMessage } from '../messages';
import { MessageProducer, ProducerClosedError } from '../producer';

export interface KafkaProducerOptions {
  /** Most messages in one produce request (default 2000). */
  maxBatchMessages?: number;
  /**
   * Most bytes in one produce request (default 900 kB). The broker refuses a
   * partition's batch above its message.max.bytes (1 MiB by default), and
   * kafkajs gives up on such a request for good; keeping whole requests under
   * it keeps every partition's batch under it.
   */
  maxBatchBytes?: number;
  /** kafkajs retries of one request before the sends in it fail (default 3). */
  retries?: number;
  metrics?: Registry;
}

interface PendingSend {
  topic: string;
  messages: OutgoingMessage[];
  bytes: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What a message adds to a produce request, near enough: its key, value and headers plus record overhead. */
function sizeOf(message: OutgoingMessage): number {
  let bytes = 64 + Buffer.byteLength(message.key) + (typeof message.value === 'string' ? Buffer.byteLength(message.value) : message.value.length);
  for (const name in message.headers) bytes += name.length + Buffer.byteLength(message.headers[name]);
  return bytes;
}

/**
 * One idempotent producer per process (acks = all). kafkajs has no linger,
 * so batching happens here: every send made while a request is in flight
 * joins the next request, so the batch grows with the load instead of
 * adding a fixed delay to each send.
 */
export class KafkaMessageProducer implements MessageProducer {
  private readonly producer: Producer;
  private readonly maxBatchMessages: number;
  private readonly maxBatchBytes: number;
  private queue: PendingSend[] = [];
  private draining: Promise<void> | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private readonly sent?: Counter;
  private readonly failed?: Counter;
  private readonly batchSize?: Histogram;

  constructor(kafka: Kafka, options: KafkaProducerOptions = {}) {
    this.maxBatchMessages = options.maxBatchMessages ?? 2000;
    this.maxBatchBytes = options.maxBatchBytes ?? 900_000;
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: options.retries ?? 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    if (options.metrics) {
      this.sent = new Counter({
        name: 'tracklane_kafka_messages_sent_total',
        help: 'Messages acknowledged by Kafka',
        labelNames: ['topic'],
        registers: [options.metrics],
      });
      this.failed = new Counter({
        name: 'tracklane_kafka_messages_failed_total',
        help: 'Messages Kafka did not acknowledge',
        labelNames: ['topic'],
        registers: [options.metrics],
      });
      this.batchSize = new Histogram({
        name: 'tracklane_kafka_produce_batch_messages',
        help: 'Messages per produce request',
        buckets: [1, 5, 20, 100, 500, 2000],
        registers: [options.metrics],
      });
    }
  }

  send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new ProducerClosedError());
    if (messages.length === 0) return Promise.resolve();
    // A send too big for one request travels in several; it succeeds when all of them do.
    const parts: Array<Promise<void>> = [];
    let start = 0;
    let bytes = 0;
    for (let index = 0; index <= messages.length; index++) {
      const size = index < messages.length ? sizeOf(messages[index]) : 0;
      const full = index - start >= this.maxBatchMessages || bytes + size > this.maxBatchBytes;
      if (index > start && (index === messages.length || full)) {
        parts.push(this.enqueue(topic, messages.slice(start, index), bytes));
        start = index;
        bytes = 0;
      }
      bytes += size;
    }
    return parts.length === 1 ? parts[0] : Promise.all(parts).then(() => undefined);
  }

  private enqueue(topic: string, messages: OutgoingMessage[], bytes: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages, bytes, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.producer.disconnect();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: Error) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  private async drain(): Promise<void> {
    // Let every send of the current event-loop turn join the first request.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        await this.deliver(batch);
      }
    } finally {
      this.draining = null;
    }
  }

  private take(): PendingSend[] {
    let count = 0;
    let bytes = 0;
    let taken = 0;
    const fits = (next: PendingSend) =>
      count + next.messages.length <= this.maxBatchMessages && bytes + next.bytes <= this.maxBatchBytes;
    while (taken < this.queue.length && (taken === 0 || fits(this.queue[taken]))) {
      count += this.queue[taken].messages.length;
      bytes += this.queue[taken].bytes;
      taken++;
    }
    return this.queue.splice(0, taken);
  }

  private async deliver(batch: PendingSend[]): Promise<void> {
    const byTopic = new Map<string, TopicMessages>();
    let count = 0;
    for (const send of batch) {
      let entry = byTopic.get(send.topic);
      if (!entry) {
        entry = { topic: send.topic, messages: [] };
        byTopic.set(send.topic, entry);
      }
      for (const message of send.messages) entry.messages.push(message);
      count += send.messages.length;
    }
    try {
      await this.connect();
      await this.producer.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
      this.batchSize?.observe(count);
      for (const send of batch) {
        this.sent?.inc({ topic: send.topic }, send.messages.length);
        send.resolve();
      }
    } catch (error) {
      for (const send of batch) {
        this.failed?.inc({ topic: send.topic }, send.messages.length);
        send.reject(error as Error);
      }
    }
  }
}
