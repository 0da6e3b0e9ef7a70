export interface WindowLimits {
  /**
   * Longest a batch waits for others to join its window (from the window's
   * first batch); 0 turns windows off: each batch is applied on its own, at
   * once.
   */
  maxMs: number;
  /** A window this large is applied at once. */
  maxMessages: number;
  /** A window is applied once no batch has joined it for this long. */
  lingerMs: number;
}

interface Contribution<T, R> {
  batch: T[];
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Gathers the batches the consumer works on at the same time (one per
 * partition, from every topic) into one window and applies the window with
 * one call: one transaction for what would otherwise be a transaction per
 * partition, each fighting the others for the same hot rollup rows. Each
 * batch's promise settles with the window's outcome, so its offsets are
 * committed only once everything the window covered is durable; a failed
 * window fails every batch in it (each is retried by its consumer).
 *
 * Windows are applied one at a time: batches arriving while one is applied
 * gather in the next, so under load windows grow instead of queueing.
 */
export class ProjectionWindow<T, R> {
  private open: Contribution<T, R>[] = [];
  /** Windows that reached maxMessages, waiting their turn in arrival order. */
  private readonly full: Contribution<T, R>[][] = [];
  private size = 0;
  private openedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private applying = false;

  /** `apply` gets every batch of a window and answers one result per batch, in order. */
  constructor(
    private readonly apply: (batches: T[][]) => Promise<R[]>,
    private readonly limits: WindowLimits,
  ) {}

  add(batch: T[]): Promise<R> {
    if (this.limits.maxMs === 0) return this.apply([batch]).then((results) => results[0]);
    return new Promise<R>((resolve, reject) => {
      if (this.open.length === 0) this.openedAt = Date.now();
      this.open.push({ batch, resolve, reject });
      this.size += batch.length;
      // Batches of one fetch arrive together: a full window is closed at once, so windows stay near maxMessages.
      if (this.size >= this.limits.maxMessages) {
        this.full.push(this.open);
        this.open = [];
        this.size = 0;
      }
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.applying) return; // the window in hand schedules the next when it is done
    if (this.full.length > 0) {
      this.timer = setTimeout(() => void this.applyNext(), 0);
      return;
    }
    if (this.open.length === 0) return;
    const left = this.openedAt + this.limits.maxMs - Date.now();
    this.timer = setTimeout(() => void this.applyNext(), Math.max(0, Math.min(this.limits.lingerMs, left)));
  }

  private async applyNext(): Promise<void> {
    this.timer = null;
    let taken = this.full.shift();
    if (!taken) {
      taken = this.open;
      this.open = [];
      this.size = 0;
    }
    this.applying = true;
    try {
      const results = await this.apply(taken.map((contribution) => contribution.batch));
      taken.forEach((contribution, index) => contribution.resolve(results[index]));
    } catch (error) {
      for (const contribution of taken) contribution.reject(error);
    } finally {
      this.applying = false;
      this.schedule();
    }
  }
}
