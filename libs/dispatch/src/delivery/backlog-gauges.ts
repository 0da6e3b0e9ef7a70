import type { Logger } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { AffiliateHealthRepository } from './affiliate-health.repository';
import { DeliveryRepository } from './delivery.repository';

/** Gauges read from Postgres at scrape time, so every instance reports the shared truth. */
export function registerBacklogGauges(
  metrics: Registry,
  deliveries: DeliveryRepository,
  health: AffiliateHealthRepository,
  logger: Logger,
): void {
  new Gauge({
    name: 'tracklane_postback_paused_affiliates',
    help: 'Affiliates whose postbacks are paused because their endpoint keeps failing',
    registers: [metrics],
    async collect() {
      await health.pausedCount().then(
        (count) => this.set(count),
        (error) => logger.warn({ err: error }, 'could not count paused affiliates'),
      );
    },
  });
  new Gauge({
    name: 'tracklane_postback_backlog',
    help: 'Postbacks waiting for an attempt (pending: none yet; failed: retry scheduled)',
    labelNames: ['state'],
    registers: [metrics],
    async collect() {
      await deliveries.backlog().then(
        (counts) => {
          for (const state of ['pending', 'failed']) this.set({ state }, counts[state] ?? 0);
        },
        (error) => logger.warn({ err: error }, 'could not count the postback backlog'),
      );
    },
  });
}
