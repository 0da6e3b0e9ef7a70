import { Pool } from 'pg';

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
 */
export class AffiliateHealthRepository {
  constructor(
    private readonly pool: Pool,
    private readonly policy: PausePolicy,
  ) {}

  async recordFailure(affiliateId: number, error: string, probe: boolean): Promise<FailureResult> {
    const { rows } = await this.pool.query<{ consecutive_failures: number; paused: boolean; paused_until: Date | null }>(
      `INSERT INTO postback_affiliate_health AS h
         (affiliate_id, state, consecutive_failures, pauses, paused_at, paused_until, last_error, updated_at)
       VALUES ($1, CASE WHEN $3 <= 1 THEN 'paused' ELSE 'active' END, 1, CASE WHEN $3 <= 1 THEN 1 ELSE 0 END,
               CASE WHEN $3 <= 1 THEN now() END, CASE WHEN $3 <= 1 THEN now() + $4::float8 * interval '1 millisecond' END,
               $2, now())
       ON CONFLICT (affiliate_id) DO UPDATE SET
         consecutive_failures = h.consecutive_failures + 1,
         last_error = EXCLUDED.last_error,
         updated_at = now(),
         state = CASE WHEN h.consecutive_failures + 1 >= $3 THEN 'paused' ELSE h.state END,
         pauses = CASE WHEN (h.state = 'active' AND h.consecutive_failures + 1 >= $3) OR (h.state = 'paused' AND $6)
                       THEN h.pauses + 1 ELSE h.pauses END,
         paused_at = CASE WHEN h.state = 'active' AND h.consecutive_failures + 1 >= $3 THEN now() ELSE h.paused_at END,
         paused_until = CASE WHEN (h.state = 'active' AND h.consecutive_failures + 1 >= $3) OR (h.state = 'paused' AND $6)
                             THEN now() + least($4::float8 * 2 ^ h.pauses, $5::float8) * interval '1 millisecond'
                             ELSE h.paused_until END
       RETURNING consecutive_failures, state = 'paused' AND paused_at = now() AS paused, paused_until`,
      [affiliateId, error.slice(0, 1000), this.policy.afterFailures, this.policy.baseMs, this.policy.maxMs, probe],
    );
    const row = rows[0];
    return { consecutiveFailures: row.consecutive_failures, paused: row.paused, pausedUntil: row.paused_until };
  }

  /** The endpoint answered: clears the failure count; returns when the affiliate had been paused (null when it was not). */
  async recordSuccess(affiliateId: number): Promise<{ wasPausedAt: Date | null }> {
    const { rows } = await this.pool.query<{ paused_at: Date | null; state: string }>(
      `WITH previous AS (
         SELECT state, paused_at FROM postback_affiliate_health
         WHERE affiliate_id = $1 AND (consecutive_failures > 0 OR state = 'paused')
         FOR UPDATE
       )
       UPDATE postback_affiliate_health h
       SET state = 'active', consecutive_failures = 0, pauses = 0, paused_at = NULL, paused_until = NULL, updated_at = now()
       FROM previous
       WHERE h.affiliate_id = $1
       RETURNING previous.state, previous.paused_at`,
      [affiliateId],
    );
    return { wasPausedAt: rows[0]?.state === 'paused' ? rows[0].paused_at : null };
  }

  async pausedCount(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM postback_affiliate_health WHERE state = 'paused'`,
    );
    return Number(rows[0].count);
  }
}
