import type { MessageProducer } from '@tracklane/messaging';
import type { Logger } from 'pino';
import { Spool, ReplayBatchLimits } from './spool';
import { SpoolMetrics } from './spool-metrics';
import { SpoolEntry, SpooledMessage } from './spool-record';

export interface DurablePublisherOptions {
  /** How long a send may take before the message goes to the spool instead. */
  deadlineMs: number;
  /** First pause after a failed replay; doubled up to maxReplayBackoffMs. */
  replayBackoffMs?: number;
  maxReplayBackoffMs?: number;
  logger?: Logger;
  metrics?: SpoolMetrics;
}

/** Where a published message was made durable. */
export type Durability = 'kafka' | 'spool';

type SendOutcome = 'acked' | 'failed' | 'late';

/** One produce request per batch; well under Kafka's default 1 MiB record-batch limit per partition. */
const REPLAY_BATCH: ReplayBatchLimits = { maxMessages: 1000, maxBytes: 512 * 1024 };

function settleWithin(send: Promise<void>, ms: number): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('late'), ms);
    send.then(
      () => {
        clearTimeout(timer);
        resolve('acked');
      },
      () => {
        clearTimeout(timer);
        resolve('failed');
      },
    );
  });
}

/**
 * Makes a message durable within a deadline: acknowledged by Kafka, or else
 * fsync'd to the local spool, from which it is replayed in order once Kafka
 * answers again. A send that missed its deadline stays in flight; if it
 * succeeds after all, the spool records it as delivered and replay skips it,
 * so every message reaches Kafka once.
 *
 * After a miss, Kafka is presumed down: messages go straight to the spool
 * (answering fast instead of waiting out the deadline each time, and
 * without piling sends up in memory) until replay has drained the spool.
 */
export class DurablePublisher {
  private direct = true;
  private stopped = false;
  private replaying: Promise<void> | null = null;
  private wakeStopped: () => void = () => undefined;
  private readonly stopSignal = new Promise<void>((resolve) => (this.wakeStopped = resolve));

  constructor(
    private readonly producer: MessageProducer,
    private readonly spool: Spool,
    private readonly options: DurablePublisherOptions,
  ) {}

  async publish(message: SpooledMessage): Promise<Durability> {
    let originalSend: Promise<void> | undefined;
    if (this.direct) {
      const send = this.producer.send(message.topic, [{ key: message.key, value: message.value }]);
      const outcome = await settleWithin(send, this.options.deadlineMs);
      if (outcome === 'acked') return 'kafka';
      this.presumeKafkaDown(outcome);
      if (outcome === 'late') originalSend = send;
    }
    try {
      await this.spool.append(message, originalSend);
    } catch (error) {
      // The disk failed too. With nothing spooled there is nothing for replay to drain (which is what
      // ends an outage), so let the next message try Kafka first instead of failing against the disk.
      if (this.spool.drained && !this.direct) this.presumeKafkaUp();
      throw error;
    }
    return 'spool';
  }

  /** Starts replaying whatever the spool holds, now and whenever more arrives. */
  start(): void {
    this.replaying ??= this.replayLoop();
  }

  /** Stops replay after the batch in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeStopped();
    await this.replaying;
  }

  private presumeKafkaDown(outcome: SendOutcome): void {
    if (!this.direct) return;
    this.direct = false;
    this.options.metrics?.kafkaPresumedDown(true);
    this.options.logger?.warn(
      { outcome, deadlineMs: this.options.deadlineMs },
      'Kafka did not acknowledge in time; spooling until replay catches up',
    );
  }

  private presumeKafkaUp(): void {
    this.direct = true;
    this.options.metrics?.kafkaPresumedDown(false);
    this.options.logger?.info('spool drained; sending to Kafka directly again');
  }

  private async replayLoop(): Promise<void> {
    const initialBackoff = this.options.replayBackoffMs ?? 250;
    let backoff = initialBackoff;
    while (!this.stopped) {
      await Promise.race([this.spool.untilPending(), this.stopSignal]);
      if (this.stopped) return;
      try {
        const batch = await this.spool.nextBatch(REPLAY_BATCH);
        if (batch.length > 0) {
          await this.send(batch);
          this.spool.commit(batch);
          backoff = initialBackoff;
        }
        if (this.spool.drained) {
          if (!this.direct) this.presumeKafkaUp();
        } else if (batch.length === 0) {
          // Appended but not on disk yet: wait for the write in progress.
          await this.spool.written();
          await this.pause(10);
        }
      } catch (error) {
        this.options.metrics?.replayFailed();
        this.options.logger?.warn({ err: error, depth: this.spool.depth, retryInMs: backoff }, 'spool replay failed');
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, this.options.maxReplayBackoffMs ?? 5_000);
      }
    }
  }

  private async send(batch: SpoolEntry[]): Promise<void> {
    await this.producer.send(
      batch[0].topic,
      batch.map((entry) => ({ key: entry.key, value: entry.value })),
    );
  }

  private pause(ms: number): Promise<void> {
    return Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), this.stopSignal]);
  }
}
