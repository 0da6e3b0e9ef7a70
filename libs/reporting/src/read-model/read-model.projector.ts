import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AttributionV1, ClickV1, attributionsV1, clicksV1, idTime } from '@tracklane/contracts';
import { ServiceEnv } from '@tracklane/config';
import { isDataError, isMissingPartition, isolatePoison, PrismaService } from '@tracklane/db';
import { ConsumedMessage, ConsumerFactory, DeadLetter, Topics } from '@tracklane/messaging';
import { LOGGER, Logger } from '@tracklane/observability';
import { Counter, Histogram, Registry } from 'prom-client';
import { clickTime } from './click-projection';
import { inReadModelTransaction } from './projection-transaction';
import { ProjectionWindow } from './projection-window';
import { RawPartitions } from './raw-partitions';
import { READ_MODEL_OPTIONS, ReadModelOptions } from './read-model.options';
import { recordWindow } from './window-projection';

type Event = ClickV1 | AttributionV1;

type Message = ConsumedMessage<Event>;

const MAINTENANCE_INTERVAL_MS = 3_600_000;

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
 * so that only the offending message goes to the dead-letter topic. The raw
 * tables' month partitions a window needs are made before its transaction,
 * and kept to their retention by an hourly maintenance.
 */
@Injectable()
export class ReadModelProjector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly events: Counter;
  private readonly windows: Histogram;
  private readonly window: ProjectionWindow<Message, DeadLetter[]>;
  private readonly clickTopic: string;
  private readonly partitions: RawPartitions;
  private maintenance?: NodeJS.Timeout;

  constructor(
    private readonly prisma: PrismaService,
    private readonly consumers: ConsumerFactory,
    private readonly topics: Topics,
    private readonly env: ServiceEnv,
    @Inject(READ_MODEL_OPTIONS) private readonly options: ReadModelOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Registry,
  ) {
    this.events = new Counter({
      name: 'tracklane_reporting_projected_events_total',
      help: 'Events the read model consumed: new ones changed it; repeated ones, and expired ones (older than the raw rows kept), were skipped',
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
    this.partitions = new RawPartitions(this.prisma, { months: options.rawRetentionMonths });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.project) return;
    await this.maintainPartitions();
    this.maintenance = setInterval(() => void this.maintainPartitions(), MAINTENANCE_INTERVAL_MS);
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

  onModuleDestroy(): void {
    clearInterval(this.maintenance);
  }

  private async maintainPartitions(): Promise<void> {
    try {
      this.logger.info(await this.partitions.maintain(Date.now()), 'read model partitions maintained');
    } catch (error) {
      this.logger.warn({ err: error }, 'read model partitions not maintained; retried within the hour');
    }
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
    // A click or event older than the raw rows kept has lost its replay guard: counting it could count it twice.
    const keptSince = this.partitions.keptSince(Date.now());
    const expired = { clicks: 0, attributions: 0 };
    for (const message of messages) {
      if (message.topic === this.clickTopic) {
        const click = message.value as ClickV1;
        if (idTime(click.clickId) >= keptSince) clicks.push(click);
        else expired.clicks++;
      } else {
        const event = message.value as AttributionV1;
        if (Date.parse(event.decidedAt) >= keptSince) events.push(event);
        else expired.attributions++;
      }
    }
    await this.partitions.ensureFor([
      ...clicks.map(clickTime),
      ...events.flatMap((event) => [event.decidedAt, event.convertedAt]),
    ]);
    const done = this.windows.startTimer();
    const recorded = await inReadModelTransaction(this.prisma, 'shared', (tx) => recordWindow(tx, clicks, events)).catch((error: unknown) => {
      // Another instance dropped a month this one thought was there: the window is retried and makes it again.
      if (isMissingPartition(error)) this.partitions.forget();
      throw error;
    });
    done();
    for (const anomaly of recorded.anomalies) this.logger.warn({ ...anomaly }, 'attribution event out of the expected order; applied');
    this.count('clicks', clicks.length, recorded.clicks, expired.clicks);
    this.count('attributions', events.length, recorded.attributions, expired.attributions);
  }

  private count(stream: string, received: number, applied: number, expired: number): void {
    this.events.inc({ stream, outcome: 'new' }, applied);
    if (received > applied) this.events.inc({ stream, outcome: 'repeated' }, received - applied);
    if (expired > 0) this.events.inc({ stream, outcome: 'expired' }, expired);
  }
}
