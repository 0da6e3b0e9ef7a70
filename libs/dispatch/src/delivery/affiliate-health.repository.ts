import { Prisma, PrismaService } from '@tracklane/db';

export interface PausePolicy {
  /** Consecutive failed attempts (network errors, timeouts, 5xx) that pause an affiliate. */
  afterFailures: number;
  /** First pause; each failed probe doubles it, up to maxMs. */
  baseMs: number;
  maxMs: number;
}

export interface FailureResult {
  consecutiveFailures: number;
  /** This failure paused the affiliate (it was active before). */
  paused: boolean;
  pausedUntil: Date | null;
}

/**
 * Per-affiliate endpoint health in Postgres, shared by every instance and
 * readable by reporting: consecutive failures, and whether postbacks to the
 * affiliate are paused. A pause ends with one probe (see
 * DeliveryRepository.claimDue): success resumes, failure pauses again for twice as long.
 * A failure and a success are each one SQL statement (an upsert that
 * decides the pause, an update that reports the state it replaced), so two
 * instances recording at once cannot both pause or both resume; the count is
 * a model call.
 */
export class AffiliateHealthRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly policy: PausePolicy,
  ) {}

  async recordFailure(affiliateId: number, error: string, probe: boolean): Promise<FailureResult> {
    const { afterFailures, baseMs, maxMs } = this.policy;
    const threshold = Prisma.sql`${afterFailures}::int`;
    const pauseFor = (ms: Prisma.Sql) => Prisma.sql`now() + ${ms} * interval '1 millisecond'`;
    const rows = await this.prisma.$queryRaw<{ consecutive_failures: number; paused: boolean; paused_until: Date | null }[]>`
      INSERT INTO postback_affiliate_health AS h
        (affiliate_id, state, consecutive_failures, pauses, paused_at, paused_until, last_error, updated_at)
      VALUES (${affiliateId}::int, CASE WHEN ${threshold} <= 1 THEN 'paused' ELSE 'active' END, 1, CASE WHEN ${threshold} <= 1 THEN 1 ELSE 0 END,
              CASE WHEN ${threshold} <= 1 THEN now() END, CASE WHEN ${threshold} <= 1 THEN ${pauseFor(Prisma.sql`${baseMs}::float8`)} END,
              ${error.slice(0, 1000)}::text, now())
      ON CONFLICT (affiliate_id) DO UPDATE SET
        consecutive_failures = h.consecutive_failures + 1,
        last_error = EXCLUDED.last_error,
        updated_at = now(),
        state = CASE WHEN h.consecutive_failures + 1 >= ${threshold} THEN 'paused' ELSE h.state END,
        pauses = CASE WHEN (h.state = 'active' AND h.consecutive_failures + 1 >= ${threshold}) OR (h.state = 'paused' AND ${probe}::boolean)
                      THEN h.pauses + 1 ELSE h.pauses END,
        paused_at = CASE WHEN h.state = 'active' AND h.consecutive_failures + 1 >= ${threshold} THEN now() ELSE h.paused_at END,
        paused_until = CASE WHEN (h.state = 'active' AND h.consecutive_failures + 1 >= ${threshold}) OR (h.state = 'paused' AND ${probe}::boolean)
                            THEN ${pauseFor(Prisma.sql`least(${baseMs}::float8 * 2 ^ h.pauses, ${maxMs}::float8)`)}
                            ELSE h.paused_until END
      RETURNING consecutive_failures, state = 'paused' AND paused_at = now() AS paused, paused_until`;
    const row = rows[0];
    return { consecutiveFailures: row.consecutive_failures, paused: row.paused, pausedUntil: row.paused_until };
  }

  /** The endpoint answered: clears the failure count; returns when the affiliate had been paused (null when it was not). */
  async recordSuccess(affiliateId: number): Promise<{ wasPausedAt: Date | null }> {
    const rows = await this.prisma.$queryRaw<{ paused_at: Date | null; state: string }[]>`
      WITH previous AS (
        SELECT state, paused_at FROM postback_affiliate_health
        WHERE affiliate_id = ${affiliateId}::int AND (consecutive_failures > 0 OR state = 'paused')
        FOR UPDATE
      )
      UPDATE postback_affiliate_health h
      SET state = 'active', consecutive_failures = 0, pauses = 0, paused_at = NULL, paused_until = NULL, updated_at = now()
      FROM previous
      WHERE h.affiliate_id = ${affiliateId}::int
      RETURNING previous.state, previous.paused_at`;
    return { wasPausedAt: rows[0]?.state === 'paused' ? rows[0].paused_at : null };
  }

  async pausedCount(): Promise<number> {
    return this.prisma.postbackAffiliateHealth.count({ where: { state: 'paused' } });
  }
}
