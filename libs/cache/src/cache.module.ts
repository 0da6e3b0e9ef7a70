import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ServiceEnv } from '@tracklane/config';
import { HealthRegistry } from '@tracklane/observability';
import type { Redis } from 'ioredis';
import { InvalidationBus } from './invalidation-bus';
import { createRedis } from './redis';

export const REDIS = Symbol('REDIS');
const REDIS_SUBSCRIBER = Symbol('REDIS_SUBSCRIBER');
const CACHE_OPTIONS = Symbol('CACHE_OPTIONS');

export interface CacheOptions {
  /**
   * For a service that carries on without Redis (the ingresses, attribution): commands fail at once while
   * Redis is unreachable instead of waiting in a queue, and /readyz reports the outage as a warning, so a
   * load balancer does not take every instance out of service for it.
   */
  failFast?: boolean;
}

/** The service's Redis connection (keys under REDIS_KEY_PREFIX) and the catalogue invalidation bus. */
@Global()
@Module({})
export class CacheModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    private readonly health: HealthRegistry,
    @Inject(CACHE_OPTIONS) private readonly options: CacheOptions,
  ) {}

  static forRoot(options: CacheOptions = {}): DynamicModule {
    return {
      module: CacheModule,
      providers: [
        { provide: CACHE_OPTIONS, useValue: options },
        {
          provide: REDIS,
          inject: [ServiceEnv],
          useFactory: (env: ServiceEnv) =>
            createRedis({ url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX, failFast: options.failFast }),
        },
        {
          provide: REDIS_SUBSCRIBER,
          inject: [ServiceEnv],
          useFactory: (env: ServiceEnv) => createRedis({ url: env.REDIS_URL }),
        },
        {
          provide: InvalidationBus,
          inject: [REDIS, REDIS_SUBSCRIBER, ServiceEnv],
          useFactory: (redis: Redis, subscriber: Redis, env: ServiceEnv) =>
            new InvalidationBus(redis, subscriber, env.REDIS_KEY_PREFIX),
        },
      ],
      exports: [REDIS, InvalidationBus],
    };
  }

  onModuleInit(): void {
    this.redis.on('error', () => undefined); // reconnects on its own; /readyz reports the outage
    this.subscriber.on('error', () => undefined);
    this.health.register({ name: 'redis', optional: this.options.failFast, check: async () => void (await this.redis.ping()) });
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber.disconnect();
    // QUIT lets pending replies arrive; without a connection there is nothing to wait for.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
