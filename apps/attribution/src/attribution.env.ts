import { ServiceEnv } from '@tracklane/config';
import { IsIn, IsInt, Max, Min } from 'class-validator';

/** attribution's settings on top of every service's (Kafka, Postgres, Redis, logging, port). */
export class AttributionEnv extends ServiceEnv {
  /**
   * Partitions of each topic one instance works on at the same time. Kafka
   * hands out the next batches only when all of the current ones are done,
   * so this matches the partitions an instance owns (12 topic partitions by default).
   */
  @IsInt()
  @Min(1)
  @Max(64)
  CONSUMER_CONCURRENCY: number = 12;

  @IsInt()
  @Min(2)
  @Max(200)
  DB_POOL_SIZE: number = 24;

  /** How long a conversion waits for its click (from the first miss) before it is booked unattributed. */
  @IsInt()
  @Min(0)
  CONVERSION_RETRY_MAX_MS: number = 3_600_000;

  @IsInt()
  @Min(1)
  CONVERSION_RETRY_INITIAL_BACKOFF_MS: number = 1_000;

  @IsInt()
  @Min(1)
  CONVERSION_RETRY_MAX_BACKOFF_MS: number = 60_000;

  /** Days of clicks kept in Postgres; never fewer than the longest attribution window of any offer plus one. */
  @IsInt()
  @Min(1)
  CLICK_RETENTION_DAYS: number = 60;

  /**
   * Hours after a click that its copy stays in Redis for the join; conversions
   * of older clicks are joined from Postgres. Redis holds about 230 bytes a
   * click for this long.
   */
  @IsInt()
  @Min(1)
  ATTRIBUTION_CLICK_CACHE_HOURS: number = 72;

  /** Days of click partitions created ahead of today. */
  @IsInt()
  @Min(1)
  @Max(60)
  CLICK_PARTITIONS_AHEAD_DAYS: number = 7;

  @IsInt()
  @Min(1_000)
  PARTITION_MAINTENANCE_INTERVAL_MS: number = 3_600_000;

  /** Fault injection for crash tests: "kill-after-commit" kills the process (SIGKILL) after a batch's commit, before publishing. */
  @IsIn(['', 'kill-after-commit'])
  ATTRIBUTION_FAULT: string = '';
}
