/**
 * SQLSTATEs that mean the data itself is refused, whatever the moment: class
 * 22 "data exception" (a NUL byte in text, an invalid JSON escape, a value out
 * of range), 23502 not_null_violation and 23514 check_violation (a value
 * the table's rules refuse, e.g. an unknown status). No retry can cure them:
 * the message goes to the dead-letter topic.
 *
 * Deliberately not: 23505 unique_violation and 23P01 exclusion_violation
 * (our writes take duplicates with ON CONFLICT, so these mean a concurrent
 * writer got there first, and a retry finds its row), 23503
 * foreign_key_violation (a row this one needs is not there yet, or was just
 * removed: retrying, and being seen to stall, beats silently dead-lettering
 * good data), and every other class (connections, deadlocks, serialization
 * failures, a missing partition, a cancelled statement) — transient, retried.
 */
const DATA_ERROR_CODES = new Set(['23502', '23514']);

/**
 * The SQLSTATE of a failed statement, from pg's error or from Prisma's: a
 * Prisma error names its own code (P2010 "raw query failed", P2002 …) and
 * carries Postgres' in meta.driverAdapterError.cause.originalCode. A Prisma
 * error raised before any statement ran has none, and keeps its own code.
 */
export function sqlStateOf(error: unknown): string | undefined {
  const original = (error as PrismaDriverError | null)?.meta?.driverAdapterError?.cause?.originalCode;
  const code = typeof original === 'string' ? original : (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

interface PrismaDriverError {
  meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
}

/**
 * A row whose partition does not exist (yet, or any more, when another
 * instance's retention dropped it): Postgres says 23514 like a refused value,
 * but the writer creates the partition and tries again.
 */
export function isMissingPartition(error: unknown): boolean {
  return sqlStateOf(error) === '23514' && /no partition of relation/.test(String((error as Error).message));
}

export function isDataError(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code !== undefined && (code.startsWith('22') || DATA_ERROR_CODES.has(code)) && !isMissingPartition(error);
}
