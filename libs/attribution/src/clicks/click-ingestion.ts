import { Catalog } from '@tracklane/catalog';
import { ClickV1, idTime } from '@tracklane/contracts';
import { isMissingPartition, isolatePoison } from '@tracklane/db';
import { ConsumedMessage, DeadLetter } from '@tracklane/messaging';
import type { Logger } from 'pino';
import { AttributionMetrics } from '../metrics';
import { ClickCache } from './click-cache';
import { CLICK_CLOCK_TOLERANCE_MS, clickRecordOf } from './click-record';
import { ClickPartitions } from './click-partitions';
import { ClickRepository } from './click.repository';

/** Used for the Redis lifetime of a click whose offer is unknown here. */
const DEFAULT_WINDOW_SECONDS = 30 * 86_400;

/**
 * clicks.v1 → Postgres (one INSERT … SELECT FROM unnest … ON CONFLICT DO
 * NOTHING per batch) → Redis. The click time comes from the click id, so a
 * replayed batch hits the same keys and changes nothing.
 */
export class ClickIngestion {
  constructor(
    private readonly repository: ClickRepository,
    private readonly cache: ClickCache,
    private readonly partitions: ClickPartitions,
    private readonly catalog: Catalog,
    private readonly metrics: AttributionMetrics,
    private readonly logger: Logger,
  ) {}

  readonly handle = async (messages: ConsumedMessage<ClickV1>[]): Promise<DeadLetter[]> => {
    const timer = this.metrics.batchSeconds.startTimer({ stream: 'clicks' });
    const now = Date.now();
    const keptSince = this.partitions.keptSince(now);
    const deadLetters: DeadLetter[] = [];
    const kept: ConsumedMessage<ClickV1>[] = [];
    for (const message of messages) {
      const clickedAt = idTime(message.value.clickId);
      if (clickedAt > now + CLICK_CLOCK_TOLERANCE_MS) deadLetters.push({ message, error: 'clickId: its time is more than a day in the future' });
      else if (clickedAt >= keptSince) kept.push(message);
    }
    const expired = messages.length - kept.length - deadLetters.length;
    if (expired > 0) this.metrics.clicksStored.inc({ outcome: 'expired' }, expired);

    await this.partitions.ensureFor(kept.map((message) => idTime(message.value.clickId)));
    const stored = await isolatePoison(kept, async (batch) => {
      try {
        return { messages: batch, inserted: await this.repository.insert(batch.map((message) => message.value)) };
      } catch (error) {
        if (isMissingPartition(error)) this.partitions.forget();
        throw error;
      }
    });
    deadLetters.push(...stored.deadLetters);
    const inserted = stored.results.reduce((sum, result) => sum + result.inserted, 0);
    const accepted = stored.results.flatMap((result) => result.messages);
    this.metrics.clicksStored.inc({ outcome: 'stored' }, inserted);
    this.metrics.clicksStored.inc({ outcome: 'replayed' }, accepted.length - inserted);

    await this.cacheCopies(accepted, now);
    timer();
    return deadLetters;
  };

  private async cacheCopies(messages: ConsumedMessage<ClickV1>[], now: number): Promise<void> {
    const catalog = this.catalog.current();
    const entries = messages.map(({ value }) => {
      const click = clickRecordOf(value);
      const window = catalog.offer(click.offerId)?.attributionWindowSeconds ?? DEFAULT_WINDOW_SECONDS;
      return { click, ttlSeconds: window - (now - click.clickedAt) / 1000 };
    });
    try {
      await this.cache.put(entries);
    } catch (error) {
      // Postgres has every click; conversions of these clicks are joined there instead.
      this.metrics.clicksStored.inc({ outcome: 'cache_failed' }, entries.length);
      this.logger.warn({ err: error, clicks: entries.length }, 'clicks not copied to Redis; lookups fall back to Postgres');
    }
  }
}
