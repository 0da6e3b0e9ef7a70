import { Counter, Gauge, Registry } from 'prom-client';

function counter(registry: Registry, name: string, help: string): Counter {
  return (
    (registry.getSingleMetric(name) as Counter | undefined) ??
    new Counter({ name, help, labelNames: ['spool'], registers: [registry] })
  );
}

function gauge(registry: Registry, name: string, help: string): Gauge {
  return (
    (registry.getSingleMetric(name) as Gauge | undefined) ??
    new Gauge({ name, help, labelNames: ['spool'], registers: [registry] })
  );
}

/** What a spool reports to /metrics, labelled with the spool's name. */
export class SpoolMetrics {
  private readonly depth: Gauge.Internal<string>;
  private readonly bytes: Gauge.Internal<string>;
  private readonly bypassing: Gauge.Internal<string>;
  private readonly appendedTotal: Counter.Internal;
  private readonly replayedTotal: Counter.Internal;
  private readonly lateAckedTotal: Counter.Internal;
  private readonly replayFailuresTotal: Counter.Internal;

  constructor(registry: Registry, spool: string) {
    this.depth = gauge(registry, 'tracklane_spool_depth', 'Spooled messages not yet delivered to Kafka').labels(spool);
    this.bytes = gauge(registry, 'tracklane_spool_bytes', 'Bytes of spool segment files on disk').labels(spool);
    this.bypassing = gauge(
      registry,
      'tracklane_spool_kafka_presumed_down',
      '1 while Kafka is presumed down and new messages go straight to the spool',
    ).labels(spool);
    this.bypassing.set(0);
    this.appendedTotal = counter(
      registry,
      'tracklane_spool_appended_total',
      'Messages written to the spool because Kafka did not acknowledge them in time',
    ).labels(spool);
    this.replayedTotal = counter(registry, 'tracklane_spool_replayed_total', 'Spooled messages replayed to Kafka').labels(spool);
    this.lateAckedTotal = counter(
      registry,
      'tracklane_spool_late_acks_total',
      'Spooled messages whose original send succeeded after its deadline (not replayed)',
    ).labels(spool);
    this.replayFailuresTotal = counter(
      registry,
      'tracklane_spool_replay_failures_total',
      'Replay attempts Kafka did not acknowledge (retried)',
    ).labels(spool);
    // Exported at zero from the start, so a rate() over them sees the first increment.
    for (const total of [this.appendedTotal, this.replayedTotal, this.lateAckedTotal, this.replayFailuresTotal]) total.inc(0);
  }

  appended(count: number, depth: number): void {
    this.appendedTotal.inc(count);
    this.depth.set(depth);
  }

  replayed(count: number, depth: number): void {
    this.replayedTotal.inc(count);
    this.depth.set(depth);
  }

  lateAcked(count: number, depth: number): void {
    this.lateAckedTotal.inc(count);
    this.depth.set(depth);
  }

  replayFailed(): void {
    this.replayFailuresTotal.inc();
  }

  kafkaPresumedDown(down: boolean): void {
    this.bypassing.set(down ? 1 : 0);
  }

  depthIs(depth: number): void {
    this.depth.set(depth);
  }

  segmentBytes(bytes: number): void {
    this.bytes.set(bytes);
  }

  recovered(depth: number, bytes: number): void {
    this.depth.set(depth);
    this.bytes.set(bytes);
  }
}
