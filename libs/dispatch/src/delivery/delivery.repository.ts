import { Pool } from 'pg';
import { PlannedPostback } from '../planning/postback-plan';

/** A planned postback with the attributions.v1 message it came from. */
export interface NewDelivery extends PlannedPostback {
  /** The message as received: published to the dead-letter topic if delivery gives up. */
  event: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
}

/** A delivery this process holds the lease on, for one attempt. */
export interface ClaimedDelivery {
  id: string;
  deliveryKey: string;
  conversionId: string;
  affiliateId: number;
  status: string;
  method: 'GET' | 'POST';
  url: string;
  urlMasked: string;
  body: string | null;
  targetHost: string;
  /** Including the attempt this claim is for; also the fencing token of the claim. */
  attempts: number;
  lastError: string | null;
  event: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  /** The affiliate is paused and this attempt is the one probe that decides whether it resumes. */
  probe: boolean;
  /** The affiliate's consecutive failures when claimed. */
  affiliateFailures: number;
}

export interface ClaimRequest {
  /** Most deliveries to claim. */
  limit: number;
  /** Free request slots of hosts with requests in flight; hosts not listed have `perHost`. */
  freeSlots: Map<string, number>;
  perHost: number;
  /** How long the claim holds: longer than one attempt can take. */
  leaseMs: number;
}

export interface AttemptRecord {
  statusCode: number | null;
  error: string | null;
  latencyMs: number | null;
}

const IN_PROGRESS = `state IN ('pending', 'failed')`;

/**
 * The delivery log as a durable work queue. Each row is one postback
 * (unique delivery_key); a row is due when next_attempt_at has passed.
 * Claiming leases rows by pushing next_attempt_at past the attempt's
 * deadline and bumping attempts, which doubles as a fencing token: a result
 * is recorded only while attempts still equals the claimed value, so a
 * claim that outlived its lease cannot overwrite a newer one.
 */
export class DeliveryRepository {
  constructor(private readonly pool: Pool) {}

  /** Records new deliveries; ones already known (a replayed message) are left exactly as they are. Returns how many are new. */
  async insert(deliveries: NewDelivery[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const column = <K extends keyof NewDelivery>(key: K) => deliveries.map((delivery) => delivery[key]);
    const { rowCount } = await this.pool.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[],
                              $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::text[])
           AS t(delivery_key, conversion_id, event_id, affiliate_id, offer_id, status, method, url_masked,
                target_host, refusal, url, body, event, source_topic, source_partition, source_offset)
       ), inserted AS (
         INSERT INTO postback_deliveries
           (delivery_key, conversion_id, event_id, affiliate_id, offer_id, status, method, url_masked, target_host,
            state, last_error, next_attempt_at)
         SELECT delivery_key, conversion_id, event_id, affiliate_id, offer_id, status, method, url_masked, target_host,
                CASE WHEN refusal IS NULL THEN 'pending' ELSE 'refused' END, refusal,
                CASE WHEN refusal IS NULL THEN now() END
         FROM input
         ON CONFLICT (delivery_key) DO NOTHING
         RETURNING id, delivery_key
       )
       INSERT INTO postback_delivery_requests (delivery_id, url, body, event, source_topic, source_partition, source_offset)
       SELECT inserted.id, input.url, input.body, input.event, input.source_topic, input.source_partition, input.source_offset
       FROM inserted JOIN input USING (delivery_key)`,
      [
        column('deliveryKey'),
        column('conversionId'),
        column('eventId'),
        column('affiliateId'),
        column('offerId'),
        column('status'),
        column('method'),
        column('urlMasked'),
        column('targetHost'),
        column('refusal'),
        column('url'),
        column('body'),
        column('event'),
        column('sourceTopic'),
        column('sourcePartition'),
        column('sourceOffset'),
      ],
    );
    return rowCount ?? 0;
  }

  /**
   * Leases due deliveries, oldest first, at most `perHost` minus what is in
   * flight per host (so one slow host cannot take every slot), skipping
   * paused affiliates, and taking a single probe from an affiliate whose pause is over.
   */
  async claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    if (request.limit <= 0) return [];
    const busy = [...request.freeSlots.entries()];
    const full = busy.filter(([, free]) => free <= 0).map(([host]) => host);
    const { rows } = await this.pool.query<ClaimedDelivery>(
      `WITH candidates AS (
         SELECT d.id, d.target_host, d.affiliate_id, d.next_attempt_at,
                coalesce(h.state = 'paused', false) AS probe, coalesce(h.consecutive_failures, 0) AS failures
         FROM postback_deliveries d
         LEFT JOIN postback_affiliate_health h ON h.affiliate_id = d.affiliate_id
         WHERE d.${IN_PROGRESS} AND d.next_attempt_at <= now()
           AND d.target_host <> ALL ($1::text[])
           AND (h.paused_until IS NULL OR h.paused_until <= now())
         ORDER BY d.next_attempt_at
         LIMIT $2
         FOR UPDATE OF d SKIP LOCKED
       ), ranked AS (
         SELECT c.*,
                row_number() OVER (PARTITION BY c.target_host ORDER BY c.next_attempt_at, c.id) AS host_rank,
                row_number() OVER (PARTITION BY c.affiliate_id ORDER BY c.next_attempt_at, c.id) AS affiliate_rank,
                coalesce(s.free, $3) AS host_free
         FROM candidates c
         LEFT JOIN unnest($4::text[], $5::int[]) AS s(host, free) ON s.host = c.target_host
       ), chosen AS (
         SELECT id, affiliate_id, probe, failures FROM ranked
         WHERE host_rank <= host_free AND (NOT probe OR affiliate_rank = 1)
         ORDER BY next_attempt_at, id
         LIMIT $6
       ), probing AS (
         UPDATE postback_affiliate_health h SET paused_until = now() + $7::float8 * interval '1 millisecond'
         WHERE h.affiliate_id IN (SELECT affiliate_id FROM chosen WHERE probe)
       )
       UPDATE postback_deliveries d
       SET attempts = d.attempts + 1, next_attempt_at = now() + $7::float8 * interval '1 millisecond', updated_at = now()
       FROM chosen, postback_delivery_requests r
       WHERE d.id = chosen.id AND r.delivery_id = d.id
       RETURNING d.id::text AS id, d.delivery_key AS "deliveryKey", d.conversion_id AS "conversionId",
                 d.affiliate_id AS "affiliateId", d.status, d.method, r.url, d.url_masked AS "urlMasked", r.body,
                 d.target_host AS "targetHost", d.attempts, d.last_error AS "lastError", r.event,
                 r.source_topic AS "sourceTopic", r.source_partition AS "sourcePartition",
                 r.source_offset AS "sourceOffset", chosen.probe, chosen.failures AS "affiliateFailures"`,
      [
        full,
        // Scan a few times the wanted number, so that hosts without free slots do not hide the others.
        Math.max(request.limit * 4, 100),
        request.perHost,
        busy.map(([host]) => host),
        busy.map(([, free]) => free),
        request.limit,
        request.leaseMs,
      ],
    );
    return rows;
  }

  recordDelivered(claim: ClaimedDelivery, attempt: AttemptRecord): Promise<boolean> {
    return this.finish(claim, attempt, `state = 'delivered', delivered_at = now(), next_attempt_at = NULL`);
  }

  recordRetry(claim: ClaimedDelivery, attempt: AttemptRecord, delayMs: number): Promise<boolean> {
    return this.finish(claim, attempt, `state = 'failed', next_attempt_at = now() + $6::float8 * interval '1 millisecond'`, [delayMs]);
  }

  recordGaveUp(claim: ClaimedDelivery, attempt: AttemptRecord, state: 'dead_lettered' | 'refused'): Promise<boolean> {
    return this.finish(claim, attempt, `state = $6::text, next_attempt_at = NULL`, [state]);
  }

  private async finish(claim: ClaimedDelivery, attempt: AttemptRecord, set: string, extra: unknown[] = []): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE postback_deliveries
       SET ${set}, last_status_code = $3, last_error = $4, last_latency_ms = $5, updated_at = now()
       WHERE id = $1 AND attempts = $2 AND ${IN_PROGRESS}`,
      [claim.id, claim.attempts, attempt.statusCode, attempt.error?.slice(0, 1000) ?? null, attempt.latencyMs, ...extra],
    );
    return rowCount === 1;
  }

  /** Deliveries waiting for an attempt, by state (for the backlog gauge). */
  async backlog(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ state: string; count: string }>(
      `SELECT state, count(*) AS count FROM postback_deliveries WHERE ${IN_PROGRESS} GROUP BY state`,
    );
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
  }
}
