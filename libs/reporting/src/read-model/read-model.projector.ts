import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AttributionV1, ClickV1, attributionsV1, clicksV1 } from '@tracklane/contracts';
import { ServiceEnv } from '@tracklane/config';
import { isDataError, isolatePoison } from '@tracklane/db';
import { ConsumedMessage, ConsumerFactory, DeadLetter, Topics } from '@tracklane/messaging';
import { LOGGER, Logger } from '@tracklane/observability';
import { Pool } from 'pg';
import { Counter, Histogram, Registry } from 'prom-client';
import { inReadModelTransaction } from './projection-transaction';
import { ProjectionWindow } from './projection-window';
import { READ_MODEL_OPTIONS, ReadModelOptions } from './read-model.options';
import { recordWindow } from './window-projection';

type Event = ClickV1 | AttributionV1;

type Message = ConsumedMessage<Event>;

/** Whole batches shared out into at most `count` groups of about the same number of messages. */
function shares(batches: Message[][], count: number): Message[][][] {
  const groups = Array.from({ length: Math.min(count, batches.length) }, () => ({ batches: [] as Message[][], size: 0 }));
  for (const batch of [...batches].sort((a, b) => b.length - a.length)) {
    const lightest = groups.reduce((least, group) => (group.size < least.size ? group : least));
    lightest.batches.push(batch);
    lightest.size += batch.length;
  }
  return groups.map((group) => group.batches);
}

/**
 * Keeps the read model up to date from clicks.v1 and attributions.v1. The
 * batches of every partition the process works on at the same time are
 * gathered into a window (ProjectionWindow) and applied in one transaction
 * (or a few at once, see project): raw rows, replay guards and the rollups'
 * sums of what changed together; each partition's offsets are committed
 * after it. A window Postgres refuses
 * as data is applied again batch by batch, each retried message by message,
 * so that only the offending message goes to the dead-letter topic.
 */
@Injectable()
export class ReadModelProjector implements OnApplicationBootstrap {
  private readonly events: Counter;
  private readonly windows: Histogram;
  private readonly window: ProjectionWindow<Message, DeadLetter[]>;
  private readonly clickTopic: string;

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
    this.windows = new Histogram({
      name: 'tracklane_reporting_projection_window_seconds',
      help: 'Time of one transaction of the projection (a window, or its share of one)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [metrics],
    });
    this.clickTopic = topics.of(clicksV1).main;
    this.window = new ProjectionWindow((batches) => this.project(batches), options.window);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.project) return;
    const clicks = this.topics.of(clicksV1);
    const attributions = this.topics.of(attributionsV1);
    const consumer = this.consumers.create<Event>({
      groupId: `${this.env.KAFKA_TOPIC_PREFIX}reporting`,
      topics: { [clicks.main]: clicksV1.decode, [attributions.main]: attributionsV1.decode },
      handler: (messages) => this.window.add(messages),
      deadLetterTopic: (topic) => (topic === clicks.main ? clicks.deadLetter : attributions.deadLetter),
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
    });
    await consumer.start();
  }

  /**
   * Applies a window; one list of dead letters per batch. The window's
   * batches are shared out over `window.transactions` transactions run at
   * once (a partition's batch stays whole, so a conversion's events stay in
   * order): PostgreSQL works on them in parallel and they meet only on the
   * rollup rows, written in key order. A window is done when all of them are.
   */
  private async project(batches: Message[][]): Promise<DeadLetter[][]> {
    const outcomes = await Promise.allSettled(shares(batches, this.options.window.transactions).map((share) => this.record(share.flat())));
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    if (failures.length === 0) return batches.map(() => []);
    const transient = failures.find((error) => !isDataError(error));
    if (transient !== undefined) throw transient;
    // Batches already recorded are skipped by the replay guards.
    const deadLetters: DeadLetter[][] = [];
    for (const batch of batches) deadLetters.push((await isolatePoison(batch, (messages) => this.record(messages))).deadLetters);
    return deadLetters;
  }

  private async record(messages: Message[]): Promise<void> {
    const clicks: ClickV1[] = [];
    const events: AttributionV1[] = [];
    for (const message of messages) {
      if (message.topic === this.clickTopic) clicks.push(message.value as ClickV1);
      else events.push(message.value as AttributionV1);
    }
    const done = this.windows.startTimer();
    const recorded = await inReadModelTransaction(this.pool, 'shared', (client) => recordWindow(client, clicks, events));
    done();
    for (const anomaly of recorded.anomalies) this.logger.warn({ ...anomaly }, 'attribution event out of the expected order; applied');
    this.count('clicks', clicks.length, recorded.clicks);
    this.count('attributions', events.length, recorded.attributions);
  }

  private count(stream: string, received: number, applied: number): void {
    this.events.inc({ stream, outcome: 'new' }, applied);
    if (received > applied) this.events.inc({ stream, outcome: 'repeated' }, received - applied);
  }
}
