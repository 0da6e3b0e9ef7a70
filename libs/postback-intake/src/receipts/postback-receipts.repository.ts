import { Pool } from 'pg';
import { deleteInBatches } from '@tracklane/db';
import { PostbackUnavailable } from '../refusals';
import { MicroBatcher } from './micro-batcher';
import { ConversionReference, NewReceipt, Receipt } from './receipt';

const RECEIPT_COLUMNS = `event_id, kind, status, conversion_id, click_id, answer, message,
  lease_until > now() AS leased`;

interface ReceiptRow {
  event_id: string;
  kind: Receipt['kind'];
  status: Receipt['status'];
  conversion_id: string;
  click_id: string;
  answer: Receipt['answer'];
  message: string | null;
  leased: boolean;
}

const toReceipt = (row: ReceiptRow): Receipt => ({
  eventId: row.event_id,
  kind: row.kind,
  status: row.status,
  conversionId: row.conversion_id,
  clickId: row.click_id,
  answer: row.answer,
  message: row.message,
  leased: row.leased,
});

const DEADLOCK_DETECTED = '40P01';

export interface ReceiptsOptions {
  /** How long a new receipt's publication belongs to the attempt that wrote it. */
  leaseMs: number;
  /** Batch statements running at once (each holds a pool connection). */
  maxConcurrentBatches: number;
}

/**
 * The postback_receipts table (migration 0200). Writes on the hot path are
 * batched: concurrent postbacks share one INSERT … SELECT FROM
 * json_to_recordset … ON CONFLICT DO NOTHING and one UPDATE. Every database failure surfaces as
 * PostbackUnavailable, so the advertiser is told to retry.
 */
export class PostbackReceipts {
  private readonly reservations: MicroBatcher<NewReceipt, boolean>;
  private readonly publications: MicroBatcher<string, void>;

  constructor(
    private readonly pool: Pool,
    private readonly options: ReceiptsOptions,
  ) {
    const batching = { maxBatch: 1000, maxConcurrent: options.maxConcurrentBatches };
    this.reservations = new MicroBatcher((receipts) => this.insert(receipts), batching);
    // Nobody waits for these but copies of the same postback, so they gather into larger, cheaper updates.
    this.publications = new MicroBatcher((eventIds) => this.markPublishedNow(eventIds), { ...batching, lingerMs: 20 });
  }

  /**
   * Writes the receipt unless one with the same order, status change or
   * Idempotency-Key exists. True when this call wrote it (and so owns its
   * publication for the lease), false when an earlier one is there.
   */
  reserve(receipt: NewReceipt): Promise<boolean> {
    return this.reservations.add(receipt);
  }

  /**
   * The receipt a reservation collided with: by Idempotency-Key first, then
   * by order, conversion key or fingerprint. liveFingerprintsOnly: a
   * fingerprint past its replay window does not count (what the next
   * reservation would find, for a dry run that reserves nothing).
   */
  async findExisting(receipt: NewReceipt, options: { liveFingerprintsOnly?: boolean } = {}): Promise<Receipt | undefined> {
    const { rows } = await this.query<ReceiptRow>(
      `SELECT ${RECEIPT_COLUMNS} FROM postback_receipts
        WHERE advertiser_id = $1
          AND (idempotency_key = $2::text
               OR (kind = $3 AND goal = $4 AND order_id = $5 AND (kind = 'conversion' OR status = $6))
               OR (kind = $3 AND goal = $4 AND conversion_key = $7 AND (kind = 'conversion' OR status = $6))
               OR (fingerprint = $8 AND (NOT $9::boolean OR replay_until > now())))
        ORDER BY idempotency_key = $2::text DESC NULLS LAST
        LIMIT 1`,
      [
        receipt.advertiserId,
        receipt.idempotencyKey,
        receipt.kind,
        receipt.goal,
        receipt.orderId,
        receipt.status,
        receipt.conversionKey,
        receipt.replay?.fingerprint ?? null,
        options.liveFingerprintsOnly ?? false,
      ],
    );
    return rows[0] && toReceipt(rows[0]);
  }

  /** The conversion an advertiser recorded for an order (or conversion key) of a goal, if any. */
  async findConversion(advertiserId: number, goal: string, identity: ConversionReference): Promise<Receipt | undefined> {
    const { rows } = await this.query<ReceiptRow>(
      `SELECT ${RECEIPT_COLUMNS} FROM postback_receipts
        WHERE advertiser_id = $1 AND kind = 'conversion' AND goal = $2 AND ${identity.column} = $3`,
      [advertiserId, goal, identity.value],
    );
    return rows[0] && toReceipt(rows[0]);
  }

  async get(eventId: string): Promise<Receipt | undefined> {
    const { rows } = await this.query<ReceiptRow>(`SELECT ${RECEIPT_COLUMNS} FROM postback_receipts WHERE event_id = $1`, [
      eventId,
    ]);
    return rows[0] && toReceipt(rows[0]);
  }

  /** Kafka acknowledged the event: duplicates get the answer from now on, and the message is no longer kept. */
  markPublished(eventId: string): Promise<void> {
    return this.publications.add(eventId);
  }

  /** Publication failed: the next attempt may take over at once instead of waiting for the lease. */
  async release(eventId: string): Promise<void> {
    await this.query(`UPDATE postback_receipts SET lease_until = now() WHERE event_id = $1 AND published_at IS NULL`, [eventId]);
  }

  /**
   * Forgets the receipts received before `before` (PostbackRetention says
   * when), never one whose event still waits to be published: a copy or a
   * status change of those orders is then no longer recognised here.
   */
  purge(before: Date): Promise<number> {
    return deleteInBatches(this.pool, { table: 'postback_receipts', id: 'event_id', time: 'received_at', also: 'published_at IS NOT NULL' }, before);
  }

  /** Takes over the publication of an unpublished receipt whose lease ran out; its message, or null if another attempt has it. */
  async takeOver(eventId: string): Promise<string | null> {
    const { rows } = await this.query<{ message: string }>(
      `UPDATE postback_receipts SET lease_until = now() + $2 * interval '1 millisecond'
        WHERE event_id = $1 AND published_at IS NULL AND lease_until <= now()
        RETURNING message`,
      [eventId, this.options.leaseMs],
    );
    return rows[0]?.message ?? null;
  }

  private async insert(receipts: NewReceipt[]): Promise<boolean[]> {
    const replays = receipts.filter((receipt) => receipt.replay !== null);
    if (replays.length > 0) await this.forgetExpiredFingerprints(replays);
    // One JSON document of rows: serialised natively, where pg's array literals escape every value in JS.
    const rows = JSON.stringify(
      receipts.map((receipt) => ({
        event_id: receipt.eventId,
        advertiser_id: receipt.advertiserId,
        kind: receipt.kind,
        goal: receipt.goal,
        order_id: receipt.orderId,
        conversion_key: receipt.conversionKey,
        fingerprint: receipt.replay?.fingerprint ?? null,
        replay_seconds: receipt.replay?.windowSeconds ?? null,
        status: receipt.status,
        idempotency_key: receipt.idempotencyKey,
        conversion_id: receipt.conversionId,
        click_id: receipt.clickId,
        answer: receipt.answer,
        message: receipt.message,
      })),
    );
    const sql = `INSERT INTO postback_receipts (event_id, advertiser_id, kind, goal, order_id, conversion_key, fingerprint,
        replay_until, status, idempotency_key, conversion_id, click_id, answer, message, lease_until)
      SELECT event_id, advertiser_id, kind, goal, order_id, conversion_key, fingerprint,
        now() + replay_seconds * interval '1 second', status, idempotency_key,
        conversion_id, click_id, answer, message, now() + $2 * interval '1 millisecond'
        FROM json_to_recordset($1::json) AS r(event_id text, advertiser_id int, kind text, goal text, order_id text,
          conversion_key text, fingerprint text, replay_seconds int,
          status text, idempotency_key text, conversion_id text, click_id text, answer json, message text)
      ON CONFLICT DO NOTHING
      RETURNING event_id`;
    // Batches from several instances can wait on each other's keys; Postgres then aborts one, which simply runs again.
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows: written } = await this.pool.query<{ event_id: string }>(sql, [rows, this.options.leaseMs]);
        const writtenIds = new Set(written.map((row) => row.event_id));
        return receipts.map((receipt) => writtenIds.has(receipt.eventId));
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt === 3) {
          throw new PostbackUnavailable('database_unavailable', { cause: error });
        }
      }
    }
  }

  /**
   * A copy that arrives after its original's window counts anew: the old
   * receipt keeps its answer but lets go of the fingerprint, so the insert
   * that follows can take it.
   */
  private async forgetExpiredFingerprints(receipts: NewReceipt[]): Promise<void> {
    await this.query(
      `UPDATE postback_receipts SET fingerprint = NULL
        WHERE (advertiser_id, fingerprint) IN (SELECT * FROM unnest($1::int[], $2::text[]))
          AND replay_until <= now()`,
      [receipts.map((receipt) => receipt.advertiserId), receipts.map((receipt) => receipt.replay?.fingerprint)],
    );
  }

  private async markPublishedNow(eventIds: string[]): Promise<void[]> {
    await this.query(
      `UPDATE postback_receipts SET published_at = now(), message = NULL
        WHERE event_id = ANY($1::text[]) AND published_at IS NULL`,
      [eventIds],
    );
    return eventIds.map(() => undefined);
  }

  private async query<R extends object>(sql: string, values: unknown[]): Promise<{ rows: R[] }> {
    try {
      return await this.pool.query<R>(sql, values);
    } catch (error) {
      throw new PostbackUnavailable('database_unavailable', { cause: error });
    }
  }
}
