import { Kafka, Partitioners, Producer, TopicMessages } from 'kafkajs';
import { Counter, Histogram, Registry } from 'prom-client';
import { OutgoingMessage } from '../messages';
import { MessageProducer, ProducerClosedError } from '../producer';

export interface KafkaProducerOptions {
  /** Most messages in one produce request (default 2000). */
  maxBatchMessages?: number;
  /** kafkajs retries of one request before the sends in it fail (default 3). */
  retries?: number;
  metrics?: Registry;
}

interface PendingSend {
  topic: string;
  messages: OutgoingMessage[];
  resolve: () => void;
  reject: (error: Error) => void;
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
  private queue: PendingSend[] = [];
  private draining: Promise<void> | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private readonly sent?: Counter;
  private readonly failed?: Counter;
  private readonly batchSize?: Histogram;

  constructor(kafka: Kafka, options: KafkaProducerOptions = {}) {
    this.maxBatchMessages = options.maxBatchMessages ?? 2000;
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
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages, resolve, reject });
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
    let taken = 0;
    while (taken < this.queue.length && (taken === 0 || count + this.queue[taken].messages.length <= this.maxBatchMessages)) {
      count += this.queue[taken].messages.length;
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
