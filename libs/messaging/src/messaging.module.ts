import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { ServiceEnv } from '@tracklane/config';
import { allTopics } from '@tracklane/contracts';
import { HealthRegistry, LOGGER, Logger } from '@tracklane/observability';
import { Admin, Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { BatchConsumer, BatchConsumerOptions } from './consumer';
import { KafkaBatchConsumer } from './kafka/kafka-batch-consumer';
import { createKafka } from './kafka/kafka-client';
import { checkTopics, topicSettingsOf } from './kafka/kafka-admin';
import { KafkaMessageProducer, KafkaProducerOptions } from './kafka/kafka-producer';
import { MessageProducer } from './producer';
import { Topics } from './topics';

export const MESSAGE_PRODUCER = Symbol('MESSAGE_PRODUCER');

/**
 * Creates the consumers of a service and stops them before the producer
 * closes (a stopping consumer may still publish dead letters).
 */
@Injectable()
export class ConsumerFactory implements BeforeApplicationShutdown {
  private readonly consumers: BatchConsumer[] = [];

  constructor(
    private readonly kafka: Kafka,
    @Inject(MESSAGE_PRODUCER) private readonly producer: MessageProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Registry,
    private readonly env: ServiceEnv,
  ) {}

  create<T>(options: BatchConsumerOptions<T>): BatchConsumer {
    const consumer = new KafkaBatchConsumer<T>(
      { kafka: this.kafka, producer: this.producer, logger: this.logger, metrics: this.metrics },
      { sessionTimeoutMs: this.env.KAFKA_SESSION_TIMEOUT_MS, ...options },
    );
    this.consumers.push(consumer);
    return consumer;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }
}

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

@Injectable()
class ProducerLifecycle implements OnModuleInit, OnApplicationShutdown {
  private admin: Admin | null = null;
  /** How the deployment's topics are weaker than configured, looked at once per start. */
  private topicFindings: Promise<string[]> | null = null;

  constructor(
    private readonly kafka: Kafka,
    @Inject(MESSAGE_PRODUCER) private readonly producer: MessageProducer,
    private readonly health: HealthRegistry,
    private readonly topics: Topics,
    private readonly env: ServiceEnv,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  onModuleInit(): void {
    this.health.register({
      name: 'kafka',
      check: async () => {
        await this.producer.prepare(this.options.produces?.(this.topics) ?? []);
        if (!this.admin) {
          const admin = this.kafka.admin();
          await admin.connect();
          this.admin = admin;
        }
        await this.admin.describeCluster();
        return { warnings: await (this.topicFindings ??= this.checkTopics()) };
      },
    });
  }

  /** Topics weaker than the environment says (fewer replicas, a lower min.insync.replicas…) are logged and shown in /readyz. */
  private async checkTopics(): Promise<string[]> {
    const topics = allTopics({ partitions: this.env.KAFKA_PARTITIONS, prefix: this.env.KAFKA_TOPIC_PREFIX });
    try {
      const findings = await checkTopics(this.kafka, topics, topicSettingsOf(this.env));
      for (const finding of findings) this.logger.warn({ finding }, 'kafka topic weaker than configured');
      return findings;
    } catch (error) {
      this.topicFindings = null; // looked at again by the next readiness check
      return [`topic settings not checked: ${(error as Error).message}`];
    }
  }

  /** Runs after the HTTP server stopped taking requests: everything accepted gets flushed. */
  async onApplicationShutdown(): Promise<void> {
    await this.producer.close();
    await this.admin?.disconnect();
  }
}

export interface MessagingOptions {
  clientId: string;
  /**
   * The topics the service publishes to while it answers requests: the
   * producer is connected and knows their partitions before /readyz says
   * ready, so the first requests after a start wait for neither.
   */
  produces?: (topics: Topics) => string[];
  /** Unordered topics default to the contracts' (ordering "none"). */
  producer?: Omit<KafkaProducerOptions, 'metrics'>;
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: Kafka,
          inject: [ServiceEnv, LOGGER],
          useFactory: (env: ServiceEnv, logger: Logger) =>
            createKafka({ brokers: env.KAFKA_BROKERS, clientId: options.clientId, logger }),
        },
        {
          provide: MESSAGE_PRODUCER,
          inject: [Kafka, Registry, Topics],
          useFactory: (kafka: Kafka, metrics: Registry, topics: Topics) =>
            new KafkaMessageProducer(kafka, { unorderedTopics: topics.unordered(), ...options.producer, metrics }),
        },
        { provide: Topics, inject: [ServiceEnv], useFactory: (env: ServiceEnv) => new Topics(env.KAFKA_TOPIC_PREFIX) },
        { provide: MESSAGING_OPTIONS, useValue: options },
        ConsumerFactory,
        ProducerLifecycle,
      ],
      exports: [Kafka, MESSAGE_PRODUCER, Topics, ConsumerFactory],
    };
  }
}
