import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';

const BROKER_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;
const TOPIC_PREFIX = /^[A-Za-z0-9._-]{0,64}$/;
const KEY_PREFIX = /^[A-Za-z0-9._:-]{0,64}$/;

/**
 * What every Tracklane service reads from its environment. A service's own
 * settings extend this class. Defaults point at the local development
 * services; none of them is a secret.
 */
export class ServiceEnv {
  @Matches(BROKER_LIST, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  /** Put in front of every topic name: separates deployments (and test runs) on one cluster. */
  @Matches(TOPIC_PREFIX, { message: 'KAFKA_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-" (64 at most)' })
  KAFKA_TOPIC_PREFIX: string = '';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL: string = 'postgresql://postgres@127.0.0.1:5432/tracklane';

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** Put in front of every Redis key and channel, like KAFKA_TOPIC_PREFIX. */
  @Matches(KEY_PREFIX, { message: 'REDIS_KEY_PREFIX may hold only letters, digits, ".", ":", "_" and "-" (64 at most)' })
  REDIS_KEY_PREFIX: string = '';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsString()
  HOST: string = '127.0.0.1';

  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT: number = 0;

  /**
   * How long a consumer group waits for a silent instance before its
   * partitions move to the others: a crashed instance holds them this long.
   */
  @IsInt()
  @Min(6_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 30_000;

  /** How long a stopping service waits for in-flight work before it exits. */
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS: number = 10_000;
}
