interface Pending<I, O> {
  item: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export interface MicroBatcherOptions {
  /** Most items in one call of the batch function. */
  maxBatch: number;
  /** Batch calls running at once; further items wait and join the next batch. */
  maxConcurrent: number;
  /** Collect items this long before a batch starts, where latency matters less than cost (default: one event-loop turn). */
  lingerMs?: number;
}

/**
 * Turns many concurrent single-item calls into few batch calls: items added
 * in the same event-loop turn, or while earlier batches are running, go
 * together. Under light load a call runs alone and at once; under heavy load
 * batches grow instead of queries queueing up. The batch function returns
 * one output per item, in order; if it throws, every item of that batch fails.
 */
export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.options.maxConcurrent) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      this.start();
    };
    if (this.options.lingerMs) setTimeout(start, this.options.lingerMs);
    else setImmediate(start);
  }

  private start(): void {
    while (this.running < this.options.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running++;
      this.run(batch.map((pending) => pending.item))
        .then(
          (outputs) => batch.forEach((pending, index) => pending.resolve(outputs[index])),
          (error: unknown) => batch.forEach((pending) => pending.reject(error)),
        )
        .finally(() => {
          this.running--;
          if (this.queue.length > 0) this.schedule();
        });
    }
  }
}
