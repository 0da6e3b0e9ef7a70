import { DynamicModule, Module } from '@nestjs/common';
import { REDIS, Redis } from '@tracklane/cache';
import { Catalog, CatalogModule } from '@tracklane/catalog';
import { PrismaService } from '@tracklane/db';
import { MESSAGE_PRODUCER, MessageProducer, Topics } from '@tracklane/messaging';
import { LOGGER, Logger } from '@tracklane/observability';
import { Registry } from 'prom-client';
import { ATTRIBUTION_OPTIONS, AttributionOptions } from './attribution.options';
import { AttributionWorkers } from './attribution.workers';
import { ClickCache } from './clicks/click-cache';
import { ClickIngestion } from './clicks/click-ingestion';
import { ClickLookup } from './clicks/click-lookup';
import { ClickPartitions } from './clicks/click-partitions';
import { ClickRepository } from './clicks/click.repository';
import { ConversionConsumers } from './conversions/conversion-consumers';
import { ConversionProcessor } from './conversions/conversion-processor';
import { LedgerRepository } from './conversions/ledger.repository';
import { AttributionMetrics } from './metrics';

/**
 * Attribution: clicks.v1 and conversions.v1 in, the ledger and
 * attributions.v1 out. Needs DbModule, CacheModule and MessagingModule in
 * the service.
 */
@Module({})
export class AttributionModule {
  static forRoot(options: AttributionOptions): DynamicModule {
    return {
      module: AttributionModule,
      imports: [CatalogModule.forRoot()],
      providers: [
        { provide: ATTRIBUTION_OPTIONS, useValue: options },
        { provide: AttributionMetrics, inject: [Registry], useFactory: (registry: Registry) => new AttributionMetrics(registry) },
        { provide: ClickRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new ClickRepository(prisma) },
        { provide: ClickCache, inject: [REDIS], useFactory: (redis: Redis) => new ClickCache(redis, options.clickCacheSeconds) },
        { provide: ClickPartitions, inject: [PrismaService], useFactory: (prisma: PrismaService) => new ClickPartitions(prisma, options.clickRetention) },
        { provide: LedgerRepository, useValue: new LedgerRepository() },
        {
          provide: ClickIngestion,
          inject: [ClickRepository, ClickCache, ClickPartitions, Catalog, AttributionMetrics, LOGGER],
          useFactory: (...deps: ConstructorParameters<typeof ClickIngestion>) => new ClickIngestion(...deps),
        },
        {
          provide: ClickLookup,
          inject: [ClickCache, ClickRepository, AttributionMetrics, LOGGER],
          useFactory: (...deps: ConstructorParameters<typeof ClickLookup>) => new ClickLookup(...deps),
        },
        {
          provide: ConversionProcessor,
          inject: [PrismaService, LedgerRepository, ClickLookup, ClickPartitions, Catalog, AttributionMetrics, LOGGER],
          useFactory: (
            prisma: PrismaService,
            ledger: LedgerRepository,
            clicks: ClickLookup,
            partitions: ClickPartitions,
            catalog: Catalog,
            metrics: AttributionMetrics,
            logger: Logger,
          ) => new ConversionProcessor(prisma, ledger, clicks, partitions, catalog, options.retry, metrics, logger),
        },
        {
          provide: ConversionConsumers,
          inject: [ConversionProcessor, MESSAGE_PRODUCER, Topics, AttributionMetrics],
          useFactory: (processor: ConversionProcessor, producer: MessageProducer, topics: Topics, metrics: AttributionMetrics) =>
            new ConversionConsumers(processor, producer, topics, metrics, options.afterCommit),
        },
        AttributionWorkers,
      ],
    };
  }
}
