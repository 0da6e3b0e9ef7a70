import type { Redis } from '@tracklane/cache';
import { ClickRecord, packClick, unpackClick } from './click-record';

/** The Redis key of a click's copy; management's erasure deletes copies by it. */
export const cachedClickKey = (clickId: string) => `attr:click:${clickId}`;

/**
 * Clicks in Redis for the join, each until its attribution window closes
 * or `keepSeconds` after the click, whichever comes first, so most
 * conversions never touch Postgres. A copy only: Postgres holds every click,
 * and a miss here is answered there. Most conversions follow their click
 * within hours; keeping every click for a 30-day window would hold 30 days
 * of clicks in memory (about 230 bytes a click: 7 TB at a billion a day).
 */
export class ClickCache {
  constructor(
    private readonly redis: Redis,
    private readonly keepSeconds = Number.POSITIVE_INFINITY,
  ) {}

  /** Stores clicks with the seconds each stays useful; clicks with none left are skipped. */
  async put(clicks: Array<{ click: ClickRecord; ttlSeconds: number }>): Promise<void> {
    const now = Date.now();
    const pipeline = this.redis.pipeline();
    let queued = 0;
    for (const { click, ttlSeconds } of clicks) {
      const seconds = Math.min(ttlSeconds, this.keepSeconds - (now - click.clickedAt) / 1000);
      if (seconds < 1) continue;
      pipeline.set(cachedClickKey(click.clickId), packClick(click), 'EX', Math.ceil(seconds));
      queued++;
    }
    if (queued === 0) return;
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async get(clickIds: string[]): Promise<Map<string, ClickRecord>> {
    const found = new Map<string, ClickRecord>();
    if (clickIds.length === 0) return found;
    const values = await this.redis.mget(clickIds.map(cachedClickKey));
    values.forEach((value, index) => {
      if (value !== null) found.set(clickIds[index], unpackClick(clickIds[index], value));
    });
    return found;
  }
}
