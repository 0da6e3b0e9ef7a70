import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AddressPolicy } from '@tracklane/address-policy';
import { Catalog } from '@tracklane/catalog';
import { ServiceEnv } from '@tracklane/config';
import { PrismaService } from '@tracklane/db';
import { attributionsV1, AttributionV1 } from '@tracklane/contracts';
import { ConsumerFactory, MESSAGE_PRODUCER, MessageProducer, Topics } from '@tracklane/messaging';
import { HealthRegistry, LOGGER, Logger } from '@tracklane/observability';
import { Registry } from 'prom-client';
import { AffiliateHealthRepository, PausePolicy } from './delivery/affiliate-health.repository';
import { registerBacklogGauges } from './delivery/backlog-gauges';
import { deadLetterOf } from './delivery/dead-letter';
import { DeliveryDispatcher, DispatcherSettings } from './delivery/delivery-dispatcher';
import { DeliveryRepository } from './delivery/delivery.repository';
import { PostbackSender } from './delivery/postback-sender';
import { attributionIntake } from './intake/attribution-intake';

export interface DispatchOptions extends DispatcherSettings {
  /** "scheme://host:port" targets that may be reached although they are special-purpose addresses or local names. */
  allowedTargets: string[];
  pause: PausePolicy;
}

export const DISPATCH_OPTIONS = Symbol('DISPATCH_OPTIONS');

/** Wires the attributions.v1 consumer, the delivery log and the dispatcher into the service's lifecycle. */
@Injectable()
export class PostbackDispatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly deliveries: DeliveryRepository;
  private readonly dispatcher: DeliveryDispatcher;

  constructor(
    @Inject(DISPATCH_OPTIONS) options: DispatchOptions,
    private readonly consumers: ConsumerFactory,
    private readonly topics: Topics,
    private readonly env: ServiceEnv,
    private readonly catalog: Catalog,
    @Inject(MESSAGE_PRODUCER) producer: MessageProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly healthChecks: HealthRegistry,
    prisma: PrismaService,
    metrics: Registry,
  ) {
    this.deliveries = new DeliveryRepository(prisma);
    const health = new AffiliateHealthRepository(prisma, options.pause);
    const deadLetterTopic = topics.of(attributionsV1).deadLetter;
    this.dispatcher = new DeliveryDispatcher(
      {
        deliveries: this.deliveries,
        health,
        sender: new PostbackSender({ timeoutMs: options.timeoutMs, policy: new AddressPolicy(options.allowedTargets) }),
        catalog: () => catalog.current(),
        deadLetter: (delivery, error) =>
          producer.send(deadLetterTopic, [deadLetterOf(delivery, error, Math.min(delivery.attempts, options.maxAttempts))]),
        logger,
        metrics,
      },
      options,
    );
    registerBacklogGauges(metrics, this.deliveries, health, logger);
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

  /** Runs before the consumers and the producer stop, so attempts in flight are finished and recorded first. */
  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.stop();
  }

  private startConsumer(): Promise<void> {
    const topics = this.topics.of(attributionsV1);
    return this.consumers
      .create<AttributionV1>({
        groupId: `${this.env.KAFKA_TOPIC_PREFIX}postback-dispatch`,
        topics: { [topics.main]: (bytes) => attributionsV1.decode(bytes) },
        handler: attributionIntake({
          deliveries: this.deliveries,
          catalog: this.catalog,
          onRecorded: () => this.dispatcher.wake(),
          logger: this.logger,
        }),
        deadLetterTopic: () => topics.deadLetter,
      })
      .start();
  }
}
