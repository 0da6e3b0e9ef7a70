import type { Pool } from 'pg';
import type { PrismaClient } from '../generated/prisma/client';

/** How long the network keeps each data family (network_settings, migration 0920); null: the service's own default. */
export interface NetworkRetention {
  clickRetentionDays: number | null;
  receiptRetentionDays: number | null;
  postbackLogRetentionDays: number | null;
  rawReportRetentionMonths: number | null;
}

/** Read by each maintenance job when it runs, so a change applies at the next run without a restart. */
export async function networkRetention(prisma: Pick<PrismaClient, 'networkSettings'>): Promise<NetworkRetention> {
  const settings = await prisma.networkSettings.findUnique({
    where: { id: 1 },
    select: { clickRetentionDays: true, receiptRetentionDays: true, postbackLogRetentionDays: true, rawReportRetentionMonths: true },
  });
  return settings ?? { clickRetentionDays: null, receiptRetentionDays: null, postbackLogRetentionDays: null, rawReportRetentionMonths: null };
}

/** The instant `days` days before `now`: what is older is past a retention of that many days. */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/**
 * Deletes the rows of `table` whose `time` is before `before` (and that meet
 * `also`), a batch at a time (short statements, no long locks), oldest
 * first; returns how many. Names and `also` are the caller's constants, never input.
 */
export async function deleteInBatches(
  pool: Pool,
  { table, id, time, also = 'true' }: { table: string; id: string; time: string; also?: string },
  before: Date,
  batch = 5000,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM ${table} WHERE ${id} IN (SELECT ${id} FROM ${table} WHERE ${time} < $1 AND ${also} ORDER BY ${time} LIMIT ${batch})`,
      [before],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) return deleted;
  }
}
