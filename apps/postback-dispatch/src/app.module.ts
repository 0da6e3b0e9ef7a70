import { DynamicModule, Module } from '@nestjs/common';
import { allowedTargetList } from '@tracklane/address-policy';
import { CacheModule } from '@tracklane/cache';
import { DbModule } from '@tracklane/db';
import { DispatchModule } from '@tracklane/dispatch';
import { MessagingModule } from '@tracklane/messaging';
import { DispatchEnv } from './dispatch-env';

@Module({})
export class AppModule {
  static forRoot(env: DispatchEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DbModule.forRoot({ poolSize: 10 }),
        CacheModule.forRoot(),
        MessagingModule.forRoot({ clientId: 'postback-dispatch' }),
        DispatchModule.forRoot({
          concurrency: env.POSTBACK_CONCURRENCY,
          perHostConcurrency: env.POSTBACK_PER_HOST_CONCURRENCY,
          timeoutMs: env.POSTBACK_TIMEOUT_MS,
          maxAttempts: env.POSTBACK_MAX_ATTEMPTS,
          backoff: { baseMs: env.POSTBACK_RETRY_BASE_MS, maxMs: env.POSTBACK_RETRY_MAX_MS },
          pollMs: env.POSTBACK_POLL_MS,
          pause: { afterFailures: env.POSTBACK_PAUSE_AFTER_FAILURES, baseMs: env.POSTBACK_PAUSE_MS, maxMs: env.POSTBACK_PAUSE_MAX_MS },
          allowedTargets: allowedTargetList(env.POSTBACK_ALLOWED_TARGETS),
        }),
      ],
    };
  }
}
