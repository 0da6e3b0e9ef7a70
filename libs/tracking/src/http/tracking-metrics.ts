import { Injectable } from '@nestjs/common';
import type { ClickDisposition } from '@tracklane/contracts';
import type { Durability } from '@tracklane/spool';
import { Counter, Registry } from 'prom-client';

export type RequestOutcome =
  | 'redirected'
  /** Redirected to the offer's alternative, which takes the visitor its targeting does not. */
  | 'alternative_offer'
  | 'unavailable'
  | 'head'
  | 'bad_request'
  | 'unknown_offer'
  | 'not_recorded'
  /** A direct click (the landing page's script) recorded and answered with its id. */
  | 'direct'
  /** A direct click from a page that is not the offer's landing page. */
  | 'foreign_origin'
  /** A direct visit referred by a site that is no affiliate's: nothing recorded. */
  | 'not_referred';

/** Request and click counters, with their label sets resolved once rather than per request. */
@Injectable()
export class TrackingMetrics {
  private readonly requests: Counter;
  private readonly clicks: Counter;
  private readonly requestChildren = new Map<RequestOutcome, Counter.Internal>();
  private readonly clickChildren = new Map<string, Counter.Internal>();

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'tracklane_click_requests_total',
      help: 'Tracking-link requests by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.clicks = new Counter({
      name: 'tracklane_clicks_total',
      help: 'Clicks recorded, by disposition and where they were made durable (kafka or spool)',
      labelNames: ['disposition', 'durability'],
      registers: [registry],
    });
  }

  request(outcome: RequestOutcome): void {
    let child = this.requestChildren.get(outcome);
    if (!child) {
      child = this.requests.labels(outcome);
      this.requestChildren.set(outcome, child);
    }
    child.inc();
  }

  click(disposition: ClickDisposition, durability: Durability): void {
    const key = `${disposition}|${durability}`;
    let child = this.clickChildren.get(key);
    if (!child) {
      child = this.clicks.labels(disposition, durability);
      this.clickChildren.set(key, child);
    }
    child.inc();
  }
}
