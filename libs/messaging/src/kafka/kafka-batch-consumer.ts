import { Batch, Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter, Registry } from 'prom-client';
import { BatchConsumer, BatchConsumerOptions } from '../consumer';
import { ConsumedMessage, DEAD_LETTER_HEADERS, DeadLetter } from '../messages';
import { MessageProducer } from '../producer';

export interface KafkaBatchConsumerDeps {
  kafka: Kafka;
  /** Publishes dead letters. */
  producer: MessageProducer;
  logger?: Logger;
  metrics?: Registry;
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? String(value[value.length - 1]) : String(value);
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Group errors after which kafkajs's runner rejoins the group at once, when it is handed them unwrapped. */
const REJOIN_ERRORS = new Set(['UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION']);

/**
 * What a failed batch hands back to kafkajs, so that the consumer always goes
 * on. kafkajs stops a consumer for good, while the process lives on, when a
 * batch fails with an error it deems unrecoverable: one marked not
 * retriable, as a producer's error can be, or a TypeError — and also a lost
 * membership reported by a commit, because its retrier wraps the group error
 * where the runner does not look. A group error is handed back unwrapped (the
 * runner rejoins and the batch is replayed); anything else as a plain error
 * (the consumer restarts from the last commit, loudly, every time).
 */
export function batchFailure(error: unknown): Error {
  let cause = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (cause instanceof Error && REJOIN_ERRORS.has((cause as Error & { type?: string }).type ?? '')) return cause;
  const failure = new Error(`batch failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error) failure.stack = error.stack;
  return failure;
}

/**
 * A consumer loop on kafkajs eachBatch: decode → handle → dead-letter the
 * rejects → commit. Offsets are committed only after the handler's work and
 * the dead letters are durable, so a crash at any point replays the batch
 * (handlers are idempotent) and never skips it.
 */
export class KafkaBatchConsumer<T> implements BatchConsumer {
  private consumer: Consumer | null = null;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly processed?: Counter;
  private readonly deadLettered?: Counter;
  private readonly retried?: Counter;
  private heartbeatIntervalMs = 3_000;

  constructor(
    private readonly deps: KafkaBatchConsumerDeps,
    private readonly options: BatchConsumerOptions<T>,
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.retryBackoffMs ?? 200;
    const registers = deps.metrics ? [deps.metrics] : [];
    if (deps.metrics) {
      const existing = (name: string) => deps.metrics?.getSingleMetric(name) as Counter | undefined;
      this.processed =
        existing('tracklane_consumer_messages_total') ??
        new Counter({
          name: 'tracklane_consumer_messages_total',
          help: 'Messages handled and committed',
          labelNames: ['group', 'topic'],
          registers,
        });
      this.deadLettered =
        existing('tracklane_consumer_dead_letters_total') ??
        new Counter({
          name: 'tracklane_consumer_dead_letters_total',
          help: 'Messages sent to a dead-letter topic',
          labelNames: ['group', 'topic'],
          registers,
        });
      this.retried =
        existing('tracklane_consumer_batch_retries_total') ??
        new Counter({
          name: 'tracklane_consumer_batch_retries_total',
          help: 'Batches retried after a transient failure',
          labelNames: ['group', 'topic'],
          registers,
        });
    }
  }

  async start(): Promise<void> {
    const sessionTimeout = this.options.sessionTimeoutMs ?? 30_000;
    this.heartbeatIntervalMs = Math.min(3_000, Math.floor(sessionTimeout / 3));
    const consumer = this.deps.kafka.consumer({
      groupId: this.options.groupId,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
      sessionTimeout,
      heartbeatInterval: this.heartbeatIntervalMs,
      // An idle fetch waits this long for data; stopping waits for that fetch, so keep it short.
      maxWaitTimeInMs: 500,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: Object.keys(this.options.topics), fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) =>
        this.onBatch(consumer, payload).catch((error: unknown) => {
          throw batchFailure(error);
        }),
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) await consumer.disconnect();
  }

  private async onBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset, commitOffsetsIfNecessary } = payload;
    if (batch.messages.length === 0) return;
    // A handler told "not active" may have stopped part-way, so its batch is never committed; one that was
    // never told so has finished the whole batch, and it is committed even if the consumer began stopping.
    let toldInactive = false;
    const active = () => {
      if (isRunning() && !isStale()) return true;
      toldInactive = true;
      return false;
    };
    const decode = this.options.topics[batch.topic];
    const messages: ConsumedMessage<T>[] = [];
    const deadLetters: DeadLetter[] = [];

    for (const message of batch.messages) {
      const consumed = this.consumed(batch.topic, batch.partition, message);
      try {
        messages.push({ ...consumed, value: decode(message.value) });
      } catch (error) {
        deadLetters.push({ message: consumed, error: `unreadable message: ${(error as Error).message}` });
      }
    }

    for (let attempt = 1; messages.length > 0; attempt++) {
      if (!active()) return;
      try {
        const rejected = await this.whileAlive(heartbeat, batch, () => this.options.handler(messages, { heartbeat, isActive: active }));
        if (rejected) deadLetters.push(...rejected);
        break;
      } catch (error) {
        if (attempt >= this.maxAttempts) throw error; // the consumer restarts from the last commit
        this.retried?.inc({ group: this.options.groupId, topic: batch.topic });
        this.deps.logger?.warn(
          { err: error, topic: batch.topic, partition: batch.partition, attempt },
          'batch failed; retrying',
        );
        const delay = this.backoffMs * 2 ** (attempt - 1);
        await sleep(delay / 2 + Math.random() * (delay / 2));
        await heartbeat();
      }
    }

    if (deadLetters.length > 0) await this.deadLetter(deadLetters);
    if (toldInactive || isStale()) return; // the next owner (or the next start) replays it

    const last = batch.messages[batch.messages.length - 1].offset;
    const next = (BigInt(last) + 1n).toString();
    if (isRunning()) {
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
    } else {
      // Stopping: the member is in its group until the batch returns, so the work done is still committed
      // (kafkajs's own commit does nothing once stopping, and the restart would handle the batch again).
      // Once, without retries: if it fails, the next owner replays the batch, which handlers allow.
      await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] }).catch(
        (error: unknown) => this.deps.logger?.warn({ err: error, topic: batch.topic, partition: batch.partition }, 'commit while stopping failed; the batch will be replayed'),
      );
      return;
    }
    resolveOffset(last);
    this.processed?.inc({ group: this.options.groupId, topic: batch.topic }, batch.messages.length);
    await heartbeat();
  }

  /**
   * Keeps the group membership alive while a long batch is handled. Without
   * it a batch slower than the session timeout gets its member evicted, the
   * commit fails, the next owner starts the same batch again and is evicted
   * in turn: the group stops making progress. A failed heartbeat (the group
   * is rebalancing) is left to the commit, which fails and rejoins.
   *
   * The same heartbeats keep a handler that never returns in the group, its
   * partition held and nothing consumed, in silence: so one still running
   * after `stillRunningWarnMs` is logged, and again each time as long again.
   */
  private async whileAlive<R>(heartbeat: () => Promise<void>, batch: Batch, work: () => Promise<R>): Promise<R> {
    const startedAt = Date.now();
    const timer = setInterval(() => heartbeat().catch(() => undefined), this.heartbeatIntervalMs);
    const watchdog = setInterval(() => {
      const { topic, partition, messages } = batch;
      const runningMs = Date.now() - startedAt;
      this.deps.logger?.warn({ group: this.options.groupId, topic, partition, messages: messages.length, runningMs }, 'batch handler still running');
    }, this.options.stillRunningWarnMs ?? 90_000);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      clearInterval(watchdog);
    }
  }

  private consumed(topic: string, partition: number, message: KafkaMessage): ConsumedMessage<null> {
    return {
      topic,
      partition,
      offset: message.offset,
      key: message.key ? message.key.toString('utf8') : null,
      value: null,
      headers: headersOf(message.headers),
      timestamp: Number(message.timestamp),
      raw: message.value,
    };
  }

  private async deadLetter(deadLetters: DeadLetter[]): Promise<void> {
    const byTopic = new Map<string, DeadLetter[]>();
    for (const dead of deadLetters) {
      const target = this.options.deadLetterTopic(dead.message.topic);
      byTopic.set(target, [...(byTopic.get(target) ?? []), dead]);
    }
    for (const [target, letters] of byTopic) {
      await this.deps.producer.send(
        target,
        letters.map(({ message, error }) => ({
          key: message.key ?? '',
          value: message.raw ?? '',
          headers: {
            ...message.headers,
            [DEAD_LETTER_HEADERS.error]: error.slice(0, 1000),
            [DEAD_LETTER_HEADERS.topic]: message.topic,
            [DEAD_LETTER_HEADERS.partition]: String(message.partition),
            [DEAD_LETTER_HEADERS.offset]: message.offset,
          },
        })),
      );
      this.deadLettered?.inc({ group: this.options.groupId, topic: letters[0].message.topic }, letters.length);
      for (const { message, error } of letters) {
        this.deps.logger?.warn({ topic: message.topic, partition: message.partition, offset: message.offset, error }, 'dead-lettered');
      }
    }
  }
}
