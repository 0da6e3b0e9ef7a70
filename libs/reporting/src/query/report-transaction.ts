import { beginStatement, inTransaction, TransactionOptions } from '@tracklane/db';
import { Pool, PoolClient } from 'pg';

export interface ReportLimits {
  /** A report's statements are cancelled after this long. */
  statementTimeoutMs: number;
  /** Memory per sort or hash before spilling to disk, for the aggregates of one report. */
  workMem: string;
}

/**
 * Runs a report in a read-only transaction whose session time zone is the
 * report's: Postgres then cuts days, weeks and months in that zone (DST
 * included) and prints local times with their offsets.
 */
export async function beginReport(client: PoolClient, zone: string, limits: ReportLimits, snapshot = false): Promise<void> {
  // One snapshot for every statement when a report compares several reads (reconciliation).
  await client.query(beginStatement(reportTransaction(snapshot)));
  await applyReportSettings(client, zone, limits);
}

const reportTransaction = (snapshot: boolean): TransactionOptions => ({ readOnly: true, isolation: snapshot ? 'repeatable read' : undefined });

async function applyReportSettings(client: PoolClient, zone: string, limits: ReportLimits): Promise<void> {
  // A CSV reader that stops reading leaves the transaction idle: after a minute Postgres ends it and frees the connection.
  await client.query(
    `SELECT set_config('TimeZone', $1, true), set_config('statement_timeout', $2, true), set_config('work_mem', $3, true),
            set_config('idle_in_transaction_session_timeout', '60000', true)`,
    [zone, String(limits.statementTimeoutMs), limits.workMem],
  );
}

export function inReport<T>(pool: Pool, zone: string, limits: ReportLimits, work: (client: PoolClient) => Promise<T>, snapshot = false): Promise<T> {
  return inTransaction(
    pool,
    async (client) => {
      await applyReportSettings(client, zone, limits);
      return work(client);
    },
    reportTransaction(snapshot),
  );
}
