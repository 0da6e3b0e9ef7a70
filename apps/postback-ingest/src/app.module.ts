import { DynamicModule, Module } from '@nestjs/common';
import { CacheModule } from '@tracklane/cache';
import { conversionsV1 } from '@tracklane/contracts';
import { DbModule } from '@tracklane/db';
import { MessagingModule } from '@tracklane/messaging';
import { PostbackIntakeModule } from '@tracklane/postback-intake';
import { addressList, PostbackIngestEnv } from './postback-ingest.env';

@Module({})
export class AppModule {
  static forRoot(env: PostbackIngestEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DbModule.forRoot({ poolSize: env.DB_POOL_SIZE }),
        CacheModule.forRoot({ failFast: true }),
        MessagingModule.forRoot({ clientId: 'postback-ingest', produces: (topics) => [topics.of(conversionsV1).main] }),
        PostbackIntakeModule.forRoot({
          signatureWindowSeconds: env.SIGNATURE_WINDOW_SECONDS,
          publishTimeoutMs: env.PUBLISH_TIMEOUT_MS,
          receiptLeaseMs: env.RECEIPT_LEASE_MS,
          trustedProxies: addressList(env.TRUSTED_PROXIES),
          maxConcurrentBatches: Math.max(1, Math.floor(env.DB_POOL_SIZE / 4)),
          inboundLog: {
            queueSize: env.POSTBACK_LOG_QUEUE_SIZE,
            // Postbacks are a few hundred bytes; this bounds the memory when the queue holds large webhook bodies.
            queueBytes: 64 * 1024 * 1024,
            batchSize: 500,
            flushIntervalMs: env.POSTBACK_LOG_FLUSH_MS,
          },
          retention: { postbackLogDays: env.POSTBACK_LOG_RETENTION_DAYS, intervalMs: 3_600_000 },
        }),
      ],
    };
  }
}
