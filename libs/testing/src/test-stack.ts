import { TestDatabase, createTestDatabase } from './database';
import { TestTopics, createTestTopics } from './kafka';
import { TestRedis, createTestRedis } from './redis';

export interface TestStack {
  database: TestDatabase;
  topics: TestTopics;
  redis: TestRedis;
  /** The environment a service under test needs to use exactly these resources. */
  env: Record<string, string>;
  destroy(): Promise<void>;
}

/**
 * Real Kafka topics, a migrated Postgres database and a Redis key space, all
 * private to one test suite. Call destroy() in afterAll.
 */
export async function createTestStack(options: { partitions?: number; brokers?: string } = {}): Promise<TestStack> {
  const [database, topics, redis] = await Promise.all([
    createTestDatabase(),
    createTestTopics(options),
    createTestRedis(),
  ]);
  return {
    database,
    topics,
    redis,
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: topics.brokers,
      KAFKA_TOPIC_PREFIX: topics.prefix,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
    },
    destroy: async () => {
      await Promise.allSettled([database.drop(), topics.drop(), redis.drop()]);
    },
  };
}
