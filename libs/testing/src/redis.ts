import { createRedis } from '@tracklane/cache';
import type { Redis } from 'ioredis';
import { testServices } from './services';
import { uniqueName } from './wait';

export interface TestRedis {
  /** REDIS_KEY_PREFIX for services under test. */
  prefix: string;
  url: string;
  /** A client with the prefix applied. */
  client: Redis;
  /** Deletes every key under the prefix and disconnects. */
  drop(): Promise<void>;
}

export async function createTestRedis(): Promise<TestRedis> {
  const { redisUrl } = await testServices();
  const prefix = `${uniqueName('t')}:`;
  const client = createRedis({ url: redisUrl, keyPrefix: prefix });
  return {
    prefix,
    url: redisUrl,
    client,
    drop: async () => {
      const raw = createRedis({ url: redisUrl });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await raw.del(...keys);
        } while (cursor !== '0');
      } finally {
        raw.disconnect();
        client.disconnect();
      }
    },
  };
}
