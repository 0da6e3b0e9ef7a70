import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { REDIS, Redis } from '@tracklane/cache';
import { CatalogModule } from '@tracklane/catalog';
import { clicksV1 } from '@tracklane/contracts';
import { Topics } from '@tracklane/messaging';
import { LOGGER, Logger } from '@tracklane/observability';
import { DurablePublisher, SpoolModule } from '@tracklane/spool';
import { ClickCheckOptions, ClickChecks } from './checks/click-checks';
import { TrackingMetrics } from './http/tracking-metrics';
import { TrackingRoutes } from './http/tracking-routes';
import { ClickRecorder } from './recording/click-recorder';
import { CountryDatabase } from './visitor/country-database';
import { VisitorOptions, VisitorReader } from './visitor/visitor';

export interface TrackingOptions {
  checks: ClickCheckOptions;
  /** `geoipDir`: where the offline country database is (CountryDatabase.open); empty: none. */
  visitors: Omit<VisitorOptions, 'countries'> & { geoipDir: string };
  /** Where clicks wait when Kafka does not acknowledge them in time (one directory per instance). */
  spoolDir: string;
  /** How long a click waits for Kafka's acknowledgement before it is spooled instead. */
  publishDeadlineMs: number;
}

/**
 * Tracking links: GET/HEAD /c/:offerId and /click, answered with a 302 to
 * the offer once the click is durable. Needs DbModule, CacheModule and
 * MessagingModule in the service (all global).
 */
@Module({})
export class TrackingModule implements OnApplicationShutdown {
  constructor(private readonly checks: ClickChecks) {}

  /** After the HTTP server stopped: no click needs the checks any more. */
  onApplicationShutdown(): void {
    this.checks.close();
  }

  static forRoot(options: TrackingOptions): DynamicModule {
    return {
      module: TrackingModule,
      imports: [
        CatalogModule.forRoot(),
        SpoolModule.forRoot({ name: 'clicks', dir: options.spoolDir, deadlineMs: options.publishDeadlineMs }),
      ],
      providers: [
        TrackingMetrics,
        {
          provide: VisitorReader,
          inject: [LOGGER],
          useFactory: (logger: Logger) => new VisitorReader({ ...options.visitors, countries: openCountries(options.visitors.geoipDir, logger) }),
        },
        {
          provide: ClickChecks,
          inject: [REDIS, LOGGER],
          useFactory: (redis: Redis, logger: Logger) => new ClickChecks(redis, options.checks, logger),
        },
        {
          provide: ClickRecorder,
          inject: [ClickChecks, DurablePublisher, Topics],
          useFactory: (checks: ClickChecks, publisher: DurablePublisher, topics: Topics) =>
            new ClickRecorder(checks, publisher, topics.of(clicksV1).main),
        },
        TrackingRoutes,
      ],
    };
  }
}

/** The country database of `dir`, read once at boot; a directory without one leaves countries to the edge. */
function openCountries(dir: string, logger: Logger): CountryDatabase | null {
  if (!dir) return null;
  const countries = CountryDatabase.open(dir);
  if (countries) logger.info({ files: countries.files }, 'visitor countries from the GeoIP database where the edge names none');
  else logger.warn({ dir }, 'no GeoIP database here (Debian: geoip-database); countries only from the edge header');
  return countries;
}
