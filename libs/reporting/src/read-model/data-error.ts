/**
 * Postgres refused the data itself (SQLSTATE class 22 "data exception" or 23
 * "integrity constraint violation"): retrying the same rows cannot succeed.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
