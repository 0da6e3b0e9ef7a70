export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before the attempt after `failedAttempts` failures: exponential
 * (base, 2×base, 4×base… capped at max) with "equal jitter" — half fixed,
 * half random — so a failing host's backlog spreads out instead of
 * returning in lockstep, while the delay never collapses to zero.
 */
export function retryDelayMs(policy: BackoffPolicy, failedAttempts: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
