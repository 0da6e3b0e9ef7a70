import { execSync } from 'node:child_process';

/** Where the real Kafka, Postgres and Redis of this test run are. */
export interface TestServices {
  kafkaBrokers: string;
  /** A URL of the Postgres server; tests create their own databases on it. */
  databaseUrl: string;
  redisUrl: string;
}

let resolved: Promise<TestServices> | undefined;

/**
 * For benchmarks and load scripts run by hand: the local services of
 * `npm run up` unless the environment names others.
 */
export function defaultToLocalServices(): void {
  process.env.KAFKA_BROKERS ||= '127.0.0.1:9092';
  process.env.DATABASE_URL ||= 'postgresql://postgres@127.0.0.1:5432/postgres';
  process.env.REDIS_URL ||= 'redis://127.0.0.1:6379';
}

/**
 * The services named by KAFKA_BROKERS, DATABASE_URL and REDIS_URL when they
 * are set (as `npm test` does on a machine where they run locally);
 * otherwise containers started with testcontainers, which needs a Docker
 * engine. Resolved once per test process.
 */
export function testServices(): Promise<TestServices> {
  resolved ??= fromEnv() ?? fromContainers();
  return resolved;
}

function fromEnv(): Promise<TestServices> | undefined {
  const { KAFKA_BROKERS, DATABASE_URL, REDIS_URL } = process.env;
  if (!KAFKA_BROKERS || !DATABASE_URL || !REDIS_URL) return undefined;
  return Promise.resolve({ kafkaBrokers: KAFKA_BROKERS, databaseUrl: DATABASE_URL, redisUrl: REDIS_URL });
}

function dockerAvailable(): boolean {
  try {
    execSync('docker info', { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function fromContainers(): Promise<TestServices> {
  if (!dockerAvailable()) {
    throw new Error(
      'integration tests need Kafka, Postgres and Redis: set KAFKA_BROKERS, DATABASE_URL and REDIS_URL ' +
        '(npm test does this for the local services) or run a Docker engine for testcontainers',
    );
  }
  // Loaded only here: machines without Docker never touch testcontainers.
  const { GenericContainer, Wait } = await import('testcontainers');
  const { freePort } = await import('./ports');
  const kafkaPort = await freePort();
  const [, postgres, redis] = await Promise.all([
    new GenericContainer('apache/kafka:4.1.1')
      .withExposedPorts({ container: 9092, host: kafkaPort })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start(),
    new GenericContainer('postgres:16')
      .withExposedPorts(5432)
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off'])
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7').withExposedPorts(6379).start(),
  ]);
  return {
    kafkaBrokers: `127.0.0.1:${kafkaPort}`,
    databaseUrl: `postgresql://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
  };
}
