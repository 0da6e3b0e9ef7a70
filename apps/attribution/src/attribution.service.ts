import { Module } from '@nestjs/common';
import { AttributionModule } from '@tracklane/attribution';
import { CacheModule } from '@tracklane/cache';
import { DbModule } from '@tracklane/db';
import { MessagingModule } from '@tracklane/messaging';
import { ServiceDefinition } from '@tracklane/observability';
import { AttributionEnv } from './attribution.env';

function attributionModule(env: AttributionEnv) {
  @Module({
    imports: [
      DbModule.forRoot({ poolSize: env.DB_POOL_SIZE }),
      // A Redis outage must not stall the consumers: lookups fall back to Postgres at once.
      CacheModule.forRoot({ failFast: true }),
      MessagingModule.forRoot({ clientId: 'attribution' }),
      AttributionModule.forRoot({
        consumerConcurrency: env.CONSUMER_CONCURRENCY,
        sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
        retry: {
          initialBackoffMs: env.CONVERSION_RETRY_INITIAL_BACKOFF_MS,
          maxBackoffMs: env.CONVERSION_RETRY_MAX_BACKOFF_MS,
          maxWaitMs: env.CONVERSION_RETRY_MAX_MS,
        },
        clickRetention: { retentionDays: env.CLICK_RETENTION_DAYS, aheadDays: env.CLICK_PARTITIONS_AHEAD_DAYS },
        maintenanceIntervalMs: env.PARTITION_MAINTENANCE_INTERVAL_MS,
        clickCacheSeconds: env.ATTRIBUTION_CLICK_CACHE_HOURS * 3_600,
        afterCommit: env.ATTRIBUTION_FAULT === 'kill-after-commit' ? () => process.kill(process.pid, 'SIGKILL') : undefined,
      }),
    ],
  })
  class AttributionServiceModule {}
  return AttributionServiceModule;
}

/** clicks.v1 + conversions.v1 → Postgres ledger + attributions.v1. HTTP: /healthz, /readyz, /metrics only. */
export const attributionService: ServiceDefinition<AttributionEnv> = {
  name: 'attribution',
  envClass: AttributionEnv,
  module: attributionModule,
};
