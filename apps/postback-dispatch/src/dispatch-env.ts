import { IsAllowedTargets } from '@tracklane/address-policy';
import { ServiceEnv } from '@tracklane/config';
import { IsEmpty, IsInt, Max, Min } from 'class-validator';

/** postback-dispatch's settings; defaults suit production, tests shorten the delays. */
export class DispatchEnv extends ServiceEnv {
  /** Deadline of one attempt: DNS, connect, TLS, response and body. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  POSTBACK_TIMEOUT_MS: number = 10_000;

  @IsInt()
  @Min(1)
  @Max(100)
  POSTBACK_MAX_ATTEMPTS: number = 10;

  /** Delay before the first retry; doubles each attempt (with jitter) up to POSTBACK_RETRY_MAX_MS. */
  @IsInt()
  @Min(10)
  POSTBACK_RETRY_BASE_MS: number = 30_000;

  @IsInt()
  @Min(10)
  POSTBACK_RETRY_MAX_MS: number = 3_600_000;

  /** Requests in flight per process. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  POSTBACK_CONCURRENCY: number = 200;

  /** Requests in flight per receiving host:port and process, so one slow affiliate cannot take every slot. */
  @IsInt()
  @Min(1)
  @Max(1_000)
  POSTBACK_PER_HOST_CONCURRENCY: number = 8;

  /** Consecutive failed attempts (network errors, timeouts, 5xx) after which an affiliate is paused. */
  @IsInt()
  @Min(1)
  POSTBACK_PAUSE_AFTER_FAILURES: number = 20;

  /** First pause; every failed probe doubles it, up to POSTBACK_PAUSE_MAX_MS. */
  @IsInt()
  @Min(10)
  POSTBACK_PAUSE_MS: number = 60_000;

  @IsInt()
  @Min(10)
  POSTBACK_PAUSE_MAX_MS: number = 900_000;

  /** How often due retries are looked for (new postbacks go out at once). */
  @IsInt()
  @Min(10)
  @Max(60_000)
  POSTBACK_POLL_MS: number = 1_000;

  /**
   * Targets that may be reached although they are loopback, private,
   * link-local, metadata or other special-purpose addresses (or local names
   * such as localhost): comma-separated scheme://host:port entries, e.g.
   * "http://127.0.0.1:8086". Only that scheme, host and port is opened.
   */
  @IsAllowedTargets()
  POSTBACK_ALLOWED_TARGETS: string = '';

  /** Replaced by POSTBACK_ALLOWED_TARGETS: a host alone opened every port on it. */
  @IsEmpty({ message: 'POSTBACK_ALLOWED_HOSTS was replaced by POSTBACK_ALLOWED_TARGETS: list scheme://host:port entries, e.g. http://127.0.0.1:8086' })
  POSTBACK_ALLOWED_HOSTS?: string;

  /**
   * Covers an attempt in flight (POSTBACK_TIMEOUT_MS) and, right after a
   * crash, a consumer still joining its group: it can only leave once Kafka
   * has given up on the dead member (its 30 s session timeout).
   */
  @IsInt()
  @Min(0)
  override SHUTDOWN_GRACE_MS: number = 45_000;
}
