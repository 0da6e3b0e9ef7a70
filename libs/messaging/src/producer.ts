import { OutgoingMessage } from './messages';

/**
 * Publishes messages durably. `send` resolves once every message is
 * acknowledged by all in-sync replicas, and rejects if any is not; callers
 * that answer "yes" to a user await it first.
 */
export interface MessageProducer {
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  /**
   * Connects and learns where the topics' partitions are, once, so that the
   * first sends after a start pay for neither; readiness waits for it.
   */
  prepare(topics: readonly string[]): Promise<void>;
  /** Resolves when everything accepted so far has been acknowledged or has failed. */
  flush(): Promise<void>;
  /** Flushes, then disconnects. */
  close(): Promise<void>;
}

export class ProducerClosedError extends Error {
  constructor() {
    super('producer is closed');
    this.name = 'ProducerClosedError';
  }
}
