import { ConsumedMessage, DeadLetter } from './messages';

/**
 * Handles one batch of messages from one partition. Resolve only when the
 * work is durable: offsets are committed after it resolves (also when the
 * consumer began stopping meanwhile, unless `isActive` told it so). Return the
 * messages that can never be processed (they go to the dead-letter topic);
 * throw for transient failures (the batch is retried, then the consumer
 * restarts from the last committed offset).
 */
export type BatchHandler<T> = (
  messages: ConsumedMessage<T>[],
  context: BatchContext,
) => Promise<void | DeadLetter[]>;

export interface BatchContext {
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or lost the partition: stop early, nothing is committed. */
  isActive(): boolean;
}

export interface BatchConsumerOptions<T> {
  groupId: string;
  /** topic → how its bytes become a checked value (throwing names the bad field). */
  topics: Record<string, (bytes: Buffer | null) => T>;
  handler: BatchHandler<T>;
  /** Where messages that cannot be read or processed go. */
  deadLetterTopic: (topic: string) => string;
  fromBeginning?: boolean;
  /** Attempts of one batch before the consumer gives up on it and restarts (default 5). */
  maxAttempts?: number;
  /** First retry delay; doubled each attempt, with jitter (default 200 ms). */
  retryBackoffMs?: number;
  /** Partitions handled at the same time by this process (default 1). */
  partitionsConsumedConcurrently?: number;
  /** Upper bound of a fetch, which bounds a batch (default 1 MiB per partition). */
  maxBytesPerPartition?: number;
  /**
   * How long the group waits for a silent member before it hands that
   * member's partitions to the others (default 30 s; the broker's minimum is
   * usually 6 s). A killed process holds its partitions this long.
   */
  sessionTimeoutMs?: number;
  /**
   * A handler still running after this long is logged as a warning, and again each time as long again (default
   * 90 s, longer than a retry topic's longest wait): its heartbeats keep its partitions from everyone else.
   */
  stillRunningWarnMs?: number;
}

export interface BatchConsumer {
  start(): Promise<void>;
  /** Finishes the batch in hand, commits it, and leaves the group. */
  stop(): Promise<void>;
}
