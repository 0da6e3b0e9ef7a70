import { DynamicModule, Module } from '@nestjs/common';
import { CacheModule } from '@tracklane/cache';
import { clicksV1 } from '@tracklane/contracts';
import { DbModule } from '@tracklane/db';
import { MessagingModule } from '@tracklane/messaging';
import { TrackingModule } from '@tracklane/tracking';
import { join } from 'node:path';
import { ClickIngestEnv } from './click-ingest.env';

@Module({})
export class ClickIngestModule {
  static forRoot(env: ClickIngestEnv): DynamicModule {
    return {
      module: ClickIngestModule,
      imports: [
        // The catalogue is the only thing read from Postgres, once per change.
        DbModule.forRoot({ poolSize: 2 }),
        // A redirect never queues behind a Redis outage.
        CacheModule.forRoot({ failFast: true }),
        MessagingModule.forRoot({ clientId: 'click-ingest', produces: (topics) => [topics.of(clicksV1).main] }),
        TrackingModule.forRoot({
          spoolDir: env.CLICK_SPOOL_DIR || join(env.TRACKLANE_STATE_DIR, 'click-ingest', 'spool'),
          publishDeadlineMs: env.CLICK_PUBLISH_DEADLINE_MS,
          checks: {
            uniqueWindowSeconds: env.CLICK_UNIQUE_WINDOW_SECONDS,
            rateLimitMax: env.CLICK_RATE_LIMIT_MAX,
            rateLimitWindowSeconds: env.CLICK_RATE_LIMIT_WINDOW_SECONDS,
            deadlineMs: env.CLICK_CHECKS_DEADLINE_MS,
          },
          visitors: {
            countryHeader: env.CLICK_COUNTRY_HEADER || null,
            clientIpHeader: env.CLICK_CLIENT_IP_HEADER || null,
            extraBotPatterns: env.CLICK_BOT_PATTERNS.split(','),
            geoipDir: env.CLICK_GEOIP_DIR,
          },
        }),
      ],
    };
  }
}
