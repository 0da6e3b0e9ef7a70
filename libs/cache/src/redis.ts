import Redis, { RedisOptions } from 'ioredis';

export type { Redis } from 'ioredis';

export interface RedisClientOptions {
  url: string;
  /** Put in front of every key (REDIS_KEY_PREFIX); channels take it explicitly. */
  keyPrefix?: string;
  /** Fail commands instead of queueing them while disconnected (hot paths want an answer). */
  failFast?: boolean;
}

export function createRedis(options: RedisClientOptions): Redis {
  const redisOptions: RedisOptions = {
    keyPrefix: options.keyPrefix || undefined,
    lazyConnect: false,
    maxRetriesPerRequest: options.failFast ? 1 : 20,
    enableOfflineQueue: !options.failFast,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  };
  return new Redis(options.url, redisOptions);
}
