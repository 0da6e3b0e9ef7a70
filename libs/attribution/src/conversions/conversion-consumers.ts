import { AttributionV1, ConversionV1, attributionsV1, conversionsV1 } from '@tracklane/contracts';
import { isolatePoison } from '@tracklane/db';
import { BatchContext, ConsumedMessage, DeadLetter, MessageProducer, Topics } from '@tracklane/messaging';
import { AttributionMetrics } from '../metrics';
import { ConversionProcessor, ProcessedBatch } from './conversion-processor';
import { dueAt } from './retry-policy';

type Message = ConsumedMessage<ConversionV1>;

const HEARTBEAT_EVERY_MS = 2_000;
const POLL_MS = 100;

/**
 * The batch handlers of conversions.v1 and of its retry topic. Each batch is
 * booked (one transaction), then its waiting messages go to the retry topic
 * and its events to attributions.v1; only then does the handler resolve and
 * the consumer commit the offsets. A crash anywhere before that replays the
 * batch, which books nothing twice and publishes whatever it has to.
 */
export class ConversionConsumers {
  constructor(
    private readonly processor: ConversionProcessor,
    private readonly producer: MessageProducer,
    private readonly topics: Topics,
    private readonly metrics: AttributionMetrics,
    /** Runs between the database commit and the publishing (fault-injection tests kill the process here). */
    private readonly afterCommit: () => void = () => undefined,
  ) {}

  readonly handleMain = (messages: Message[]): Promise<DeadLetter[]> => this.handle(messages);

  /** Retried messages wait until they are due (keeping the group membership alive), in runs of due messages. */
  readonly handleRetries = async (messages: Message[], context: BatchContext): Promise<DeadLetter[]> => {
    const deadLetters: DeadLetter[] = [];
    let next = 0;
    while (next < messages.length) {
      if (!(await waitUntil(dueAt(messages[next].headers), context))) return deadLetters;
      const now = Date.now();
      let end = next + 1;
      while (end < messages.length && dueAt(messages[end].headers) <= now) end++;
      deadLetters.push(...(await this.handle(messages.slice(next, end))));
      next = end;
    }
    return deadLetters;
  };

  private async handle(messages: Message[]): Promise<DeadLetter[]> {
    const timer = this.metrics.batchSeconds.startTimer({ stream: 'conversions' });
    const { results, deadLetters } = await isolatePoison(messages, (batch) => this.processor.process(batch));
    this.afterCommit();
    await Promise.all([this.publish(results.flatMap((result) => result.events)), this.retry(results.flatMap((result) => result.retries))]);
    timer();
    return [...deadLetters, ...results.flatMap((result) => result.deadLetters)];
  }

  private async publish(events: AttributionV1[]): Promise<void> {
    await this.producer.send(
      this.topics.of(attributionsV1).main,
      events.map((event) => ({ key: attributionsV1.keyOf(event), value: attributionsV1.encode(event) })),
    );
  }

  private async retry(retries: ProcessedBatch['retries']): Promise<void> {
    await this.producer.send(
      this.topics.of(conversionsV1).retry,
      retries.map(({ message, headers }) => ({
        key: message.key ?? conversionsV1.keyOf(message.value),
        value: message.raw ?? conversionsV1.encode(message.value),
        headers,
      })),
    );
  }
}

/** Sleeps until `time`; false if the consumer stopped or lost the partition meanwhile. */
async function waitUntil(time: number, context: BatchContext): Promise<boolean> {
  let lastBeat = Date.now();
  while (Date.now() < time) {
    if (!context.isActive()) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, time - Date.now())));
    if (Date.now() - lastBeat >= HEARTBEAT_EVERY_MS) {
      await context.heartbeat();
      lastBeat = Date.now();
    }
  }
  return context.isActive();
}
