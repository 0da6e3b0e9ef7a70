import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InvalidationBus } from '@tracklane/cache';
import { PrismaService } from '@tracklane/db';
import { LOGGER, Logger } from '@tracklane/observability';
import { setTimeout as delay } from 'node:timers/promises';
import { Gauge, Registry } from 'prom-client';
import { CatalogSnapshot } from './catalog-snapshot';
import { loadCatalog } from './catalog.repository';

export const CATALOG_OPTIONS = Symbol('CATALOG_OPTIONS');

/** Loads for something the catalogue lacks come at most this often, however many requests name such things. */
const RELOAD_ON_MISS_EVERY_MS = 1_000;
/** How far a message's timestamp (its producer's clock) and this process's clock may disagree. */
const CLOCK_MARGIN_MS = 5_000;

export interface CatalogOptions {
  /** Full reload even without invalidations, in case one was missed (default 60 s). */
  refreshIntervalMs?: number;
}

/**
 * The catalogue in memory, so hot paths never wait on the database.
 * Loaded before the service starts listening; reloaded whenever the
 * management API announces a change (Redis pub/sub), and periodically as a
 * safety net. Invalidations that arrive during a load trigger one more load.
 */
@Injectable()
export class Catalog implements OnModuleInit, OnApplicationShutdown {
  private snapshot = CatalogSnapshot.empty();
  private loading: Promise<void> | null = null;
  private reloadRequested = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly versionGauge: Gauge;

  constructor(
    private readonly prisma: PrismaService,
    private readonly bus: InvalidationBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CATALOG_OPTIONS) private readonly options: CatalogOptions,
    metrics: Registry,
  ) {
    this.versionGauge = new Gauge({
      name: 'tracklane_catalog_loaded_timestamp_seconds',
      help: 'When the in-memory catalogue was last loaded',
      registers: [metrics],
    });
  }

  async onModuleInit(): Promise<void> {
    await this.bus.subscribe(() => void this.reload());
    await this.reload();
    this.timer = setInterval(() => void this.reload(), this.options.refreshIntervalMs ?? 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The current snapshot; keep using one snapshot for one decision. */
  current(): CatalogSnapshot {
    return this.snapshot;
  }

  /**
   * For a request that names something the catalogue lacks (an offer created a moment ago, or whose
   * announcement was missed): loads it again in the background unless the snapshot is under a second old,
   * so the thing is found within a second instead of at the next periodic reload, while a flood of unknown
   * ids costs at most one load a second.
   */
  reloadOnMiss(): void {
    if (this.loading === null && Date.now() - this.snapshot.loadedAt >= RELOAD_ON_MISS_EVERY_MS) void this.reload().catch(() => undefined);
  }

  /**
   * A snapshot that holds what existed when a message naming something the current one lacks was made
   * (`madeAt`, the message's timestamp): the current snapshot if it was loaded clearly later (what it lacks
   * is gone, or never was); otherwise the catalogue is loaded again, no sooner than a second after the last
   * load, and the new snapshot returned. Throws when that load fails, so that a batch is retried rather than
   * decided without what it names.
   */
  async loadedAfter(madeAt: number): Promise<CatalogSnapshot> {
    const snapshot = this.snapshot;
    if (madeAt + CLOCK_MARGIN_MS < snapshot.loadedAt) return snapshot;
    await delay(Math.max(0, snapshot.loadedAt + RELOAD_ON_MISS_EVERY_MS - Date.now()));
    await this.reload();
    // reload() keeps the last good snapshot when a load fails.
    if (this.snapshot === snapshot) throw new Error('the catalogue could not be loaded for a message that names something it lacks');
    return this.snapshot;
  }

  /** Loads the catalogue again (coalescing concurrent requests into at most one extra load). */
  reload(): Promise<void> {
    if (this.loading) {
      this.reloadRequested = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.reloadRequested = false;
        try {
          const contents = await loadCatalog(this.prisma);
          this.snapshot = new CatalogSnapshot(contents, this.snapshot.version + 1, Date.now());
          this.versionGauge.set(Date.now() / 1000);
        } catch (error) {
          // Keep serving the last good snapshot; the next invalidation or tick retries.
          this.logger.error({ err: error }, 'catalogue reload failed');
          if (this.snapshot.version === 0) throw error;
        }
      } while (this.reloadRequested);
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }
}
