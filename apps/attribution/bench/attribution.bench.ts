/**
 * Attribution benchmark (`npm run bench:attribution`), on the real Kafka,
 * Postgres and Redis named by KAFKA_BROKERS, DATABASE_URL and REDIS_URL, with
 * a private database, topics and Redis prefix. The service runs as its own
 * process; this process generates the load and measures.
 *
 *   1. baseline: the click rows as plain multi-row INSERTs into the clicks
 *      table, as many statements at once as the service works on partitions
 *   2. clicks/s from Kafka into Postgres (and Redis), and the ratio to 1
 *   3. conversions/s attributed end to end (decided, booked, published, committed)
 *   4. click-to-ledger and postback-to-ledger lag, p50/p99, at a steady rate,
 *      postbacks sent over HTTP to a postback-ingest of their own (see
 *      steadyLoad for what each measures)
 *
 * Sizes: BENCH_CLICKS (200000), BENCH_CONVERSIONS (30000), BENCH_RATE
 * (1000 conversions/s), BENCH_SECONDS (20), BENCH_PARTITIONS (12),
 * BENCH_POSTBACK_AFTER_MS (2000: how long after its click a postback is sent).
 */
import { checkBooks, seedNetwork } from '@tracklane/attribution/testing';
import { ClickV1, ConversionV1, clicksV1, conversionsV1, idTime, newId, topicNames } from '@tracklane/contracts';
import { KafkaMessageProducer } from '@tracklane/messaging';
import { migrate } from '@tracklane/db';
import {
  ServiceProcess,
  createTestRedis,
  createTestTopics,
  defaultToLocalServices,
  loadLine,
  machineLine,
  testServices,
  waitFor,
} from '@tracklane/testing';
import { Kafka } from 'kafkajs';
import { cpus, loadavg } from 'node:os';
import { Pool } from 'pg';

const size = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const CLICKS = size('BENCH_CLICKS', 200_000);
const CONVERSIONS = Math.min(size('BENCH_CONVERSIONS', 30_000), CLICKS);
const RATE = size('BENCH_RATE', 1_000);
const SECONDS = size('BENCH_SECONDS', 20);
const POSTBACK_AFTER_MS = size('BENCH_POSTBACK_AFTER_MS', 2_000);
const PARTITIONS = size('BENCH_PARTITIONS', 12);
/** The service's CONSUMER_CONCURRENCY default: partitions it works on at once, so INSERTs it can have in flight. */
const SERVICE_PARALLELISM = Math.min(PARTITIONS, 12);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

function click(now: number): ClickV1 {
  const at = now - Math.floor(Math.random() * 600_000);
  return {
    v: 1,
    clickId: newId(at),
    occurredAt: new Date(at).toISOString(),
    offerId: 1,
    advertiserId: 1,
    affiliateId: 1 + Math.floor(Math.random() * 20),
    sub1: `campaign-${Math.floor(Math.random() * 100)}`,
    sub2: 'banner-300x250',
    sub3: null,
    sub4: null,
    sub5: null,
    source: 'newsletter',
    affClickId: `aff-${Math.floor(Math.random() * 1e9)}`,
    ip: `203.0.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`,
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
    referrer: 'https://publisher.example/article/42',
    country: 'DE',
    device: 'mobile',
    unique: true,
    flags: [],
    disposition: 'accepted',
    params: {},
  };
}

function conversion(of: ClickV1, receivedAt: number): ConversionV1 {
  const conversionId = newId(receivedAt);
  return {
    v: 1,
    kind: 'conversion',
    eventId: conversionId,
    conversionId,
    receivedAt: new Date(receivedAt).toISOString(),
    clickId: of.clickId,
    advertiserId: 1,
    goal: null,
    amount: (10 + Math.random() * 190).toFixed(2),
    currency: 'USD',
    orderId: `order-${conversionId}`,
    status: null,
    advSub1: null,
    advSub2: null,
    advSub3: null,
    advSub4: null,
    advSub5: null,
    raw: {},
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function committed(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets.partitions.reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Rate of a consumer group working through `total` messages: from its first commit to its last. */
async function consumptionRate(kafka: Kafka, groupId: string, topic: string, total: number): Promise<{ perSecond: number; seconds: number }> {
  let first: { at: number; done: number } | undefined;
  let progress = { at: Date.now(), done: 0 };
  for (;;) {
    const done = await committed(kafka, groupId, topic);
    const at = Date.now();
    if (done > progress.done) progress = { at, done };
    if (at - progress.at > 60_000) throw new Error(`${groupId} stalled at ${done} of ${total} messages`);
    if (!first && done > 0) first = { at, done };
    if (first && done >= total) {
      const seconds = (at - first.at) / 1000;
      return { perSecond: (done - first.done) / Math.max(seconds, 0.001), seconds };
    }
    await sleep(100);
  }
}

const INSERT_COLUMNS =
  'click_id, clicked_at, offer_id, advertiser_id, affiliate_id, sub1, sub2, sub3, sub4, sub5, source, aff_click_id, ' +
  'ip, user_agent, referrer, country, device, is_unique, flags, disposition, params';

/**
 * The same rows through the plainest fast path: multi-row INSERT … VALUES,
 * 1,000 rows a statement, SERVICE_PARALLELISM statements at a time (the
 * service writes that many partitions' batches at once).
 */
async function baselineInsert(pool: Pool, clicks: ClickV1[]): Promise<number> {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    for (let offset = next; offset < clicks.length; offset = next) {
      next += 1_000;
      await insertRows(pool, clicks.slice(offset, offset + 1_000));
    }
  };
  await Promise.all(Array.from({ length: SERVICE_PARALLELISM }, worker));
  return clicks.length / ((Date.now() - started) / 1000);
}

async function insertRows(pool: Pool, chunk: ClickV1[]): Promise<void> {
  {
    const values: unknown[] = [];
    const rows = chunk.map((each, row) => {
      values.push(
        each.clickId,
        new Date(idTime(each.clickId)).toISOString(),
        each.offerId,
        each.advertiserId,
        each.affiliateId,
        each.sub1,
        each.sub2,
        each.sub3,
        each.sub4,
        each.sub5,
        each.source,
        each.affClickId,
        each.ip,
        each.userAgent,
        each.referrer,
        each.country,
        each.device,
        each.unique,
        each.flags,
        each.disposition,
        null,
      );
      return `(${Array.from({ length: 21 }, (_, column) => `$${row * 21 + column + 1}`).join(', ')})`;
    });
    await pool.query(`INSERT INTO clicks (${INSERT_COLUMNS}) VALUES ${rows.join(', ')}`, values);
  }
}

/** Postbacks in the first seconds after postback-ingest started, reported apart from the steady state. */
const FIRST_POSTBACKS_MS = 5_000;

interface Lags {
  /** Sorted, milliseconds. */
  click: number[];
  /** Postbacks sent after the first FIRST_POSTBACKS_MS. */
  postback: number[];
  /** From sending the HTTP postback to its answer (postback-ingest answers once Kafka holds the event). */
  answer: number[];
  /** The same two for the postbacks of the first FIRST_POSTBACKS_MS: a service that has just started. */
  firstPostback: number[];
  firstAnswer: number[];
  ratePerSecond: number;
}

/** Polls Postgres every 10 ms for awaited ids; records now − sent time for each id found. */
function ledgerWatch(
  pool: Pool,
  sql: string,
  record: (sentAt: number, ms: number) => void,
): { awaited: Map<string, number>; stop: () => Promise<void> } {
  const awaited = new Map<string, number>();
  let polling = true;
  const done = (async () => {
    while (polling || awaited.size > 0) {
      const ids = [...awaited.keys()];
      if (ids.length > 0) {
        const { rows } = await pool.query<{ id: string }>(sql, [ids]);
        const now = Date.now();
        for (const { id } of rows) {
          const sentAt = awaited.get(id);
          if (sentAt === undefined) continue;
          record(sentAt, now - sentAt);
          awaited.delete(id);
        }
      }
      await sleep(10);
    }
  })();
  return {
    awaited,
    stop: async () => {
      polling = false;
      await done;
    },
  };
}

/**
 * Every 50 ms: a tick's share of new clicks into clicks.v1, and postbacks
 * over HTTP to postback-ingest for the clicks sent BENCH_POSTBACK_AFTER_MS
 * earlier (2 s: a postback follows its click by far more in life; two
 * seconds keeps the conversion path apart from the click path).
 * click→ledger: from sending a click to Kafka until its row is in the
 * clicks table (where conversions find it), for every tenth click.
 * postback→ledger: from sending the HTTP postback until the conversion's
 * ledger rows are committed, for every postback. Both polled every 10 ms.
 * Postbacks of the first FIRST_POSTBACKS_MS meet a postback-ingest that has
 * just started (cold code, pools and producer still opening) and are
 * reported apart from the steady state.
 */
async function steadyLoad(pool: Pool, producer: KafkaMessageProducer, postbackUrl: string, clicksTopic: string): Promise<Lags> {
  const lags: Lags = { click: [], postback: [], answer: [], firstPostback: [], firstAnswer: [], ratePerSecond: 0 };
  let firstPostbackAt = Infinity;
  const early = (sentAt: number) => sentAt < firstPostbackAt + FIRST_POSTBACKS_MS;
  const clicksStored = ledgerWatch(pool, 'SELECT click_id AS id FROM clicks WHERE click_id = ANY($1)', (_, ms) => lags.click.push(ms));
  const booked = ledgerWatch(pool, 'SELECT DISTINCT conversion_id AS id FROM ledger_entries WHERE conversion_id = ANY($1)', (sentAt, ms) =>
    (early(sentAt) ? lags.firstPostback : lags.postback).push(ms),
  );
  const refused: string[] = [];
  const postbacks: Array<Promise<void>> = [];
  const postback = async (of: ClickV1) => {
    const sentAt = Date.now();
    firstPostbackAt = Math.min(firstPostbackAt, sentAt);
    const query = new URLSearchParams({ token: 'token-1', click_id: of.clickId, order_id: `order-${newId()}`, amount: (10 + Math.random() * 190).toFixed(2), currency: 'USD' });
    try {
      const response = await fetch(`${postbackUrl}/postback?${query}`);
      const answer = (await response.json()) as { conversionId?: string };
      (early(sentAt) ? lags.firstAnswer : lags.answer).push(Date.now() - sentAt);
      if (response.status !== 200 || !answer.conversionId) refused.push(`${response.status} ${JSON.stringify(answer)}`);
      else booked.awaited.set(answer.conversionId, sentAt);
    } catch (error) {
      // No answer (a reset connection): recorded like a refusal, so the run ends through its clean-up.
      refused.push(`no answer: ${String((error as Error).cause ?? error)}`);
    }
  };

  const tickMs = 50;
  const perTick = Math.max(1, Math.round((RATE * tickMs) / 1000));
  const history: ClickV1[][] = [];
  const started = Date.now();
  let converted = 0;
  for (let tick = 0; Date.now() - started < SECONDS * 1000; tick++) {
    const dueAt = started + tick * tickMs;
    if (dueAt > Date.now()) await sleep(dueAt - Date.now());
    const at = Date.now();
    const fresh = Array.from({ length: perTick }, () => ({ ...click(at), clickId: newId(at), occurredAt: new Date(at).toISOString() }));
    fresh.forEach((each, index) => index % 10 === 0 && clicksStored.awaited.set(each.clickId, at));
    void producer.send(
      clicksTopic,
      fresh.map((each) => ({ key: each.clickId, value: clicksV1.encode(each) })),
    );
    history.push(fresh);
    const earlier = history.length > POSTBACK_AFTER_MS / tickMs ? history.shift() : undefined;
    if (earlier) {
      for (const each of earlier) postbacks.push(postback(each));
      converted += earlier.length;
    }
  }
  lags.ratePerSecond = Math.round(converted / ((Date.now() - started - POSTBACK_AFTER_MS) / 1000));
  await producer.flush();
  await Promise.all(postbacks);
  if (refused.length > 0) throw new Error(`${refused.length} postbacks refused, e.g. ${refused[0]}`);
  await waitFor(() => booked.awaited.size === 0 && clicksStored.awaited.size === 0, {
    timeoutMs: 120_000,
    intervalMs: 100,
    what: 'every steady-load click stored and postback booked',
  });
  await Promise.all([booked.stop(), clicksStored.stop()]);
  for (const figures of [lags.click, lags.postback, lags.answer, lags.firstPostback, lags.firstAnswer]) figures.sort((a, b) => a - b);
  return lags;
}

/**
 * A database of the benchmark's own, migrated and named apart from the test
 * databases (which `npm test` sweeps away), with the commit flush on; topics
 * and Redis keys under private prefixes.
 */
async function benchStack() {
  const { databaseUrl: server } = await testServices();
  const url = new URL(server);
  const name = `tracklane_bench_attribution_${process.pid}`;
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await migrate(databaseUrl);
  const [topics, redis] = await Promise.all([createTestTopics({ partitions: PARTITIONS }), createTestRedis()]);
  return {
    databaseUrl,
    topics,
    redis,
    env: {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: topics.brokers,
      KAFKA_TOPIC_PREFIX: topics.prefix,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
    },
    destroy: async () => {
      const admin = new Pool({ connectionString: server, max: 1 });
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.end());
      await Promise.allSettled([topics.drop(), redis.drop()]);
    },
  };
}

async function main(): Promise<void> {
  defaultToLocalServices();
  const bench = await benchStack();
  const { topics } = bench;
  const pool = new Pool({ connectionString: bench.databaseUrl, max: 4 });
  const kafka = topics.kafka;
  const producer = new KafkaMessageProducer(kafka, { maxBatchMessages: 5_000 });
  const clicksTopic = topicNames(clicksV1, topics.prefix).main;
  const conversionsTopic = topicNames(conversionsV1, topics.prefix).main;
  let service: ServiceProcess | undefined;
  let postbackIngest: ServiceProcess | undefined;
  const loadBefore = loadLine();
  try {
    await seedNetwork(pool, {
      advertisers: [1],
      affiliates: Array.from({ length: 20 }, (_, index) => index + 1),
      offers: [{ id: 1 }],
      goals: [{ id: 1, offerId: 1, code: 'sale', isDefault: true, revenue: ['percent', '0', '8'], payout: ['fixed_plus_percent', '1', '5'] }],
    });
    const now = Date.now();
    const clicks = Array.from({ length: CLICKS }, () => click(now));
    await pool.query(`SELECT attribution_ensure_click_partitions(ARRAY[$1::date, $2::date])`, [
      new Date(now - 86_400_000).toISOString().slice(0, 10),
      new Date(now).toISOString().slice(0, 10),
    ]);

    log(`baseline: ${CLICKS} click rows as multi-row INSERTs`);
    const baseline = await baselineInsert(pool, clicks);
    await pool.query('TRUNCATE clicks');

    log(`publishing ${CLICKS} clicks`);
    for (let offset = 0; offset < clicks.length; offset += 5_000) {
      await producer.send(
        clicksTopic,
        clicks.slice(offset, offset + 5_000).map((each) => ({ key: each.clickId, value: clicksV1.encode(each) })),
      );
    }

    log('starting attribution');
    service = await ServiceProcess.start({
      app: 'attribution',
      env: { ...bench.env, LOG_LEVEL: 'info', CONVERSION_RETRY_INITIAL_BACKOFF_MS: '200', CONVERSION_RETRY_MAX_BACKOFF_MS: '1000' },
      startTimeoutMs: 120_000,
    });
    const clickRate = await consumptionRate(kafka, `${topics.prefix}attribution-clicks`, clicksTopic, CLICKS);
    log(`clicks: ${Math.round(clickRate.perSecond)}/s through Kafka, ${Math.round(baseline)}/s plain INSERT`);
    const stored = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM clicks')).rows[0].n;
    if (stored !== CLICKS) throw new Error(`${stored} of ${CLICKS} clicks stored`);

    log(`publishing ${CONVERSIONS} conversions`);
    const backlog = clicks.slice(0, CONVERSIONS).map((each) => conversion(each, Date.now()));
    for (let offset = 0; offset < backlog.length; offset += 5_000) {
      await producer.send(
        conversionsTopic,
        backlog.slice(offset, offset + 5_000).map((each) => ({ key: conversionsV1.keyOf(each), value: conversionsV1.encode(each) })),
      );
    }
    const conversionRate = await consumptionRate(kafka, `${topics.prefix}attribution-conversions`, conversionsTopic, CONVERSIONS);

    log(`conversions: ${Math.round(conversionRate.perSecond)}/s end to end`);
    log('starting postback-ingest for the steady load');
    // At info: ServiceProcess knows it is up from its "listening" line.
    postbackIngest = await ServiceProcess.start({ app: 'postback-ingest', env: { ...bench.env, LOG_LEVEL: 'info' }, startTimeoutMs: 120_000 });
    log(`steady load: ${RATE} clicks/s and ${RATE} postbacks/s for ${SECONDS} s`);
    const lags = await steadyLoad(pool, producer, postbackIngest.url, clicksTopic);
    const books = await checkBooks(pool);
    const balanced = books.balanced;

    const figures = {
      clicksPerSecond: Math.round(clickRate.perSecond),
      baselineInsertRowsPerSecond: Math.round(baseline),
      clicksToBaselineRatio: Number((clickRate.perSecond / baseline).toFixed(2)),
      conversionsPerSecond: Math.round(conversionRate.perSecond),
      steadyRatePerSecond: lags.ratePerSecond,
      clickToLedgerMs: { p50: percentile(lags.click, 50), p99: percentile(lags.click, 99) },
      postbackToLedgerMs: { p50: percentile(lags.postback, 50), p99: percentile(lags.postback, 99) },
      postbackAnsweredMs: { p50: percentile(lags.answer, 50), p99: percentile(lags.answer, 99) },
      firstSecondsPostbackToLedgerMs: { p50: percentile(lags.firstPostback, 50), p99: percentile(lags.firstPostback, 99) },
      firstSecondsPostbackAnsweredMs: { p50: percentile(lags.firstAnswer, 50), p99: percentile(lags.firstAnswer, 99) },
      booksBalance: balanced,
    };
    const conditions = {
      clicks: CLICKS,
      conversions: CONVERSIONS,
      partitions: PARTITIONS,
      cores: cpus().length,
      loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
      baselineParallelism: SERVICE_PARALLELISM,
    };
    console.log(machineLine());
    console.log(`load average before: ${loadBefore}; after: ${loadLine()}`);
    console.log(
      [
        `clicks  Kafka → Postgres+Redis   ${figures.clicksPerSecond.toLocaleString('en')} clicks/s (${clickRate.seconds.toFixed(1)} s)`,
        `clicks  plain multi-row INSERT   ${figures.baselineInsertRowsPerSecond.toLocaleString('en')} rows/s, ${SERVICE_PARALLELISM} statements at a time` +
          `  → ratio ${figures.clicksPerSecond.toLocaleString('en')} / ${figures.baselineInsertRowsPerSecond.toLocaleString('en')} = ${figures.clicksToBaselineRatio}`,
        `conversions attributed end to end ${figures.conversionsPerSecond.toLocaleString('en')} conversions/s (${conversionRate.seconds.toFixed(1)} s)`,
        `at ${figures.steadyRatePerSecond} conversions/s (and as many clicks/s): ` +
          `click→ledger p50 ${figures.clickToLedgerMs.p50} ms p99 ${figures.clickToLedgerMs.p99} ms; ` +
          `postback→ledger p50 ${figures.postbackToLedgerMs.p50} ms p99 ${figures.postbackToLedgerMs.p99} ms ` +
          `(of which until postback-ingest answered: p50 ${figures.postbackAnsweredMs.p50} ms p99 ${figures.postbackAnsweredMs.p99} ms), ` +
          `after the first ${FIRST_POSTBACKS_MS / 1000} s of postbacks`,
        `in the first ${FIRST_POSTBACKS_MS / 1000} s after postback-ingest started: postback→ledger p50 ${figures.firstSecondsPostbackToLedgerMs.p50} ms ` +
          `p99 ${figures.firstSecondsPostbackToLedgerMs.p99} ms (answered: p50 ${figures.firstSecondsPostbackAnsweredMs.p50} ms p99 ${figures.firstSecondsPostbackAnsweredMs.p99} ms)`,
        `books balance: ${balanced ? 'yes' : 'NO'}`,
        JSON.stringify({ figures, conditions }),
      ].join('\n'),
    );
    if (!balanced) process.exitCode = 1;
  } catch (error) {
    const problems = (service?.logs() ?? '').split('\n').filter((line) => /"level":(40|50|60)/.test(line));
    log(`service warnings and errors (last 20 of ${problems.length}):\n${problems.slice(-20).join('\n')}`);
    throw error;
  } finally {
    await postbackIngest?.stop();
    await service?.stop();
    await producer.close();
    await pool.end();
    await bench.destroy();
  }
}

main().catch((error: Error) => {
  console.error(`bench: ${error.stack ?? error.message}`);
  process.exit(1);
});
