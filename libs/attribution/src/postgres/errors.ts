/**
 * Errors a message itself causes, which no retry can cure: Postgres data
 * exceptions (class 22: a NUL byte in text, an invalid JSON escape, a value
 * out of range). Everything else — lost connections, deadlocks, a missing
 * partition, a concurrent decision — is transient and worth retrying.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** Another decider booked some of the same conversions or changes first; the batch is retried and finds them booked. */
export class ConcurrentBookingError extends Error {
  constructor(what: string, expected: number, inserted: number) {
    super(`${what}: ${expected - inserted} of ${expected} were booked concurrently; retrying the batch`);
    this.name = 'ConcurrentBookingError';
  }
}
