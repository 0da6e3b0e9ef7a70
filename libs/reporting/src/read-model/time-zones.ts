import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PrismaService } from '@tracklane/db';
import { LOGGER, Logger } from '@tracklane/observability';
import { knownTimeZones, registerDayZones, registeredDayZones } from './day-zones';
import { READ_MODEL_OPTIONS, ReadModelOptions } from './read-model.options';

const REFRESH_MS = 60_000;

/**
 * The time zones reports accept (Postgres's IANA names), and which of them
 * have daily rollups. Zones in REPORTING_DAY_ZONES are registered (and their
 * days backfilled) before the service listens; zones another instance adds
 * show up here within a minute, and until then reports use the hourly rollups.
 */
@Injectable()
export class TimeZones implements OnModuleInit, OnModuleDestroy {
  private known = new Set<string>();
  private daily = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(READ_MODEL_OPTIONS) private readonly options: ReadModelOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.known = await knownTimeZones(this.prisma);
    const unknown = this.options.dayZones.filter((zone) => !this.known.has(zone));
    if (unknown.length > 0) throw new Error(`REPORTING_DAY_ZONES: unknown time zone ${unknown.join(', ')}`);
    const started = Date.now();
    const added = await registerDayZones(this.prisma, this.options.dayZones);
    if (added.length > 0) this.logger.info({ zones: added, ms: Date.now() - started }, 'daily rollups added and backfilled');
    this.daily = await registeredDayZones(this.prisma);
    this.timer = setInterval(() => {
      registeredDayZones(this.prisma).then(
        (zones) => (this.daily = zones),
        (error) => this.logger.warn({ err: error }, 'could not refresh the day zones'),
      );
    }, REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  isKnown(zone: string): boolean {
    return this.known.has(zone);
  }

  hasDailyRollups(zone: string): boolean {
    return this.daily.has(zone);
  }
}
