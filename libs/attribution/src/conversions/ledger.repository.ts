import { AttributionStatus } from '@tracklane/contracts';
import { columnList, ColumnSpec, Conversion, Prisma, selectList, unnestRows } from '@tracklane/db';
import { LedgerEntry } from '../money/ledger-entries';
import { StatusChangeRecord } from './attribution-events';
import { ConversionRecord } from './conversion-record';
import { ConversionState } from './status-changes';

const CONVERSION_COLUMNS: ColumnSpec = [
  ['conversion_id', 'text'],
  ['click_id', 'text'],
  ['reported_click_id', 'text'],
  ['advertiser_id', 'int'],
  ['offer_id', 'int'],
  ['affiliate_id', 'int'],
  ['goal_id', 'int'],
  ['goal_code', 'text'],
  ['order_id', 'text'],
  ['status', 'text'],
  ['reason', 'text'],
  ['sale_amount', 'numeric'],
  ['revenue', 'numeric'],
  ['payout', 'numeric'],
  ['currency', 'text'],
  ['clicked_at', 'timestamptz'],
  ['converted_at', 'timestamptz'],
  ['decided_at', 'timestamptz'],
  ['sub1', 'text'],
  ['sub2', 'text'],
  ['sub3', 'text'],
  ['sub4', 'text'],
  ['sub5', 'text'],
  ['source', 'text'],
  ['aff_click_id', 'text'],
  ['country', 'text'],
  ['device', 'text'],
  ['adv_sub1', 'text'],
  ['adv_sub2', 'text'],
  ['adv_sub3', 'text'],
  ['adv_sub4', 'text'],
  ['adv_sub5', 'text'],
  ['raw', 'text', 'raw::jsonb'],
  ['coupon_code', 'text'],
];

const ENTRY_COLUMNS: ColumnSpec = [
  ['conversion_id', 'text'],
  ['event_id', 'text'],
  ['account', 'text'],
  ['state', 'text'],
  ['kind', 'text'],
  ['amount', 'numeric'],
  ['currency', 'text'],
];

const CHANGE_COLUMNS: ColumnSpec = [
  ['event_id', 'text'],
  ['conversion_id', 'text'],
  ['from_status', 'text'],
  ['to_status', 'text'],
  ['reason', 'text'],
  ['changed_at', 'timestamptz'],
];

type Tx = Prisma.TransactionClient;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const money = (amount: Prisma.Decimal) => amount.toFixed(4);

/** A conversion as the model reads it; amounts as numeric(18, 4) prints them ("12.3400"), as they were booked. */
function recordOf(row: Conversion): ConversionRecord {
  return {
    conversionId: row.conversionId,
    clickId: row.clickId,
    reportedClickId: row.reportedClickId,
    advertiserId: row.advertiserId,
    offerId: row.offerId,
    affiliateId: row.affiliateId,
    goalId: row.goalId,
    goalCode: row.goalCode,
    orderId: row.orderId,
    status: row.status as ConversionRecord['status'],
    reason: row.reason,
    saleAmount: row.saleAmount === null ? null : money(row.saleAmount),
    revenue: money(row.revenue),
    payout: money(row.payout),
    currency: row.currency,
    clickedAt: row.clickedAt?.getTime() ?? null,
    convertedAt: row.convertedAt.getTime(),
    decidedAt: row.decidedAt.getTime(),
    sub1: row.sub1,
    sub2: row.sub2,
    sub3: row.sub3,
    sub4: row.sub4,
    sub5: row.sub5,
    source: row.source,
    affClickId: row.affClickId,
    country: row.country,
    device: row.device,
    advSub1: row.advSub1,
    advSub2: row.advSub2,
    advSub3: row.advSub3,
    advSub4: row.advSub4,
    advSub5: row.advSub5,
    raw: row.raw as Record<string, string>,
    couponCode: row.couponCode,
  };
}

/**
 * The books: conversions (first decisions), status changes and ledger
 * entries, written in bulk inside the caller's transaction. Inserts skip
 * what is already booked and report how many rows were new, so a caller can
 * tell a concurrent booking from its own.
 */
export class LedgerRepository {
  /** A model call: a lookup by key, in the transaction's snapshot. */
  async findConversions(tx: Tx, conversionIds: string[]): Promise<Map<string, ConversionRecord>> {
    if (conversionIds.length === 0) return new Map();
    const rows = await tx.conversion.findMany({ where: { conversionId: { in: conversionIds } } });
    return new Map(rows.map((row) => [row.conversionId, recordOf(row)]));
  }

  /**
   * The conversions with their current status, locked until the transaction ends: raw SQL for FOR UPDATE, which
   * Prisma's models do not take, in id order, so that two deciders changing the same conversions queue instead of
   * deadlocking. The locked rows are then read by the model call.
   */
  async lockConversionStates(tx: Tx, conversionIds: string[]): Promise<Map<string, ConversionState>> {
    if (conversionIds.length === 0) return new Map();
    const locked = await tx.$queryRaw<{ conversion_id: string; current_status: AttributionStatus }[]>`
      SELECT c.conversion_id,
             coalesce((SELECT s.to_status FROM conversion_status_changes s
                       WHERE s.conversion_id = c.conversion_id ORDER BY s.seq DESC LIMIT 1), c.status) AS current_status
      FROM conversions c
      WHERE c.conversion_id = ANY(${conversionIds}::text[])
      ORDER BY c.conversion_id
      FOR UPDATE OF c`;
    const records = await this.findConversions(tx, locked.map((row) => row.conversion_id));
    return new Map(
      locked.map((row) => [row.conversion_id, { record: records.get(row.conversion_id) as ConversionRecord, current: row.current_status }]),
    );
  }

  /** A model call: a lookup by key. */
  async findStatusChanges(tx: Tx, eventIds: string[]): Promise<Map<string, StatusChangeRecord>> {
    if (eventIds.length === 0) return new Map();
    const rows = await tx.conversionStatusChange.findMany({ where: { eventId: { in: eventIds } } });
    return new Map(
      rows.map((row) => [
        row.eventId,
        {
          eventId: row.eventId,
          conversionId: row.conversionId,
          fromStatus: row.fromStatus as AttributionStatus,
          toStatus: row.toStatus as AttributionStatus,
          reason: row.reason,
          changedAt: row.changedAt.getTime(),
        },
      ]),
    );
  }

  /**
   * Raw SQL, one unnest statement a batch: createMany would send 34 parameters a conversion. ON CONFLICT skips
   * what is booked; returns how many were new.
   */
  async insertConversions(tx: Tx, records: ConversionRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const rows = unnestRows(CONVERSION_COLUMNS, records, (record) => [
      record.conversionId,
      record.clickId,
      record.reportedClickId,
      record.advertiserId,
      record.offerId,
      record.affiliateId,
      record.goalId,
      record.goalCode,
      record.orderId,
      record.status,
      record.reason,
      record.saleAmount,
      record.revenue,
      record.payout,
      record.currency,
      iso(record.clickedAt),
      iso(record.convertedAt),
      iso(record.decidedAt),
      record.sub1,
      record.sub2,
      record.sub3,
      record.sub4,
      record.sub5,
      record.source,
      record.affClickId,
      record.country,
      record.device,
      record.advSub1,
      record.advSub2,
      record.advSub3,
      record.advSub4,
      record.advSub5,
      JSON.stringify(record.raw),
      record.couponCode,
    ]);
    return tx.$executeRaw`
      INSERT INTO conversions (${columnList(CONVERSION_COLUMNS)}) SELECT ${selectList(CONVERSION_COLUMNS)} FROM ${rows} ON CONFLICT DO NOTHING`;
  }

  /** Raw SQL for the same reasons as the conversions; returns how many were new. */
  async insertStatusChanges(tx: Tx, changes: StatusChangeRecord[]): Promise<number> {
    if (changes.length === 0) return 0;
    const rows = unnestRows(CHANGE_COLUMNS, changes, (change) => [
      change.eventId,
      change.conversionId,
      change.fromStatus,
      change.toStatus,
      change.reason,
      iso(change.changedAt),
    ]);
    return tx.$executeRaw`
      INSERT INTO conversion_status_changes (${columnList(CHANGE_COLUMNS)}) SELECT ${selectList(CHANGE_COLUMNS)} FROM ${rows} ON CONFLICT DO NOTHING`;
  }

  /** Raw SQL, one unnest statement: a booking writes two to six entries a conversion. */
  async insertEntries(tx: Tx, entries: LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = unnestRows(ENTRY_COLUMNS, entries, (entry) => [
      entry.conversionId,
      entry.eventId,
      entry.account,
      entry.state,
      entry.kind,
      entry.amount,
      entry.currency,
    ]);
    await tx.$executeRaw`INSERT INTO ledger_entries (${columnList(ENTRY_COLUMNS)}) SELECT ${selectList(ENTRY_COLUMNS)} FROM ${rows}`;
  }
}
