/** Another decider booked some of the same conversions or changes first; the batch is retried and finds them booked. */
export class ConcurrentBookingError extends Error {
  constructor(what: string, expected: number, inserted: number) {
    super(`${what}: ${expected - inserted} of ${expected} were booked concurrently; retrying the batch`);
    this.name = 'ConcurrentBookingError';
  }
}
