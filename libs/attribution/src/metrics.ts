import { Counter, Histogram, Registry } from 'prom-client';

/** What attribution counts, for dashboards and alerts. */
export class AttributionMetrics {
  readonly clicksStored: Counter<'outcome'>;
  readonly clickLookups: Counter<'source'>;
  readonly decisions: Counter<'status' | 'reason'>;
  readonly statusChanges: Counter<'outcome'>;
  readonly retries: Counter<'kind'>;
  readonly batchSeconds: Histogram<'stream'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.clicksStored = new Counter({
      name: 'tracklane_attribution_clicks_total',
      help: 'Clicks consumed, by outcome (stored, replayed, expired, cache_failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.clickLookups = new Counter({
      name: 'tracklane_attribution_click_lookups_total',
      help: 'Click lookups of conversions, by where the click was found (redis, postgres, missing)',
      labelNames: ['source'],
      registers,
    });
    this.decisions = new Counter({
      name: 'tracklane_attribution_decisions_total',
      help: 'Conversions decided and booked, by status and reason',
      labelNames: ['status', 'reason'],
      registers,
    });
    this.statusChanges = new Counter({
      name: 'tracklane_attribution_status_changes_total',
      help: 'Status changes, by outcome (applied, unchanged, not_allowed, no_status, foreign)',
      labelNames: ['outcome'],
      registers,
    });
    this.retries = new Counter({
      name: 'tracklane_attribution_retries_total',
      help: 'Messages sent to the retry topic to wait for their click or conversion, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'tracklane_attribution_batch_seconds',
      help: 'Time to process one batch, from the handler call to the work being durable',
      labelNames: ['stream'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }
}
