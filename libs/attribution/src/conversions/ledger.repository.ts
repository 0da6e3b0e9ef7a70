import { AttributionStatus } from '@tracklane/contracts';
import { PoolClient } from 'pg';
import { LedgerEntry } from '../money/ledger-entries';
import { columnNames, columnsOf, selectList, unnestOf } from '../postgres/unnest';
import { StatusChangeRecord } from './attribution-events';
import { ConversionRecord } from './conversion-record';
import { ConversionState } from './status-changes';

const CONVERSION_COLUMNS = [
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
] as const;

const INSERT_CONVERSIONS = `
  INSERT INTO conversions (${columnNames(CONVERSION_COLUMNS)})
  SELECT ${selectList(CONVERSION_COLUMNS)}
  FROM ${unnestOf(CONVERSION_COLUMNS)}
  ON CONFLICT DO NOTHING`;

const ENTRY_COLUMNS = [
  ['conversion_id', 'text'],
  ['event_id', 'text'],
  ['account', 'text'],
  ['state', 'text'],
  ['kind', 'text'],
  ['amount', 'numeric'],
  ['currency', 'text'],
] as const;

const INSERT_ENTRIES = `
  INSERT INTO ledger_entries (${columnNames(ENTRY_COLUMNS)})
  SELECT * FROM ${unnestOf(ENTRY_COLUMNS)}`;

const CHANGE_COLUMNS = [
  ['event_id', 'text'],
  ['conversion_id', 'text'],
  ['from_status', 'text'],
  ['to_status', 'text'],
  ['reason', 'text'],
  ['changed_at', 'timestamptz'],
] as const;

const INSERT_CHANGES = `
  INSERT INTO conversion_status_changes (${columnNames(CHANGE_COLUMNS)})
  SELECT * FROM ${unnestOf(CHANGE_COLUMNS)}
  ON CONFLICT DO NOTHING`;

const SELECT_CONVERSIONS = `SELECT * FROM conversions WHERE conversion_id = ANY($1::text[])`;

// Locked in id order, so that two deciders changing the same conversions queue instead of deadlocking.
const LOCK_CONVERSION_STATES = `
  SELECT c.*,
         (SELECT s.to_status FROM conversion_status_changes s
          WHERE s.conversion_id = c.conversion_id ORDER BY s.seq DESC LIMIT 1) AS current_status
  FROM conversions c
  WHERE c.conversion_id = ANY($1::text[])
  ORDER BY c.conversion_id
  FOR UPDATE OF c`;

const SELECT_CHANGES = `
  SELECT event_id, conversion_id, from_status, to_status, reason, changed_at
  FROM conversion_status_changes WHERE event_id = ANY($1::text[])`;

type Row = Record<string, unknown>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const time = (value: unknown) => (value instanceof Date ? value.getTime() : null);

function recordOf(row: Row): ConversionRecord {
  return {
    conversionId: row.conversion_id as string,
    clickId: row.click_id as string | null,
    reportedClickId: row.reported_click_id as string | null,
    advertiserId: row.advertiser_id as number,
    offerId: row.offer_id as number | null,
    affiliateId: row.affiliate_id as number | null,
    goalId: row.goal_id as number | null,
    goalCode: row.goal_code as string | null,
    orderId: row.order_id as string | null,
    status: row.status as ConversionRecord['status'],
    reason: row.reason as string,
    saleAmount: row.sale_amount as string | null,
    revenue: row.revenue as string,
    payout: row.payout as string,
    currency: row.currency as string,
    clickedAt: time(row.clicked_at),
    convertedAt: time(row.converted_at) as number,
    decidedAt: time(row.decided_at) as number,
    sub1: row.sub1 as string | null,
    sub2: row.sub2 as string | null,
    sub3: row.sub3 as string | null,
    sub4: row.sub4 as string | null,
    sub5: row.sub5 as string | null,
    source: row.source as string | null,
    affClickId: row.aff_click_id as string | null,
    country: row.country as string | null,
    device: row.device as string | null,
    advSub1: row.adv_sub1 as string | null,
    advSub2: row.adv_sub2 as string | null,
    advSub3: row.adv_sub3 as string | null,
    advSub4: row.adv_sub4 as string | null,
    advSub5: row.adv_sub5 as string | null,
    raw: row.raw as Record<string, string>,
    couponCode: row.coupon_code as string | null,
  };
}

/**
 * The books: conversions (first decisions), status changes and ledger
 * entries, written in bulk inside the caller's transaction. Inserts skip
 * what is already booked and report how many rows were new, so a caller can
 * tell a concurrent booking from its own.
 */
export class LedgerRepository {
  async findConversions(client: PoolClient, conversionIds: string[]): Promise<Map<string, ConversionRecord>> {
    if (conversionIds.length === 0) return new Map();
    const { rows } = await client.query<Row>(SELECT_CONVERSIONS, [conversionIds]);
    return new Map(rows.map((row) => [row.conversion_id as string, recordOf(row)]));
  }

  /** The conversions with their current status, locked until the transaction ends. */
  async lockConversionStates(client: PoolClient, conversionIds: string[]): Promise<Map<string, ConversionState>> {
    if (conversionIds.length === 0) return new Map();
    const { rows } = await client.query<Row>(LOCK_CONVERSION_STATES, [conversionIds]);
    return new Map(
      rows.map((row) => [
        row.conversion_id as string,
        { record: recordOf(row), current: (row.current_status ?? row.status) as AttributionStatus },
      ]),
    );
  }

  async findStatusChanges(client: PoolClient, eventIds: string[]): Promise<Map<string, StatusChangeRecord>> {
    if (eventIds.length === 0) return new Map();
    const { rows } = await client.query<Row>(SELECT_CHANGES, [eventIds]);
    return new Map(
      rows.map((row) => [
        row.event_id as string,
        {
          eventId: row.event_id as string,
          conversionId: row.conversion_id as string,
          fromStatus: row.from_status as AttributionStatus,
          toStatus: row.to_status as AttributionStatus,
          reason: row.reason as string,
          changedAt: time(row.changed_at) as number,
        },
      ]),
    );
  }

  /** Returns how many were new. */
  async insertConversions(client: PoolClient, records: ConversionRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const columns = columnsOf(records, CONVERSION_COLUMNS.length, (record) => [
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
    return (await client.query(INSERT_CONVERSIONS, columns)).rowCount ?? 0;
  }

  /** Returns how many were new. */
  async insertStatusChanges(client: PoolClient, changes: StatusChangeRecord[]): Promise<number> {
    if (changes.length === 0) return 0;
    const columns = columnsOf(changes, CHANGE_COLUMNS.length, (change) => [
      change.eventId,
      change.conversionId,
      change.fromStatus,
      change.toStatus,
      change.reason,
      iso(change.changedAt),
    ]);
    return (await client.query(INSERT_CHANGES, columns)).rowCount ?? 0;
  }

  async insertEntries(client: PoolClient, entries: LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const columns = columnsOf(entries, ENTRY_COLUMNS.length, (entry) => [
      entry.conversionId,
      entry.eventId,
      entry.account,
      entry.state,
      entry.kind,
      entry.amount,
      entry.currency,
    ]);
    await client.query(INSERT_ENTRIES, columns);
  }
}
