import { idTime } from '@tracklane/contracts';
import type { Logger } from 'pino';
import { AttributionMetrics } from '../metrics';
import { ClickCache } from './click-cache';
import { CLICK_CLOCK_TOLERANCE_MS, ClickRecord } from './click-record';
import { ClickRepository } from './click.repository';


/** Finds the clicks conversions name: Redis first, then Postgres for what Redis does not have. */
export class ClickLookup {
  constructor(
    private readonly cache: ClickCache,
    private readonly repository: ClickRepository,
    private readonly metrics: AttributionMetrics,
    private readonly logger: Logger,
  ) {}

  async find(clickIds: string[], now: number): Promise<Map<string, ClickRecord>> {
    const wanted = [...new Set(clickIds)].filter((id) => idTime(id) <= now + CLICK_CLOCK_TOLERANCE_MS);
    let found = new Map<string, ClickRecord>();
    try {
      found = await this.cache.get(wanted);
    } catch (error) {
      this.logger.warn({ err: error }, 'Redis click lookup failed; asking Postgres');
    }
    const missing = wanted.filter((id) => !found.has(id));
    const fromPostgres = await this.repository.find(missing);
    for (const [id, click] of fromPostgres) found.set(id, click);
    this.metrics.clickLookups.inc({ source: 'redis' }, wanted.length - missing.length);
    this.metrics.clickLookups.inc({ source: 'postgres' }, fromPostgres.size);
    this.metrics.clickLookups.inc({ source: 'missing' }, missing.length - fromPostgres.size);
    return found;
  }
}
