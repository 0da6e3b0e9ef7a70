import { clicksV1, ClickV1 } from '@tracklane/contracts';
import { uniqueName, waitFor } from '@tracklane/testing';
import { Consumer, Kafka } from 'kafkajs';

/** Everything that lands in a clicks topic during a suite, decoded with the contract, by key. */
export class ClickTap {
  readonly clicks: ClickV1[] = [];
  readonly keys: string[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topic: string): Promise<ClickTap> {
    const consumer = kafka.consumer({ groupId: uniqueName('click-tap'), maxWaitTimeInMs: 100 });
    const tap = new ClickTap(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        tap.keys.push(message.key?.toString() ?? '');
        tap.clicks.push(clicksV1.decode(message.value));
      },
    });
    return tap;
  }

  /** The click once it arrived; fails if it arrived more than once. */
  async click(clickId: string): Promise<ClickV1> {
    return this.one((click) => click.clickId === clickId, `click ${clickId}`);
  }

  async one(predicate: (click: ClickV1) => boolean, what: string): Promise<ClickV1> {
    const found = await waitFor(() => {
      const matches = this.clicks.filter(predicate);
      return matches.length > 0 ? matches : undefined;
    }, { what, timeoutMs: 20_000 });
    if (found.length !== 1) throw new Error(`${what} arrived ${found.length} times`);
    return found[0];
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
