import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyVerifier } from '@tracklane/api-keys';
import { REDIS, Redis } from '@tracklane/cache';
import { PrismaService } from '@tracklane/db';
import { LOGGER, Logger } from '@tracklane/observability';
import { ApiAuthEnv } from './api-auth.env';
import { ApiKeyGuard } from './api-key.guard';
import { FailedKeyAttempts } from './failed-key-attempts';

/**
 * Puts ApiKeyGuard in front of every Nest route of the service (health,
 * metrics and /docs are plain Fastify routes and stay open). Needs DbModule
 * and CacheModule (both global).
 */
@Module({})
export class ApiAuthModule {
  static forRoot(env: ApiAuthEnv): DynamicModule {
    return {
      module: ApiAuthModule,
      providers: [
        { provide: ApiKeyVerifier, inject: [PrismaService], useFactory: (prisma: PrismaService) => new ApiKeyVerifier(prisma) },
        {
          provide: FailedKeyAttempts,
          inject: [REDIS, LOGGER],
          useFactory: (redis: Redis, logger: Logger) =>
            new FailedKeyAttempts(
              redis,
              { limit: env.API_KEY_FAILURE_LIMIT, windowSeconds: env.API_KEY_FAILURE_WINDOW_SECONDS, redisDeadlineMs: 250 },
              logger,
            ),
        },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }
}
