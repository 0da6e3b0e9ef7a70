import { ApiAuthEnv } from '@tracklane/api-auth';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';

const ZONE_LIST = /^[A-Za-z0-9_+\-/]+(,[A-Za-z0-9_+\-/]+)*$/;

export class ReportingEnv extends ApiAuthEnv {
  /** Time zones with daily rollups (comma-separated IANA names); others are answered from hourly rollups. */
  @Matches(ZONE_LIST, { message: 'REPORTING_DAY_ZONES must be a comma-separated list of IANA time zone names' })
  REPORTING_DAY_ZONES: string = 'UTC';

  /** "false" runs an API-only replica that does not consume clicks.v1 and attributions.v1. */
  @IsIn(['true', 'false'], { message: 'REPORTING_PROJECTOR must be true or false' })
  REPORTING_PROJECTOR: string = 'true';

  /**
   * Partitions one process projects at the same time; their batches share one
   * transaction (a window). At least the partitions of clicks.v1 and
   * attributions.v1 together (12 + 12), so that one window covers them all.
   */
  @IsInt()
  @Min(1)
  @Max(64)
  REPORTING_PROJECTOR_CONCURRENCY: number = 24;

  /** Longest a window of the projection stays open for more batches; 0: one transaction per partition batch. */
  @IsInt()
  @Min(0)
  @Max(5_000)
  REPORTING_PROJECTOR_WINDOW_MS: number = 200;

  /** A window is applied once no partition's batch has joined it for this long (batches of one fetch arrive as each is decoded). */
  @IsInt()
  @Min(0)
  @Max(1_000)
  REPORTING_PROJECTOR_WINDOW_LINGER_MS: number = 5;

  /** Transactions a window is applied in at the same time, each with a share of its partitions' batches. */
  @IsInt()
  @Min(1)
  @Max(16)
  REPORTING_PROJECTOR_WINDOW_TRANSACTIONS: number = 1;

  /** A window of this many messages is applied at once. */
  @IsInt()
  @Min(1)
  REPORTING_PROJECTOR_WINDOW_MESSAGES: number = 2_000;

  /**
   * Whole UTC months of raw clicks and attribution events (click log, sub-hour
   * report edges, replay guards) kept before the current month; older months are
   * dropped. Rollups and conversions are kept. Longer than Kafka keeps
   * clicks.v1 and attributions.v1, so a replay always meets its guard.
   */
  @IsInt()
  @Min(1)
  @Max(120)
  REPORTING_RAW_RETENTION_MONTHS: number = 13;

  @IsInt()
  @Min(2)
  @Max(200)
  REPORTING_DB_POOL_SIZE: number = 10;

  /** A report's statements are cancelled after this long (answered 503). */
  @IsInt()
  @Min(100)
  REPORTING_QUERY_TIMEOUT_MS: number = 30_000;

  /** Postgres work_mem for report queries (sorts and hashes of one report). */
  @Matches(/^\d+(kB|MB|GB)$/, { message: 'REPORTING_QUERY_WORK_MEM must look like 64MB' })
  REPORTING_QUERY_WORK_MEM: string = '64MB';

  /** Longest range a report grouped by hour may cover. */
  @IsInt()
  @Min(1)
  @Max(366)
  REPORTING_MAX_HOURLY_DAYS: number = 31;

  /** Longest range any report may cover. */
  @IsInt()
  @Min(1)
  REPORTING_MAX_RANGE_DAYS: number = 3660;
}
