/** What a probe returns while the condition does not hold yet. */
export type NotYet = undefined | null | false | 0 | '';

/**
 * Polls until `probe` returns something truthy (not undefined, null, false,
 * 0 or ''), or fails with the last error it threw. A probe reading a column
 * or a count that is still NULL, 0 or empty keeps waiting instead of passing.
 */
export async function waitFor<T>(
  probe: () => Promise<T | NotYet> | T | NotYet,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out waiting for ${options.what ?? 'condition'}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

export function uniqueName(stem: string): string {
  return `${stem}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
