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

interface Waiting {
  message: SpooledMessage;
  resolve: (durability: Durability) => void;
  reject: (error: Error) => void;
}

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
 *
 * Messages published in the same event-loop turn travel as one send with
 * one deadline timer (per message, a promise chain and a timer cost more
 * than the producer's share); each is still answered only once it is
 * acknowledged or spooled.
 */
export class DurablePublisher {
  private direct = true;
  private stopped = false;
  private replaying: Promise<void> | null = null;
  private wakeStopped: () => void = () => undefined;
  private readonly stopSignal = new Promise<void>((resolve) => (this.wakeStopped = resolve));
  private turn: Waiting[] = [];

  constructor(
    private readonly producer: MessageProducer,
    private readonly spool: Spool,
    private readonly options: DurablePublisherOptions,
  ) {}

  /** Resolves once the message is acknowledged by Kafka or fsync'd to the spool; rejects if neither took it. */
  publish(message: SpooledMessage): Promise<Durability> {
    return new Promise<Durability>((resolve, reject) => {
      this.turn.push({ message, resolve, reject });
      if (this.turn.length === 1) setImmediate(this.publishTurn);
    });
  }

  private readonly publishTurn = (): void => {
    const waiting = this.turn;
    this.turn = [];
    if (!this.direct) {
      for (const one of waiting) this.spoolOne(one);
      return;
    }
    const byTopic = new Map<string, Waiting[]>();
    for (const one of waiting) {
      const group = byTopic.get(one.message.topic);
      if (group) group.push(one);
      else byTopic.set(one.message.topic, [one]);
    }
    for (const [topic, group] of byTopic) {
      const send = this.producer.send(
        topic,
        group.map(({ message }) => ({ key: message.key, value: message.value })),
      );
      void settleWithin(send, this.options.deadlineMs).then((outcome) => {
        if (outcome === 'acked') {
          for (const one of group) one.resolve('kafka');
          return;
        }
        this.presumeKafkaDown(outcome);
        for (const one of group) this.spoolOne(one, outcome === 'late' ? send : undefined);
      });
    }
  };

  private spoolOne(waiting: Waiting, originalSend?: Promise<void>): void {
    this.spool.append(waiting.message, originalSend).then(
      () => waiting.resolve('spool'),
      (error: Error) => {
        // The disk failed too. With nothing spooled there is nothing for replay to drain (which is what
        // ends an outage), so let the next message try Kafka first instead of failing against the disk.
        if (this.spool.drained && !this.direct) this.presumeKafkaUp();
        waiting.reject(error);
      },
    );
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
      // A closed spool has nothing more to hand out (and would wake this loop at once, for ever).
      if (this.stopped || this.spool.isClosed) return;
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
