/**
 * A dependency a service cannot work without. /readyz runs every registered
 * check; the service is ready only when all of them pass.
 */
export interface ReadinessCheck {
  readonly name: string;
  /**
   * The service carries on without this dependency: a failure or a timeout is reported as a warning and the
   * service stays ready (so a load balancer does not take every instance out for it).
   */
  readonly optional?: boolean;
  /**
   * Resolves when the dependency answers, with what is worth an operator's
   * look but does not stop the service (e.g. topics weaker than configured);
   * rejects (or times out) otherwise.
   */
  check(): Promise<void | { warnings: string[] }>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; warnings?: string[]; ms: number }>;
}

export class HealthRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private stopping = false;

  /** From now on the service reports itself not ready, so that load balancers send it nothing new while it drains. */
  markStopping(): void {
    this.stopping = true;
  }

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  async report(timeoutMs = 2000): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (check) => {
        const started = Date.now();
        try {
          const answer = await withTimeout(check.check(), timeoutMs, `${check.name} did not answer within ${timeoutMs} ms`);
          const warnings = answer?.warnings.length ? { warnings: answer.warnings } : {};
          return [check.name, { ok: true, ...warnings, ms: Date.now() - started }] as const;
        } catch (error) {
          if (check.optional) return [check.name, { ok: true, warnings: [`unreachable, carrying on without it: ${errorMessage(error)}`], ms: Date.now() - started }] as const;
          return [check.name, { ok: false, error: errorMessage(error), ms: Date.now() - started }] as const;
        }
      }),
    );
    if (this.stopping) entries.push(['shutdown', { ok: false, error: 'stopping: finishing the requests it has and taking no new ones', ms: 0 }]);
    return { ready: entries.every(([, result]) => result.ok), checks: Object.fromEntries(entries) };
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
