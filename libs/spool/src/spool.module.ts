import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { MESSAGE_PRODUCER, MessageProducer } from '@tracklane/messaging';
import { LOGGER, Logger } from '@tracklane/observability';
import { Registry } from 'prom-client';
import { DurablePublisher } from './durable-publisher';
import { Spool } from './spool';
import { SpoolMetrics } from './spool-metrics';

export interface SpoolModuleOptions {
  /** Names the spool in metrics and logs, e.g. "clicks". */
  name: string;
  /** One directory per running instance, on a disk that survives restarts. */
  dir: string;
  /** How long a Kafka send may take before the message is spooled instead. */
  deadlineMs: number;
}

const SPOOL_METRICS = Symbol('SPOOL_METRICS');

/** Replays from bootstrap on; at shutdown lets pending sends settle (recording late acks) before closing the files. */
@Injectable()
class SpoolLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly publisher: DurablePublisher,
    private readonly spool: Spool,
    @Inject(MESSAGE_PRODUCER) private readonly producer: MessageProducer,
  ) {}

  onApplicationBootstrap(): void {
    this.publisher.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.stop();
    await this.producer.flush();
    await this.spool.close();
  }
}

/**
 * A DurablePublisher backed by a spool directory. Needs MessagingModule
 * (global) in the service.
 */
@Module({})
export class SpoolModule {
  static forRoot(options: SpoolModuleOptions): DynamicModule {
    return {
      module: SpoolModule,
      providers: [
        {
          provide: SPOOL_METRICS,
          inject: [Registry],
          useFactory: (registry: Registry) => new SpoolMetrics(registry, options.name),
        },
        {
          provide: Spool,
          inject: [LOGGER, SPOOL_METRICS],
          useFactory: (logger: Logger, metrics: SpoolMetrics) =>
            Spool.open({ dir: options.dir, logger: logger.child({ spool: options.name }), metrics }),
        },
        {
          provide: DurablePublisher,
          inject: [MESSAGE_PRODUCER, Spool, LOGGER, SPOOL_METRICS],
          useFactory: (producer: MessageProducer, spool: Spool, logger: Logger, metrics: SpoolMetrics) =>
            new DurablePublisher(producer, spool, {
              deadlineMs: options.deadlineMs,
              logger: logger.child({ spool: options.name }),
              metrics,
            }),
        },
        SpoolLifecycle,
      ],
      exports: [DurablePublisher],
    };
  }
}
