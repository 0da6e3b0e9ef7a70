import { CatalogSnapshot } from '@tracklane/catalog';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AffiliateHealthRepository } from './affiliate-health.repository';
import { BackoffPolicy, retryDelayMs } from './backoff';
import { AttemptRecord, ClaimedDelivery, DeliveryRepository } from './delivery.repository';
import { AttemptOutcome, PostbackSender } from './postback-sender';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature';

export interface DispatcherSettings {
  /** Requests in flight in this process. */
  concurrency: number;
  /** Requests in flight to one host:port from this process. */
  perHostConcurrency: number;
  /** Deadline of one attempt. */
  timeoutMs: number;
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** How often due retries are looked for when nothing else wakes the dispatcher. */
  pollMs: number;
}

export interface DispatcherDeps {
  deliveries: DeliveryRepository;
  health: AffiliateHealthRepository;
  sender: PostbackSender;
  /** The catalogue now: postback secrets are read at send time, so a rotated secret applies to retries too. */
  catalog: () => CatalogSnapshot;
  /** Publishes a delivery that gave up to the dead-letter topic; resolves once Kafka has it. */
  deadLetter: (delivery: ClaimedDelivery, error: string) => Promise<void>;
  logger: Logger;
  metrics: Registry;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends due postbacks, decoupled from Kafka consumption: the consumer only
 * records deliveries, so a slow or failing affiliate never holds up a
 * partition. Each process claims due rows from Postgres up to its global
 * and per-host limits, sends them, and records every outcome; retries are
 * rows with a later next_attempt_at, so they survive restarts, and any
 * instance may pick them up.
 */
export class DeliveryDispatcher {
  private readonly inFlightByHost = new Map<string, number>();
  private inFlight = 0;
  private readonly attempts = new Set<Promise<void>>();
  private pumping: Promise<void> | null = null;
  private wakeAgain = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly leaseMs: number;
  private readonly outcomes: Counter;
  private readonly finished: Counter;
  private readonly latency: Histogram;

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly settings: DispatcherSettings,
  ) {
    // Long enough that an attempt always ends (it is aborted at timeoutMs) before another process may retry it.
    this.leaseMs = settings.timeoutMs * 2 + 2_000;
    const registers = [deps.metrics];
    this.outcomes = new Counter({
      name: 'tracklane_postback_attempts_total',
      help: 'Postback attempts by outcome (delivered, retryable, rejected, refused)',
      labelNames: ['outcome'],
      registers,
    });
    this.finished = new Counter({
      name: 'tracklane_postback_deliveries_total',
      help: 'Postbacks that reached a final state (delivered, dead_lettered, refused)',
      labelNames: ['state'],
      registers,
    });
    this.latency = new Histogram({
      name: 'tracklane_postback_attempt_duration_seconds',
      help: 'Duration of postback attempts that got an answer',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const inFlight = () => this.inFlight;
    new Gauge({
      name: 'tracklane_postback_in_flight',
      help: 'Postback requests in flight in this process',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.settings.pollMs);
    this.timer.unref(); // the HTTP server keeps a service alive; this timer alone should not
    this.wake();
  }

  /** Finishes the attempts in flight (each ends by its deadline) and claims nothing more. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pumping;
    await Promise.allSettled([...this.attempts]);
    this.deps.sender.close();
  }

  /** Looks for due deliveries now (new ones were recorded, or a slot was freed). */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.wakeAgain = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
    });
  }

  private async pump(): Promise<void> {
    do {
      this.wakeAgain = false;
      while (!this.stopped && this.inFlight < this.settings.concurrency) {
        let claims: ClaimedDelivery[];
        try {
          claims = await this.deps.deliveries.claimDue({
            limit: this.settings.concurrency - this.inFlight,
            freeSlots: this.freeSlots(),
            perHost: this.settings.perHostConcurrency,
            leaseMs: this.leaseMs,
          });
        } catch (error) {
          // The database is unreachable: the timer tries again, nothing is lost.
          this.deps.logger.error({ err: error }, 'could not claim due postbacks');
          return;
        }
        for (const claim of claims) this.launch(claim);
        if (claims.length === 0) break;
      }
    } while (this.wakeAgain && !this.stopped);
  }

  private freeSlots(): Map<string, number> {
    const free = new Map<string, number>();
    for (const [host, count] of this.inFlightByHost) free.set(host, this.settings.perHostConcurrency - count);
    return free;
  }

  private launch(claim: ClaimedDelivery): void {
    this.inFlight++;
    this.inFlightByHost.set(claim.targetHost, (this.inFlightByHost.get(claim.targetHost) ?? 0) + 1);
    const attempt = this.attempt(claim)
      .catch((error) => {
        // The lease runs out and the delivery is attempted again: at least once, never lost.
        this.deps.logger.error({ err: error, deliveryKey: claim.deliveryKey }, 'could not record a postback attempt');
      })
      .finally(() => {
        this.inFlight--;
        const left = (this.inFlightByHost.get(claim.targetHost) ?? 1) - 1;
        if (left === 0) this.inFlightByHost.delete(claim.targetHost);
        else this.inFlightByHost.set(claim.targetHost, left);
        this.attempts.delete(attempt);
        this.wake();
      });
    this.attempts.add(attempt);
  }

  private async attempt(claim: ClaimedDelivery): Promise<void> {
    const context = {
      deliveryKey: claim.deliveryKey,
      conversionId: claim.conversionId,
      affiliateId: claim.affiliateId,
      attempt: claim.attempts,
      url: claim.urlMasked,
    };
    if (claim.attempts > this.settings.maxAttempts) {
      // Its last attempt ended without a record (a crash): it has had its attempts.
      await this.giveUp(claim, { statusCode: null, error: claim.lastError ?? 'attempts exhausted', latencyMs: null });
      return;
    }

    const outcome = await this.deps.sender.send({
      method: claim.method,
      url: claim.url,
      body: claim.body,
      headers: this.headers(claim),
    });
    this.outcomes.inc({ outcome: outcome.kind });
    if (outcome.kind !== 'refused') this.latency.observe(outcome.latencyMs / 1000);
    const record = recordOf(outcome);

    switch (outcome.kind) {
      case 'delivered':
        await persist(() => this.deps.deliveries.recordDelivered(claim, record));
        this.finished.inc({ state: 'delivered' });
        this.deps.logger.info({ ...context, statusCode: outcome.statusCode, latencyMs: outcome.latencyMs }, 'postback delivered');
        await this.endpointAnswered(claim);
        return;
      case 'retryable': {
        const health = await persist(() => this.deps.health.recordFailure(claim.affiliateId, outcome.error, claim.probe));
        if (health.paused) {
          this.deps.logger.warn(
            {
              affiliateId: claim.affiliateId,
              consecutiveFailures: health.consecutiveFailures,
              pausedUntil: health.pausedUntil,
              error: outcome.detail,
            },
            'affiliate postbacks paused: the endpoint keeps failing',
          );
        }
        if (claim.attempts >= this.settings.maxAttempts) {
          await this.giveUp(claim, record, outcome.detail);
          return;
        }
        const backoff = retryDelayMs(this.settings.backoff, claim.attempts);
        const delayMs = Math.min(this.settings.backoff.maxMs, Math.max(backoff, outcome.retryAfterMs ?? 0));
        await persist(() => this.deps.deliveries.recordRetry(claim, record, delayMs));
        this.deps.logger.warn(
          { ...context, error: outcome.detail, statusCode: outcome.statusCode, retryInMs: delayMs },
          'postback attempt failed; will retry',
        );
        return;
      }
      case 'rejected':
        await this.giveUp(claim, record, outcome.detail);
        await this.endpointAnswered(claim);
        return;
      case 'refused':
        await persist(() => this.deps.deliveries.recordGaveUp(claim, record, 'refused'));
        this.finished.inc({ state: 'refused' });
        this.deps.logger.warn({ ...context, error: outcome.detail }, 'postback refused: target not allowed');
    }
  }

  /** Any answer, even a 4xx, shows the endpoint is up again: its failure count restarts and a pause ends. */
  private async endpointAnswered(claim: ClaimedDelivery): Promise<void> {
    if (!claim.probe && claim.affiliateFailures === 0) return;
    const { wasPausedAt } = await persist(() => this.deps.health.recordSuccess(claim.affiliateId));
    if (wasPausedAt) {
      this.deps.logger.warn({ affiliateId: claim.affiliateId, pausedAt: wasPausedAt }, 'affiliate postbacks resumed');
    }
  }

  /** Dead-letter first, then the final state: a crash in between dead-letters it again rather than losing it. */
  private async giveUp(claim: ClaimedDelivery, record: AttemptRecord, detail?: string): Promise<void> {
    const error = record.error ?? 'attempts exhausted';
    await this.deps.deadLetter(claim, error);
    await persist(() => this.deps.deliveries.recordGaveUp(claim, record, 'dead_lettered'));
    this.finished.inc({ state: 'dead_lettered' });
    const { deliveryKey, conversionId, affiliateId, attempts } = claim;
    this.deps.logger.warn({ deliveryKey, conversionId, affiliateId, attempts, error: detail ?? error }, 'postback dead-lettered');
  }

  private headers(claim: ClaimedDelivery): Record<string, string> {
    const headers: Record<string, string> = {
      [IDEMPOTENCY_HEADER]: claim.deliveryKey,
      'x-tracklane-delivery-attempt': String(claim.attempts),
    };
    const secret = this.deps.catalog().affiliate(claim.affiliateId)?.postbackSecret;
    if (secret) {
      const url = new URL(claim.url);
      headers[SIGNATURE_HEADER] = signatureHeader(secret, {
        timestamp: Math.floor(Date.now() / 1000),
        idempotencyKey: claim.deliveryKey,
        method: claim.method,
        pathAndQuery: `${url.pathname}${url.search}`,
        body: claim.body,
      });
    }
    return headers;
  }
}

function recordOf(outcome: AttemptOutcome): AttemptRecord {
  switch (outcome.kind) {
    case 'delivered':
      return { statusCode: outcome.statusCode, error: null, latencyMs: outcome.latencyMs };
    case 'refused':
      return { statusCode: null, error: outcome.error, latencyMs: null };
    default:
      return { statusCode: outcome.statusCode, error: outcome.error, latencyMs: outcome.latencyMs };
  }
}

/** A result already sent must be recorded: a short database outage should not turn into a resend. */
async function persist<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}
