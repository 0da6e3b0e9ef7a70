/**
 * How long a conversion waits for a click (or a status change for its
 * conversion) that has not arrived yet. The message goes to the retry topic
 * with these headers, again with a doubled delay each time, until maxWaitMs
 * after the first miss; then it is decided without it.
 */
export const RETRY_HEADERS = {
  attempt: 'x-tracklane-retry-attempt',
  firstMissAt: 'x-tracklane-retry-first-miss-at',
  notBefore: 'x-tracklane-retry-not-before',
} as const;

export interface RetryPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxWaitMs: number;
}

const numberHeader = (headers: Record<string, string>, name: string): number | null => {
  const value = Number(headers[name]);
  return headers[name] !== undefined && Number.isFinite(value) ? value : null;
};

/** The headers of the next attempt, or null when the wait is over. */
export function nextRetry(headers: Record<string, string>, now: number, policy: RetryPolicy): Record<string, string> | null {
  const firstMissAt = numberHeader(headers, RETRY_HEADERS.firstMissAt) ?? now;
  if (now - firstMissAt >= policy.maxWaitMs) return null;
  const attempt = (numberHeader(headers, RETRY_HEADERS.attempt) ?? 0) + 1;
  const delay = Math.min(policy.initialBackoffMs * 2 ** (attempt - 1), policy.maxBackoffMs);
  return {
    ...headers,
    [RETRY_HEADERS.attempt]: String(attempt),
    [RETRY_HEADERS.firstMissAt]: String(firstMissAt),
    [RETRY_HEADERS.notBefore]: String(Math.min(now + delay, firstMissAt + policy.maxWaitMs)),
  };
}

/** When a retried message is due (0 for one that never waited). */
export function dueAt(headers: Record<string, string>): number {
  return numberHeader(headers, RETRY_HEADERS.notBefore) ?? 0;
}
