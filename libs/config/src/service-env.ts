import { IsIn, IsInt, IsString, Matches, Max, Min, registerDecorator } from 'class-validator';

const BROKER_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;
const TOPIC_PREFIX = /^[A-Za-z0-9._-]{0,64}$/;
const KEY_PREFIX = /^[A-Za-z0-9._:-]{0,64}$/;

/** A number no greater than another variable's. */
function NotAbove(other: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'notAbove',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} may not exceed ${other}` },
      validator: { validate: (value: unknown, args) => typeof value === 'number' && value <= Number((args?.object as Record<string, unknown>)[other]) },
    });
}

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

  /**
   * How the deployment's topics are meant to be: `npm run up` creates missing
   * ones so, and every service reports at start (log, /readyz) how existing
   * ones are weaker. Partitions of the streams and their retry topics.
   */
  @IsInt()
  @Min(1)
  KAFKA_PARTITIONS: number = 12;

  /** Copies of every partition (3 in production: a broker may be lost). */
  @IsInt()
  @Min(1)
  KAFKA_REPLICATION_FACTOR: number = 1;

  /** Copies that must have a message before it is acknowledged (2 with a factor of 3). */
  @IsInt()
  @Min(1)
  @NotAbove('KAFKA_REPLICATION_FACTOR')
  KAFKA_MIN_INSYNC_REPLICAS: number = 1;

  /** How long the stream and retry topics keep messages (replays reach this far back). */
  @IsInt()
  @Min(1)
  KAFKA_RETENTION_HOURS: number = 168;

  /** How long the dead-letter topics keep messages. */
  @IsInt()
  @Min(1)
  KAFKA_DEAD_LETTER_RETENTION_HOURS: number = 720;

  /** How long a stopping service waits for in-flight work before it exits. */
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS: number = 10_000;

  /**
   * How long a stopping service goes on serving, already reporting not ready, before it closes its listener: the time
   * a load balancer needs to stop sending it requests (a few seconds behind a Kubernetes Service; 0 with none).
   */
  @IsInt()
  @Min(0)
  SHUTDOWN_DELAY_MS: number = 0;
}
