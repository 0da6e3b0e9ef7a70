/**
 * Projection benchmark (`npm run bench:reporting-projection`), on the real
 * Kafka and Postgres named by KAFKA_BROKERS and DATABASE_URL, with a private
 * database and topics. Reporting runs as its own process; this process
 * publishes clicks.v1 and attributions.v1 straight into Kafka at fixed rates
 * (one conversion per 100 clicks) and measures:
 *
 *   - the sustained rate: clicks projected per second, from the phase's first
 *     send until its last click is in the read model (or, when the projector
 *     cannot keep up, what it projected by the end of the drain time)
 *   - lag to reports p50/p99: from the send of a sampled click or attribution
 *     event until it is in the read model, looked up by id (raw rows and
 *     rollups commit in one transaction, so a row seen is a row reported)
 *
 * First phase, the baseline the others are compared with: the projection
 * as it was, a transaction per partition batch and two partitions at a time
 * (REPORTING_PROJECTOR_WINDOW_MS=0, CONCURRENCY=2; JIT off in both, the
 * README's profile gives that figure apart). The database commits synchronously, as in
 * production (test databases do not).
 *
 * Last phase: attribution's own click rate on the same run and topics:
 * reporting stops, attribution starts and consumes the clicks the phases
 * published (a backlog, so at its full rate) for BENCH_ATTRIBUTION_SECONDS
 * (15; 0 skips it), measured by its committed offsets; printed beside the
 * highest rate the windows projected.
 *
 * Settings: BENCH_RATES (1000,5000,20000 clicks/s), BENCH_SECONDS (10 per
 * rate), BENCH_DRAIN_SECONDS (10), BENCH_PARTITIONS (12), BENCH_BASELINE
 * (5000 clicks/s, more than it sustains, so that it shows its ceiling; 0
 * skips it). Keep it short: about 70 s with the defaults.
 */
import { AttributionV1, ClickV1, attributionsV1, clicksV1, newId, topicNames } from '@tracklane/contracts';
import { ServiceProcess, TestStack, createTestStack, defaultToLocalServices, loadLine, machineLine } from '@tracklane/testing';
import { Partitioners, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { CATALOG } from '../test/fixtures';

const numbers = (name: string, fallback: string): number[] =>
  (process.env[name] ?? fallback).split(',').map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a comma-separated list of whole numbers`);
    return value;
  });
const RATES = numbers('BENCH_RATES', '1000,5000,20000');
const [SECONDS] = numbers('BENCH_SECONDS', '10');
const [DRAIN_SECONDS] = numbers('BENCH_DRAIN_SECONDS', '10');
const [PARTITIONS] = numbers('BENCH_PARTITIONS', '12');
const [BASELINE_RATE] = numbers('BENCH_BASELINE', '5000');
const [ATTRIBUTION_SECONDS] = numbers('BENCH_ATTRIBUTION_SECONDS', '15');
const TICK_MS = 50;
/** Every this many clicks one is sampled for the lag. */
const SAMPLE_EVERY = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

const OFFERS = [
  { offerId: 10, advertiserId: 1, currency: 'USD' },
  { offerId: 11, advertiserId: 1, currency: 'USD' },
  { offerId: 20, advertiserId: 2, currency: 'EUR' },
];
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'BR'];

function click(at: number, index: number): ClickV1 {
  const offer = OFFERS[index % OFFERS.length];
  return {
    v: 1,
    clickId: newId(at),
    occurredAt: new Date(at).toISOString(),
    offerId: offer.offerId,
    advertiserId: offer.advertiserId,
    affiliateId: index % 7 === 0 ? 8 : 7,
    sub1: `campaign-${index % 100}`,
    sub2: 'banner-300x250',
    sub3: null,
    sub4: null,
    sub5: null,
    source: 'newsletter',
    affClickId: `aff-${index}`,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
    referrer: 'https://publisher.example/article/42',
    country: COUNTRIES[index % COUNTRIES.length],
    device: index % 3 === 0 ? 'desktop' : 'mobile',
    unique: index % 4 !== 0,
    flags: [],
    disposition: 'accepted',
    params: {},
  };
}

function decision(of: ClickV1, at: number, index: number): AttributionV1 {
  const conversionId = newId(at);
  const decidedAt = new Date(at).toISOString();
  return {
    v: 1,
    kind: 'decision',
    eventId: conversionId,
    conversionId,
    clickId: of.clickId,
    advertiserId: of.advertiserId,
    offerId: of.offerId,
    affiliateId: of.affiliateId,
    goalId: null,
    goalCode: null,
    status: index % 5 === 0 ? 'pending' : 'approved',
    previousStatus: null,
    reason: 'attributed',
    revenue: `${10 + (index % 190)}.2500`,
    payout: `${5 + (index % 90)}.1000`,
    currency: OFFERS.find((offer) => offer.offerId === of.offerId)?.currency ?? 'USD',
    saleAmount: null,
    orderId: `order-${conversionId}`,
    clickAt: of.occurredAt,
    convertedAt: decidedAt,
    decidedAt,
    sub1: of.sub1,
    sub2: of.sub2,
    sub3: of.sub3,
    sub4: of.sub4,
    sub5: of.sub5,
    source: of.source,
    affClickId: of.affClickId,
    country: of.country,
    device: of.device,
  };
}

interface Phase {
  name: string;
  rate: number;
  offered: number;
  sustained: number;
  /** Clicks sent and clicks in the read model at the end. */
  sent: number;
  projected: number;
  clickLag: number[];
  eventLag: number[];
  unseen: number;
  /** The projector's transactions during the phase, from its /metrics. */
  transactions?: { count: number; seconds: number; wall: number };
}

/** Count and total seconds of the projector's transactions so far (tracklane_reporting_projection_window_seconds). */
async function transactionTotals(url: string): Promise<{ count: number; seconds: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { count: value('tracklane_reporting_projection_window_seconds_count'), seconds: value('tracklane_reporting_projection_window_seconds_sum') };
}

/** Runs a phase and adds how many transactions the projector ran in it and how long they took. */
async function measuredPhase(service: ServiceProcess, run: () => Promise<Phase>): Promise<Phase> {
  const before = await transactionTotals(service.url);
  const started = Date.now();
  const phase = await run();
  const after = await transactionTotals(service.url);
  return { ...phase, transactions: { count: after.count - before.count, seconds: after.seconds - before.seconds, wall: (Date.now() - started) / 1000 } };
}

/** Samples sent and not yet seen in the read model, with their send times. */
class LagProbe {
  readonly clicks = new Map<string, number>();
  readonly events = new Map<string, number>();
  readonly clickLag: number[] = [];
  readonly eventLag: number[] = [];

  constructor(private readonly pool: Pool) {}

  /** One look: whatever sample is in the read model now gets its lag. */
  async look(): Promise<void> {
    const now = Date.now();
    const [clicks, events] = await Promise.all([
      this.clicks.size ? this.pool.query<{ id: string }>('SELECT click_id AS id FROM rep_clicks WHERE click_id = ANY($1)', [[...this.clicks.keys()]]) : null,
      this.events.size
        ? this.pool.query<{ id: string }>('SELECT event_id AS id FROM rep_attribution_events WHERE event_id = ANY($1)', [[...this.events.keys()]])
        : null,
    ]);
    for (const { id } of clicks?.rows ?? []) {
      this.clickLag.push(now - (this.clicks.get(id) as number));
      this.clicks.delete(id);
    }
    for (const { id } of events?.rows ?? []) {
      this.eventLag.push(now - (this.events.get(id) as number));
      this.events.delete(id);
    }
  }

  get pending(): number {
    return this.clicks.size + this.events.size;
  }
}

async function projectedClicks(pool: Pool): Promise<number> {
  return (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM rep_clicks')).rows[0].n;
}

async function runPhase(name: string, rate: number, producer: Producer, pool: Pool, prefix: string): Promise<Phase> {
  const clickTopic = topicNames(clicksV1, prefix).main;
  const eventTopic = topicNames(attributionsV1, prefix).main;
  const probe = new LagProbe(pool);
  const before = await projectedClicks(pool);
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const ticks = Math.round((SECONDS * 1000) / TICK_MS);
  const started = Date.now();
  let sent = 0;
  let looking = Promise.resolve();
  for (let tick = 0; tick < ticks; tick++) {
    const due = started + tick * TICK_MS;
    if (due > Date.now()) await sleep(due - Date.now());
    const now = Date.now();
    const clicks = Array.from({ length: perTick }, (_, index) => click(now, sent + index));
    const events = clicks.filter((_, index) => (sent + index) % 100 === 99).map((clicked, index) => decision(clicked, now, sent + index));
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        { topic: clickTopic, messages: clicks.map((value) => ({ key: clicksV1.keyOf(value), value: clicksV1.encode(value) })) },
        ...(events.length ? [{ topic: eventTopic, messages: events.map((value) => ({ key: attributionsV1.keyOf(value), value: attributionsV1.encode(value) })) }] : []),
      ],
    });
    clicks.forEach((value, index) => (sent + index) % SAMPLE_EVERY === 0 && probe.clicks.set(value.clickId, now));
    for (const event of events) probe.events.set(event.eventId, now);
    sent += clicks.length;
    if (tick % 4 === 0) looking = looking.then(() => probe.look());
  }
  const offered = sent / ((Date.now() - started) / 1000);
  await looking;
  const deadline = Date.now() + DRAIN_SECONDS * 1000;
  let projected = (await projectedClicks(pool)) - before;
  while (projected < sent && Date.now() < deadline) {
    await sleep(100);
    await probe.look();
    projected = (await projectedClicks(pool)) - before;
  }
  const finished = Date.now();
  await probe.look();
  return {
    name,
    rate,
    offered,
    sustained: projected / ((finished - started) / 1000),
    sent,
    projected,
    clickLag: probe.clickLag.sort((a, b) => a - b),
    eventLag: probe.eventLag.sort((a, b) => a - b),
    unseen: probe.pending,
  };
}

/** Clicks attribution consumed per second from the backlog, by its committed offsets, over `seconds` from its first commit. */
async function attributionClickRate(stack: TestStack, seconds: number): Promise<number> {
  const admin = stack.topics.kafka.admin();
  await admin.connect();
  const topic = topicNames(clicksV1, stack.topics.prefix).main;
  const committed = async () => {
    const [offsets] = await admin.fetchOffsets({ groupId: `${stack.topics.prefix}attribution-clicks`, topics: [topic] });
    return offsets.partitions.reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
  };
  try {
    let first = { at: Date.now(), done: await committed() };
    const giveUp = Date.now() + 60_000;
    while (first.done === 0 && Date.now() < giveUp) {
      await sleep(100);
      first = { at: Date.now(), done: await committed() };
    }
    await sleep(seconds * 1000);
    const done = await committed();
    return (done - first.done) / ((Date.now() - first.at) / 1000);
  } finally {
    await admin.disconnect();
  }
}

function line(phase: Phase, baseline?: Phase): string {
  const lag = (values: number[]) => `p50 ${percentile(values, 50)} ms / p99 ${percentile(values, 99)} ms`;
  // Kept up: the rate offered was projected as it came (within 5 %); else it fell behind, and either caught up in the drain or not.
  const kept =
    phase.projected < phase.sent
      ? `NOT sustained: ${phase.projected} of ${phase.sent} clicks projected by the end of the drain`
      : phase.sustained >= 0.95 * phase.offered
        ? 'kept up'
        : 'fell behind the offered rate; caught up in the drain';
  const ratio = baseline ? `, ${(phase.sustained / baseline.sustained).toFixed(1)}× the baseline` : '';
  return (
    `${phase.name}: offered ${Math.round(phase.offered)} clicks/s → projected ${Math.round(phase.sustained)} clicks/s${ratio} (${kept}); ` +
    `lag to reports by id: clicks ${lag(phase.clickLag)}, attributions ${lag(phase.eventLag)}` +
    (phase.unseen ? `; ${phase.unseen} samples never seen (counted out of the percentiles)` : '') +
    (phase.transactions
      ? `; ${phase.transactions.count} projection transactions, ${Math.round((phase.projected / Math.max(phase.transactions.count, 1)))} clicks and ` +
        `${Math.round((phase.transactions.seconds * 1000) / Math.max(phase.transactions.count, 1))} ms each, in them ${Math.round((phase.transactions.seconds / phase.transactions.wall) * 100)} % of the phase`
      : '')
  );
}

async function main(): Promise<void> {
  defaultToLocalServices();
  log(machineLine());
  log(`load before: ${loadLine()}`);
  const stack: TestStack = await createTestStack({ partitions: PARTITIONS });
  const pool = new Pool({ connectionString: stack.database.url, max: 4 });
  let service: ServiceProcess | null = null;
  const producer = stack.topics.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  const results: Phase[] = [];
  let attribution = NaN;
  try {
    await pool.query(CATALOG);
    await pool.query(`ALTER DATABASE ${stack.database.name} SET synchronous_commit = on`);
    await producer.connect();
    const start = async (env: Record<string, string>) =>
      ServiceProcess.start({ app: 'reporting', env: { ...stack.env, ...env }, startTimeoutMs: 90_000 });

    if (BASELINE_RATE > 0) {
      service = await start({ REPORTING_PROJECTOR_WINDOW_MS: '0', REPORTING_PROJECTOR_CONCURRENCY: '2' });
      const cpu = service.pid;
      const baseline = service;
      results.push(
        await measuredPhase(baseline, () =>
          runPhase(`baseline (a transaction per partition batch) at ${BASELINE_RATE}/s`, BASELINE_RATE, producer, pool, stack.topics.prefix),
        ),
      );
      log(`${line(results[0])} [reporting pid ${cpu}]`);
      await service.stop();
      service = null;
    }
    service = await start({});
    for (const rate of RATES) {
      const windows = service;
      const phase = await measuredPhase(windows, () => runPhase(`windows at ${rate}/s`, rate, producer, pool, stack.topics.prefix));
      results.push(phase);
      log(line(phase, BASELINE_RATE > 0 ? results[0] : undefined));
    }
    await service.stop();
    service = null;
    if (ATTRIBUTION_SECONDS > 0) {
      service = await ServiceProcess.start({ app: 'attribution', env: stack.env, startTimeoutMs: 90_000 });
      attribution = await attributionClickRate(stack, ATTRIBUTION_SECONDS);
    }
  } finally {
    await service?.stop();
    await producer.disconnect();
    await pool.end();
    await stack.destroy();
  }
  log(`load after: ${loadLine()}`);
  const lines = results.map((phase) => line(phase, BASELINE_RATE > 0 && phase !== results[0] ? results[0] : undefined));
  if (ATTRIBUTION_SECONDS > 0) {
    const best = Math.max(...results.slice(BASELINE_RATE > 0 ? 1 : 0).map((phase) => phase.sustained));
    lines.push(`attribution's own click rate on this run (its backlog, ${ATTRIBUTION_SECONDS} s): ${Math.round(attribution)} clicks/s; the windows' best: ${Math.round(best)} clicks/s = ${(best / attribution).toFixed(2)}× attribution's`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
