import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Catalog, CatalogModule } from '@tracklane/catalog';
import { ServiceEnv } from '@tracklane/config';
import { attributionsV1, AttributionV1 } from '@tracklane/contracts';
import { ConsumerFactory, DEAD_LETTER_HEADERS, MESSAGE_PRODUCER, MessageProducer, Topics } from '@tracklane/messaging';
import { HealthRegistry, LOGGER, Logger } from '@tracklane/observability';
import { Pool } from 'pg';
import { Gauge, Registry } from 'prom-client';
import { AffiliateHealthRepository, PausePolicy } from './delivery/affiliate-health.repository';
import { DeliveryDispatcher, DispatcherSettings } from './delivery/delivery-dispatcher';
import { ClaimedDelivery, DeliveryRepository } from './delivery/delivery.repository';
import { PostbackSender } from './delivery/postback-sender';
import { attributionIntake } from './intake/attribution-intake';
import { TargetPolicy } from './safety/target-policy';

export interface DispatchOptions extends DispatcherSettings {
  /** Host names, addresses and CIDR ranges that may be reached although they are loopback, private or link-local. */
  allowedTargets: string[];
  pause: PausePolicy;
}

const DISPATCH_OPTIONS = Symbol('DISPATCH_OPTIONS');

/** Headers added to a dead-lettered postback, besides the platform's error/topic/partition/offset. */
export const DISPATCH_DEAD_LETTER_HEADERS = {
  deliveryKey: 'x-tracklane-delivery-key',
  attempts: 'x-tracklane-delivery-attempts',
  deadLetteredBy: 'x-tracklane-dead-lettered-by',
} as const;

@Injectable()
class PostbackDispatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly deliveries: DeliveryRepository;
  private readonly dispatcher: DeliveryDispatcher;

  constructor(
    @Inject(DISPATCH_OPTIONS) private readonly options: DispatchOptions,
    private readonly consumers: ConsumerFactory,
    private readonly topics: Topics,
    private readonly env: ServiceEnv,
    private readonly catalog: Catalog,
    @Inject(MESSAGE_PRODUCER) private readonly producer: MessageProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly healthChecks: HealthRegistry,
    pool: Pool,
    private readonly metrics: Registry,
  ) {
    const deliveries = new DeliveryRepository(pool);
    this.deliveries = deliveries;
    const health = new AffiliateHealthRepository(pool, options.pause);
    this.dispatcher = new DeliveryDispatcher(
      {
        deliveries,
        health,
        sender: new PostbackSender({ timeoutMs: options.timeoutMs, policy: new TargetPolicy(options.allowedTargets) }),
        catalog: () => catalog.current(),
        deadLetter: (delivery, error) => this.deadLetter(delivery, error),
        logger,
        metrics,
      },
      options,
    );
    this.registerGauges(deliveries, health);
  }

  /**
   * Starts sending at once and joins the consumer group in the background:
   * after a crash, Kafka holds the group for the dead member's session
   * timeout, and the retries already in Postgres should not wait for that.
   * /readyz reports the consumer until it has joined.
   */
  onApplicationBootstrap(): void {
    this.dispatcher.start();
    let joined = false;
    let failure: Error | null = null;
    this.healthChecks.register({
      name: 'attributions-consumer',
      check: async () => {
        if (failure) throw failure;
        if (!joined) throw new Error('joining the consumer group');
      },
    });
    this.startConsumer().then(
      () => (joined = true),
      (error: Error) => {
        failure = error;
        this.logger.error({ err: error }, 'the attributions consumer could not start');
      },
    );
  }

  private startConsumer(): Promise<void> {
    const topics = this.topics.of(attributionsV1);
    return this.consumers
      .create<AttributionV1>({
        groupId: `${this.env.KAFKA_TOPIC_PREFIX}postback-dispatch`,
        topics: { [topics.main]: (bytes) => attributionsV1.decode(bytes) },
        handler: attributionIntake({
          deliveries: this.deliveries,
          catalog: () => this.catalog.current(),
          onRecorded: () => this.dispatcher.wake(),
          logger: this.logger,
        }),
        deadLetterTopic: () => topics.deadLetter,
      })
      .start();
  }

  /** Runs before the consumers and the producer stop, so attempts in flight are finished and recorded first. */
  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.stop();
  }

  private async deadLetter(delivery: ClaimedDelivery, error: string): Promise<void> {
    let key = delivery.conversionId;
    try {
      key = attributionsV1.keyOf(JSON.parse(delivery.event) as AttributionV1);
    } catch {
      // The event was read and validated on the way in; the conversion id still keys it sensibly.
    }
    await this.producer.send(this.topics.of(attributionsV1).deadLetter, [
      {
        key,
        value: delivery.event,
        headers: {
          [DEAD_LETTER_HEADERS.error]: `postback not delivered: ${error}`.slice(0, 1000),
          [DEAD_LETTER_HEADERS.topic]: delivery.sourceTopic,
          [DEAD_LETTER_HEADERS.partition]: String(delivery.sourcePartition),
          [DEAD_LETTER_HEADERS.offset]: delivery.sourceOffset,
          [DISPATCH_DEAD_LETTER_HEADERS.deliveryKey]: delivery.deliveryKey,
          [DISPATCH_DEAD_LETTER_HEADERS.attempts]: String(Math.min(delivery.attempts, this.options.maxAttempts)),
          [DISPATCH_DEAD_LETTER_HEADERS.deadLetteredBy]: 'postback-dispatch',
        },
      },
    ]);
  }

  private registerGauges(deliveries: DeliveryRepository, health: AffiliateHealthRepository): void {
    const logger = this.logger;
    new Gauge({
      name: 'tracklane_postback_paused_affiliates',
      help: 'Affiliates whose postbacks are paused because their endpoint keeps failing',
      registers: [this.metrics],
      async collect() {
        await health.pausedCount().then(
          (count) => this.set(count),
          (error) => logger.warn({ err: error }, 'could not count paused affiliates'),
        );
      },
    });
    new Gauge({
      name: 'tracklane_postback_backlog',
      help: 'Postbacks waiting for an attempt (pending: none yet; failed: retry scheduled)',
      labelNames: ['state'],
      registers: [this.metrics],
      async collect() {
        await deliveries.backlog().then(
          (counts) => {
            for (const state of ['pending', 'failed']) this.set({ state }, counts[state] ?? 0);
          },
          (error) => logger.warn({ err: error }, 'could not count the postback backlog'),
        );
      },
    });
  }
}

/**
 * Outbound postbacks to affiliates: consumes attributions.v1, records the
 * postbacks the affiliates asked for, and delivers them. Needs DbModule,
 * CacheModule and MessagingModule in the service.
 */
@Module({})
export class DispatchModule {
  static forRoot(options: DispatchOptions): DynamicModule {
    return {
      module: DispatchModule,
      imports: [CatalogModule.forRoot()],
      providers: [{ provide: DISPATCH_OPTIONS, useValue: options }, PostbackDispatch],
    };
  }
}
