import { Tx } from './change-log';

type LockedTable = 'advertisers' | 'offers' | 'goals' | 'affiliates' | 'payout_overrides' | 'coupon_codes' | 'api_keys' | 'network_settings';

/**
 * Holds the row until the transaction ends, so the audit log's "before" is
 * the state this change replaced, even when two changes race.
 */
export async function lockRow(tx: Tx, table: LockedTable, id: number): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, id);
  return rows.length > 0;
}
