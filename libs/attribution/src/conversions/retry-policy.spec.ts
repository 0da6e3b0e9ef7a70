import { RETRY_HEADERS, dueAt, nextRetry } from './retry-policy';

const policy = { initialBackoffMs: 1_000, maxBackoffMs: 8_000, maxWaitMs: 60_000 };

describe('retry policy', () => {
  it('schedules the first retry after the initial backoff, keeping the original headers', () => {
    const headers = nextRetry({ 'x-trace': 'abc' }, 10_000, policy);
    expect(headers).toEqual({
      'x-trace': 'abc',
      [RETRY_HEADERS.attempt]: '1',
      [RETRY_HEADERS.firstMissAt]: '10000',
      [RETRY_HEADERS.notBefore]: '11000',
    });
    expect(dueAt(headers ?? {})).toBe(11_000);
  });

  it('doubles the delay up to the maximum backoff', () => {
    let headers: Record<string, string> = {};
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 6; i++) {
      headers = nextRetry(headers, now, policy) ?? {};
      delays.push(dueAt(headers) - now);
      now = dueAt(headers);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('gives up once the wait since the first miss is over, and never schedules past it', () => {
    const waiting = nextRetry({}, 0, policy) ?? {};
    expect(dueAt(nextRetry(waiting, 59_000, policy) ?? {})).toBe(60_000);
    expect(nextRetry(waiting, 60_000, policy)).toBeNull();
  });

  it('treats a message that never waited as due', () => {
    expect(dueAt({})).toBe(0);
    expect(dueAt({ [RETRY_HEADERS.notBefore]: 'garbage' })).toBe(0);
  });
});
