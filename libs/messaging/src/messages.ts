/** A message to publish. Keys decide the partition: same key, same order. */
export interface OutgoingMessage {
  key: string;
  value: Buffer | string;
  headers?: Record<string, string>;
}

/** A message as a consumer sees it, with its value already decoded by a contract. */
export interface ConsumedMessage<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  headers: Record<string, string>;
  /** Broker timestamp, epoch milliseconds. */
  timestamp: number;
  /** The bytes as received, for forwarding to a retry or dead-letter topic. */
  raw: Buffer | null;
}

/** A message the consumer will not process: it goes to the dead-letter topic with this error. */
export interface DeadLetter {
  message: Pick<ConsumedMessage<unknown>, 'topic' | 'partition' | 'offset' | 'key' | 'raw' | 'headers'>;
  error: string;
}

/** Headers put on every dead-lettered message. */
export const DEAD_LETTER_HEADERS = {
  error: 'x-tracklane-error',
  topic: 'x-tracklane-original-topic',
  partition: 'x-tracklane-original-partition',
  offset: 'x-tracklane-original-offset',
} as const;
