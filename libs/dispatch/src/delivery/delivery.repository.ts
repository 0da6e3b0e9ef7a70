import { columnArrays, ColumnSpec, Prisma, PrismaService } from '@tracklane/db';
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

const IN_PROGRESS = ['pending', 'failed'];
const inProgress = Prisma.sql`state IN ('pending', 'failed')`;

const NEW_DELIVERY_COLUMNS: ColumnSpec = [
  ['delivery_key', 'text'],
  ['conversion_id', 'text'],
  ['event_id', 'text'],
  ['affiliate_id', 'int'],
  ['offer_id', 'int'],
  ['status', 'text'],
  ['method', 'text'],
  ['url_masked', 'text'],
  ['target_host', 'text'],
  ['refusal', 'text'],
  ['url', 'text'],
  ['body', 'text'],
  ['event', 'text'],
  ['source_topic', 'text'],
  ['source_partition', 'int'],
  ['source_offset', 'text'],
];

/**
 * The delivery log as a durable work queue. Each row is one postback
 * (unique delivery_key); a row is due when next_attempt_at has passed.
 * Claiming leases rows by pushing next_attempt_at past the attempt's
 * deadline and bumping attempts, which doubles as a fencing token: a result
 * is recorded only while attempts still equals the claimed value, so a
 * claim that outlived its lease cannot overwrite a newer one.
 *
 * Through Prisma: the backlog is a model call; the rest is SQL in
 * $executeRaw/$queryRaw, because each statement is one round trip that
 * models cannot express — a batch insert into two tables by unnest, the
 * claim's FOR UPDATE SKIP LOCKED with per-host ranking, and results fenced by
 * the attempt count.
 */
export class DeliveryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Records new deliveries; ones already known (a replayed message) are left exactly as they are. Returns how many are new. */
  async insert(deliveries: NewDelivery[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const input = columnArrays(NEW_DELIVERY_COLUMNS, deliveries, (delivery) => [
      delivery.deliveryKey,
      delivery.conversionId,
      delivery.eventId,
      delivery.affiliateId,
      delivery.offerId,
      delivery.status,
      delivery.method,
      delivery.urlMasked,
      delivery.targetHost,
      delivery.refusal,
      delivery.url,
      delivery.body,
      delivery.event,
      delivery.sourceTopic,
      delivery.sourcePartition,
      delivery.sourceOffset,
    ]);
    return this.prisma.$executeRaw`
      WITH input AS (
        SELECT * FROM unnest(${input})
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
      FROM inserted JOIN input USING (delivery_key)`;
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
    // Scan a few times the wanted number, so that hosts without free slots do not hide the others.
    const scan = Math.max(request.limit * 4, 100);
    const lease = Prisma.sql`now() + ${request.leaseMs}::float8 * interval '1 millisecond'`;
    return this.prisma.$queryRaw<ClaimedDelivery[]>`
      WITH candidates AS (
        SELECT d.id, d.target_host, d.affiliate_id, d.next_attempt_at,
               coalesce(h.state = 'paused', false) AS probe, coalesce(h.consecutive_failures, 0) AS failures
        FROM postback_deliveries d
        LEFT JOIN postback_affiliate_health h ON h.affiliate_id = d.affiliate_id
        WHERE d.${inProgress} AND d.next_attempt_at <= now()
          AND d.target_host <> ALL (${full}::text[])
          AND (h.paused_until IS NULL OR h.paused_until <= now())
        ORDER BY d.next_attempt_at
        LIMIT ${scan}
        FOR UPDATE OF d SKIP LOCKED
      ), ranked AS (
        SELECT c.*,
               row_number() OVER (PARTITION BY c.target_host ORDER BY c.next_attempt_at, c.id) AS host_rank,
               row_number() OVER (PARTITION BY c.affiliate_id ORDER BY c.next_attempt_at, c.id) AS affiliate_rank,
               coalesce(s.free, ${request.perHost}::int) AS host_free
        FROM candidates c
        LEFT JOIN unnest(${busy.map(([host]) => host)}::text[], ${busy.map(([, free]) => free)}::int[]) AS s(host, free) ON s.host = c.target_host
      ), chosen AS (
        SELECT id, affiliate_id, probe, failures FROM ranked
        WHERE host_rank <= host_free AND (NOT probe OR affiliate_rank = 1)
        ORDER BY next_attempt_at, id
        LIMIT ${request.limit}
      ), probing AS (
        UPDATE postback_affiliate_health h SET paused_until = ${lease}
        WHERE h.affiliate_id IN (SELECT affiliate_id FROM chosen WHERE probe)
      )
      UPDATE postback_deliveries d
      SET attempts = d.attempts + 1, next_attempt_at = ${lease}, updated_at = now()
      FROM chosen, postback_delivery_requests r
      WHERE d.id = chosen.id AND r.delivery_id = d.id
      RETURNING d.id::text AS id, d.delivery_key AS "deliveryKey", d.conversion_id AS "conversionId",
                d.affiliate_id AS "affiliateId", d.status, d.method, r.url, d.url_masked AS "urlMasked", r.body,
                d.target_host AS "targetHost", d.attempts, d.last_error AS "lastError", r.event,
                r.source_topic AS "sourceTopic", r.source_partition AS "sourcePartition",
                r.source_offset AS "sourceOffset", chosen.probe, chosen.failures AS "affiliateFailures"`;
  }

  recordDelivered(claim: ClaimedDelivery, attempt: AttemptRecord): Promise<boolean> {
    return this.finish(claim, attempt, Prisma.sql`state = 'delivered', delivered_at = now(), next_attempt_at = NULL`);
  }

  recordRetry(claim: ClaimedDelivery, attempt: AttemptRecord, delayMs: number): Promise<boolean> {
    return this.finish(claim, attempt, Prisma.sql`state = 'failed', next_attempt_at = now() + ${delayMs}::float8 * interval '1 millisecond'`);
  }

  recordGaveUp(claim: ClaimedDelivery, attempt: AttemptRecord, state: 'dead_lettered' | 'refused'): Promise<boolean> {
    return this.finish(claim, attempt, Prisma.sql`state = ${state}::text, next_attempt_at = NULL`);
  }

  private async finish(claim: ClaimedDelivery, attempt: AttemptRecord, set: Prisma.Sql): Promise<boolean> {
    const changed = await this.prisma.$executeRaw`
      UPDATE postback_deliveries
      SET ${set}, last_status_code = ${attempt.statusCode}::int, last_error = ${attempt.error?.slice(0, 1000) ?? null}::text,
          last_latency_ms = ${attempt.latencyMs}::int, updated_at = now()
      WHERE id = ${claim.id}::bigint AND attempts = ${claim.attempts}::int AND ${inProgress}`;
    return changed === 1;
  }

  /** Deliveries waiting for an attempt, by state (for the backlog gauge). */
  async backlog(): Promise<Record<string, number>> {
    const groups = await this.prisma.postbackDelivery.groupBy({ by: ['state'], where: { state: { in: IN_PROGRESS } }, _count: { _all: true } });
    return Object.fromEntries(groups.map((group) => [group.state, group._count._all]));
  }
}
