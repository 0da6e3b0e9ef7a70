import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AttributionV1, ClickV1, attributionsV1, clicksV1 } from '@tracklane/contracts';
import { ServiceEnv } from '@tracklane/config';
import { isolatePoison } from '@tracklane/db';
import { ConsumedMessage, ConsumerFactory, DeadLetter, Topics } from '@tracklane/messaging';
import { LOGGER, Logger } from '@tracklane/observability';
import { Pool } from 'pg';
import { Counter, Registry } from 'prom-client';
import { recordAttributions } from './attribution-projection';
import { recordClicks } from './click-projection';
import { inReadModelTransaction } from './projection-transaction';
import { READ_MODEL_OPTIONS, ReadModelOptions } from './read-model.options';

type Event = ClickV1 | AttributionV1;

const deadLettersOf = async (isolated: Promise<{ deadLetters: DeadLetter[] }>): Promise<DeadLetter[]> => (await isolated).deadLetters;

/**
 * Keeps the read model up to date from clicks.v1 and attributions.v1: one
 * transaction per batch (raw rows, replay guard and rollups together), offsets
 * committed after it. A batch Postgres refuses as data is retried message by
 * message so that only the offending message goes to the dead-letter topic.
 */
@Injectable()
export class ReadModelProjector implements OnApplicationBootstrap {
  private readonly events: Counter;

  constructor(
    private readonly pool: Pool,
    private readonly consumers: ConsumerFactory,
    private readonly topics: Topics,
    private readonly env: ServiceEnv,
    @Inject(READ_MODEL_OPTIONS) private readonly options: ReadModelOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Registry,
  ) {
    this.events = new Counter({
      name: 'tracklane_reporting_projected_events_total',
      help: 'Events the read model consumed: new ones changed it, repeated ones were skipped',
      labelNames: ['stream', 'outcome'],
      registers: [metrics],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.project) return;
    const clicks = this.topics.of(clicksV1);
    const attributions = this.topics.of(attributionsV1);
    const consumer = this.consumers.create<Event>({
      groupId: `${this.env.KAFKA_TOPIC_PREFIX}reporting`,
      topics: { [clicks.main]: clicksV1.decode, [attributions.main]: attributionsV1.decode },
      handler: (messages) =>
        messages[0].topic === clicks.main
          ? deadLettersOf(isolatePoison(messages as ConsumedMessage<ClickV1>[], (batch) => this.clicks(batch)))
          : deadLettersOf(isolatePoison(messages as ConsumedMessage<AttributionV1>[], (batch) => this.attributions(batch))),
      deadLetterTopic: (topic) => (topic === clicks.main ? clicks.deadLetter : attributions.deadLetter),
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
    });
    await consumer.start();
  }

  private async clicks(messages: ConsumedMessage<ClickV1>[]): Promise<void> {
    const recorded = await inReadModelTransaction(this.pool, 'shared', (client) =>
      recordClicks(
        client,
        messages.map((message) => message.value),
      ),
    );
    this.count('clicks', messages.length, recorded);
  }

  private async attributions(messages: ConsumedMessage<AttributionV1>[]): Promise<void> {
    const { applied, anomalies } = await inReadModelTransaction(this.pool, 'shared', (client) =>
      recordAttributions(
        client,
        messages.map((message) => message.value),
      ),
    );
    for (const anomaly of anomalies) this.logger.warn({ ...anomaly }, 'attribution event out of the expected order; applied');
    this.count('attributions', messages.length, applied);
  }

  private count(stream: string, received: number, applied: number): void {
    this.events.inc({ stream, outcome: 'new' }, applied);
    if (received > applied) this.events.inc({ stream, outcome: 'repeated' }, received - applied);
  }
}
