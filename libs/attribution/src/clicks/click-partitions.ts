import { clickDaysFor } from '@tracklane/catalog';
import { networkRetention, PrismaService } from '@tracklane/db';

const DAY_MS = 86_400_000;

export const utcDay = (instant: number): string => new Date(instant).toISOString().slice(0, 10);

export interface ClickRetention {
  /** Days of clicks kept, at least. */
  retentionDays: number;
  /** Days of partitions created ahead of today. */
  aheadDays: number;
}

export interface MaintenanceReport {
  created: number;
  dropped: string[];
  retentionDays: number;
}

/**
 * The daily partitions of the clicks table. Keeps clicks for the network's
 * click retention (network_settings.click_retention_days, else the configured
 * default), and never for less than the longest attribution window of any
 * offer plus a day (a click that can still be converted is never dropped).
 * Creates upcoming partitions ahead of time, and any other day's partition
 * the moment a click needs it.
 */
export class ClickPartitions {
  private readonly known = new Set<string>();
  private retentionDays: number;

  constructor(
    private readonly prisma: PrismaService,
    private readonly retention: ClickRetention,
  ) {
    this.retentionDays = retention.retentionDays;
  }

  /** Clicks before this instant are no longer kept (nor attributable). */
  keptSince(now: number): number {
    return Date.parse(utcDay(now - this.retentionDays * DAY_MS));
  }

  /** Makes sure the partitions for these click times exist. */
  async ensureFor(instants: number[]): Promise<void> {
    const missing = [...new Set(instants.map(utcDay))].filter((day) => !this.known.has(day));
    if (missing.length === 0) return;
    await this.prisma.$queryRaw`SELECT attribution_ensure_click_partitions(${missing}::date[])`;
    for (const day of missing) this.known.add(day);
  }

  /** After a click found no partition (another instance dropped one): ask the database again. */
  forget(): void {
    this.known.clear();
  }

  /** Creates today's and upcoming partitions and drops those past retention. */
  async maintain(now: number): Promise<MaintenanceReport> {
    const { clickRetentionDays } = await networkRetention(this.prisma);
    const longest = await this.prisma.offer.aggregate({ _max: { attributionWindowSeconds: true } });
    this.retentionDays = Math.max(clickRetentionDays ?? this.retention.retentionDays, clickDaysFor(longest._max.attributionWindowSeconds ?? 0));
    const upcoming = Array.from({ length: this.retention.aheadDays + 1 }, (_, ahead) => utcDay(now + ahead * DAY_MS));
    // The partitions are made and dropped by SQL functions (migration 0301): DDL Prisma's models do not express.
    const [{ created }] = await this.prisma.$queryRaw<[{ created: number }]>`SELECT attribution_ensure_click_partitions(${upcoming}::date[]) AS created`;
    const [{ dropped }] = await this.prisma.$queryRaw<[{ dropped: string[] }]>`
      SELECT attribution_drop_click_partitions(${utcDay(this.keptSince(now))}::date) AS dropped`;
    this.known.clear();
    return { created, dropped, retentionDays: this.retentionDays };
  }
}
