import { networkRetention, PrismaService } from '@tracklane/db';

/** The first instant of the UTC month `ahead` months after the one of `instant`. */
export function utcMonthStart(instant: number, ahead = 0): number {
  const date = new Date(instant);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + ahead, 1);
}

const monthOf = (instant: string | number): string => new Date(utcMonthStart(new Date(instant).getTime())).toISOString().slice(0, 7);

export interface RawRetention {
  /** Whole UTC months of clicks and attribution events kept before the current one, unless the network sets its own (raw_report_retention_months). */
  months: number;
}

export interface RawMaintenanceReport {
  created: number;
  dropped: string[];
}

/**
 * The month partitions of the read model's raw tables (migration 0850):
 * rep_clicks by click time, rep_conversions by conversion time,
 * rep_attribution_events by decision time. A window makes sure its months
 * exist before its transaction (creating a partition locks the parent table,
 * so it is done once per month and process, in its own short transaction);
 * maintenance creates the next month ahead of time and drops the months of
 * clicks and events past retention. rep_conversions keeps every month: a
 * status change long after a conversion is applied against its state.
 */
export class RawPartitions {
  private readonly known = new Set<string>();
  /** The months kept: the network's setting as last read by maintenance, else the configured default. */
  private months: number;

  constructor(
    private readonly prisma: PrismaService,
    private readonly retention: RawRetention,
  ) {
    this.months = retention.months;
  }

  /** Makes sure the partitions for these instants (ISO strings or epoch ms) exist. */
  async ensureFor(instants: readonly (string | number)[]): Promise<void> {
    const missing = new Map<string, string>();
    for (const instant of instants) {
      const month = monthOf(instant);
      if (!this.known.has(month) && !missing.has(month)) missing.set(month, `${month}-01T00:00:00Z`);
    }
    if (missing.size === 0) return;
    await this.prisma.$queryRaw`SELECT reporting_ensure_raw_partitions(${[...missing.values()]}::timestamptz[])`;
    for (const month of missing.keys()) this.known.add(month);
  }

  /** After a row found no partition (another instance dropped one): ask the database again. */
  forget(): void {
    this.known.clear();
  }

  /** Clicks and attribution events before this instant are no longer kept. */
  keptSince(now: number): number {
    return utcMonthStart(now, -this.months);
  }

  /** Creates this month's and next month's partitions and drops the months of clicks and events past retention. */
  async maintain(now: number): Promise<RawMaintenanceReport> {
    this.months = (await networkRetention(this.prisma)).rawReportRetentionMonths ?? this.retention.months;
    // Partitions are made and dropped by SQL functions (migration 0850): DDL Prisma's models do not express.
    const months = [new Date(utcMonthStart(now)).toISOString(), new Date(utcMonthStart(now, 1)).toISOString()];
    const [{ created }] = await this.prisma.$queryRaw<[{ created: number }]>`SELECT reporting_ensure_raw_partitions(${months}::timestamptz[]) AS created`;
    const before = new Date(this.keptSince(now)).toISOString().slice(0, 10);
    const [{ dropped }] = await this.prisma.$queryRaw<[{ dropped: string[] }]>`SELECT reporting_drop_raw_partitions(${before}::date) AS dropped`;
    this.known.clear();
    return { created, dropped };
  }
}
