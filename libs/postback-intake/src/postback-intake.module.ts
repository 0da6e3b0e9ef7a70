import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { Redis, REDIS } from '@tracklane/cache';
import { Catalog, CatalogModule } from '@tracklane/catalog';
import { conversionsV1 } from '@tracklane/contracts';
import { PrismaService } from '@tracklane/db';
import { MESSAGE_PRODUCER, MessageProducer, Topics } from '@tracklane/messaging';
import { LOGGER, Logger } from '@tracklane/observability';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { AdvertiserAuthenticator } from './auth/advertiser-authenticator';
import { SignatureReplays } from './auth/signature-replays';
import { ErrorAnswerFilter } from './http/error-answer.filter';
import { ClientAddresses } from './http/client-address';
import { PostbackController } from './http/postback.controller';
import { PostbackEndpoint } from './http/postback-endpoint';
import { InboundLogOptions, InboundPostbackLog } from './inbound-log/inbound-postback-log';
import { PostbackIntake } from './intake/postback-intake';
import { PostbackReceipts } from './receipts/postback-receipts.repository';
import { PostbackRetention, RetentionOptions } from './retention/postback-retention';
import { ConversionUpload } from './upload/conversion-upload';

export interface PostbackIntakeOptions {
  /** How far a signed postback's timestamp may be from now, either way. */
  signatureWindowSeconds: number;
  /** Longest wait for Kafka's acknowledgement before answering 503. */
  publishTimeoutMs: number;
  /** How long an unpublished receipt belongs to the attempt that wrote it (then a retry may publish it). */
  receiptLeaseMs: number;
  /** Load balancers whose X-Forwarded-For is believed (addresses or CIDR ranges). */
  trustedProxies: string[];
  /** Receipt batch statements running at once. */
  maxConcurrentBatches: number;
  /** The inbound postback log: queue bound, batching. */
  inboundLog: InboundLogOptions;
  /** What is purged when (the network's settings may shorten or lengthen it). */
  retention: RetentionOptions;
}

const OPTIONS = Symbol('POSTBACK_INTAKE_OPTIONS');

/**
 * The postback endpoints and everything behind them. Needs DbModule,
 * CacheModule and MessagingModule in the service (all global).
 */
@Module({})
export class PostbackIntakeModule {
  static forRoot(options: PostbackIntakeOptions): DynamicModule {
    return {
      module: PostbackIntakeModule,
      imports: [CatalogModule.forRoot()],
      controllers: [PostbackController],
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: APP_FILTER, useClass: ErrorAnswerFilter },
        {
          provide: PostbackReceipts,
          inject: [Pool],
          useFactory: (pool: Pool) =>
            new PostbackReceipts(pool, { leaseMs: options.receiptLeaseMs, maxConcurrentBatches: options.maxConcurrentBatches }),
        },
        {
          provide: PostbackIntake,
          inject: [PostbackReceipts, MESSAGE_PRODUCER, Topics, LOGGER],
          useFactory: (receipts: PostbackReceipts, producer: MessageProducer, topics: Topics, logger: Logger) =>
            new PostbackIntake(
              receipts,
              producer,
              { topic: topics.of(conversionsV1).main, publishTimeoutMs: options.publishTimeoutMs, pollIntervalMs: 25 },
              logger,
            ),
        },
        {
          provide: InboundPostbackLog,
          inject: [Pool, LOGGER, Registry],
          useFactory: (pool: Pool, logger: Logger, metrics: Registry) => new InboundPostbackLog(pool, options.inboundLog, logger, metrics),
        },
        {
          provide: PostbackRetention,
          inject: [PrismaService, InboundPostbackLog, PostbackReceipts, LOGGER],
          useFactory: (prisma: PrismaService, log: InboundPostbackLog, receipts: PostbackReceipts, logger: Logger) =>
            new PostbackRetention(prisma, log, receipts, options.retention, logger),
        },
        {
          provide: PostbackEndpoint,
          inject: [Catalog, PostbackIntake, InboundPostbackLog, LOGGER, Registry, REDIS],
          useFactory: (catalog: Catalog, intake: PostbackIntake, inboundLog: InboundPostbackLog, logger: Logger, metrics: Registry, redis: Redis) =>
            new PostbackEndpoint(
              catalog,
              new AdvertiserAuthenticator(options.signatureWindowSeconds, logger),
              new SignatureReplays(redis, options.signatureWindowSeconds),
              intake,
              new ClientAddresses(options.trustedProxies),
              inboundLog,
              logger,
              metrics,
            ),
        },
        {
          provide: ConversionUpload,
          inject: [HttpAdapterHost, Catalog, PostbackIntake, LOGGER, Registry],
          useFactory: (adapterHost: HttpAdapterHost, catalog: Catalog, intake: PostbackIntake, logger: Logger, metrics: Registry) =>
            new ConversionUpload(
              adapterHost,
              catalog,
              new AdvertiserAuthenticator(options.signatureWindowSeconds, logger),
              new ClientAddresses(options.trustedProxies),
              intake,
              logger,
              metrics,
            ),
        },
      ],
    };
  }
}
