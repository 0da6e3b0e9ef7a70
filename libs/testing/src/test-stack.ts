import { TestDatabase, createTestDatabase } from './database';
import { TestTopicOptions, TestTopics, createTestTopics } from './kafka';
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
export async function createTestStack(options: TestTopicOptions = {}): Promise<TestStack> {
  const settled = await Promise.allSettled([createTestDatabase(), createTestTopics(options), createTestRedis()]);
  const [databaseResult, topicsResult, redisResult] = settled;
  if (databaseResult.status === 'rejected' || topicsResult.status === 'rejected' || redisResult.status === 'rejected') {
    // Leave nothing behind: an open Redis client would keep the test run from exiting.
    await Promise.allSettled(settled.map((result) => (result.status === 'fulfilled' ? result.value.drop() : undefined)));
    throw settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []))[0];
  }
  const [database, topics, redis] = [databaseResult.value, topicsResult.value, redisResult.value];
  return {
    database,
    topics,
    redis,
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: topics.brokers,
      KAFKA_TOPIC_PREFIX: topics.prefix,
      // What the topics were created with, so services find them as configured.
      KAFKA_PARTITIONS: String(topics.partitions),
      KAFKA_REPLICATION_FACTOR: String(topics.replicationFactor),
      KAFKA_MIN_INSYNC_REPLICAS: String(topics.minInsyncReplicas),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      // Reporting's fixtures carry fixed dates from 2025 on: their raw rows must stay within retention.
      REPORTING_RAW_RETENTION_MONTHS: '120',
    },
    destroy: async () => {
      await Promise.allSettled([database.drop(), topics.drop(), redis.drop()]);
    },
  };
}
