/**
 * What one click costs in storage, measured on the real stores (the inputs
 * of the README's capacity model):
 *
 *   npm run capacity:footprint [-- --clicks 200000]
 *
 * Kafka: bytes on the broker's disk per clicks.v1 message, read from the
 * partition's log directory (KAFKA_DATA_DIR, default the local broker's).
 * PostgreSQL: bytes per row of attribution's clicks and reporting's
 * rep_clicks with their indexes (rows shaped like the benchmark's visitor mix).
 * Redis: bytes per click kept for the join (attr:click:<id>) and per
 * visitor's uniqueness key (click:u:…), by MEMORY USAGE.
 * Everything lives in a private database, topics and key prefix, removed at
 * the end.
 */
import { clicksV1, ClickV1, newId, topicNames } from '@tracklane/contracts';
import { createTestStack, defaultToLocalServices, machineLine, waitFor } from '@tracklane/testing';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import Redis from 'ioredis';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const CLICKS = argument('clicks', 200_000);
const DATA_DIR = process.env.KAFKA_DATA_DIR ?? join(homedir(), '.local', 'state', 'tracklane', 'kafka-9092', 'data');
const USER_AGENT = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

/** A click as the visitor mix makes them: two sub ids, a source, a referrer, a browser's user agent. */
function click(index: number): ClickV1 {
  return {
    v: 1,
    clickId: newId(),
    occurredAt: new Date().toISOString(),
    offerId: 1 + (index % 50),
    advertiserId: 1 + (index % 20),
    affiliateId: 1 + (index % 500),
    sub1: `sub-${index % 1000}`,
    sub2: index % 2 === 0 ? `kw-${index % 5000}` : null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: 'newsletter',
    affClickId: null,
    ip: `198.18.${index % 256}.${index % 251}`,
    userAgent: USER_AGENT,
    referrer: `https://publisher.example/articles/${index % 10_000}`,
    country: 'DE',
    device: 'mobile',
    unique: true,
    flags: [],
    disposition: 'accepted',
    params: {},
  };
}

const perUnit = (bytes: number, count: number) => (bytes / count).toFixed(0);

async function main(): Promise<void> {
  defaultToLocalServices();
  const stack = await createTestStack({ partitions: 1 });
  const pool = new Pool({ connectionString: stack.database.url });
  const redis = new Redis(stack.env.REDIS_URL);
  const producer = stack.topics.kafka.producer();
  try {
    const clicks = Array.from({ length: CLICKS }, (_, index) => click(index));
    const encoded = clicks.map((value) => clicksV1.encode(value));
    const messageBytes = encoded.reduce((sum, value) => sum + Buffer.byteLength(value) + 30, 0);

    // Kafka: the partition's log segments (one partition, so one directory).
    const topic = topicNames(clicksV1, stack.topics.prefix).main;
    await producer.connect();
    for (let start = 0; start < clicks.length; start += 1_000) {
      const messages = clicks.slice(start, start + 1_000).map((value, offset) => ({ key: value.clickId, value: encoded[start + offset] }));
      await producer.send({ topic, messages, acks: -1 });
    }
    const logDir = join(DATA_DIR, `${topic}-0`);
    let kafkaLine = `Kafka: ${perUnit(messageBytes, CLICKS)} bytes of key and value a message (no log directory at ${logDir}: set KAFKA_DATA_DIR)`;
    if (existsSync(logDir)) {
      // Index files are preallocated; the .log segments are what grows.
      const logBytes = () =>
        Number(execFileSync('sh', ['-c', `cat ${JSON.stringify(logDir)}/*.log | wc -c`]).toString().trim());
      await waitFor(() => logBytes() > messageBytes * 0.5, { what: 'segments written' });
      kafkaLine = `Kafka: ${perUnit(logBytes(), CLICKS)} bytes on disk a message, one replica (key and value: ${perUnit(messageBytes, CLICKS)})`;
    }

    // PostgreSQL: the same clicks into attribution's and reporting's tables, with their indexes.
    await pool.query('SELECT attribution_ensure_click_partitions(ARRAY[current_date])');
    await pool.query('SELECT reporting_ensure_raw_partitions(ARRAY[now()])');
    const rows = JSON.stringify(clicks);
    for (const [table, timeColumn, extra] of [
      ['clicks', 'clicked_at', ''],
      ['rep_clicks', 'occurred_at', ', currency, is_invalid'],
    ] as const) {
      await pool.query(
        `INSERT INTO ${table} (click_id, ${timeColumn}, offer_id, advertiser_id, affiliate_id, sub1, sub2, source, ip, user_agent,
                               referrer, country, device, is_unique, disposition${extra})
         SELECT c->>'clickId', (c->>'occurredAt')::timestamptz, (c->>'offerId')::int, (c->>'advertiserId')::int, (c->>'affiliateId')::int,
                c->>'sub1', c->>'sub2', c->>'source', c->>'ip', c->>'userAgent', c->>'referrer', c->>'country', c->>'device', true, 'accepted'
                ${extra ? ", 'USD', false" : ''}
           FROM json_array_elements($1::json) AS c`,
        [rows],
      );
    }
    await pool.query('VACUUM ANALYZE clicks, rep_clicks');
    const size = async (table: string) =>
      Number(
        (
          await pool.query<{ bytes: string }>(
            `SELECT sum(pg_total_relation_size(relid))::bigint AS bytes FROM pg_partition_tree($1::regclass)`,
            [table],
          )
        ).rows[0].bytes,
      );

    // Redis: the join's copy of a click, as attribution writes it.
    const prefix = stack.env.REDIS_KEY_PREFIX;
    const sample = clicks.slice(0, 2_000);
    const packed = (value: ClickV1) =>
      JSON.stringify([Date.now(), value.offerId, value.advertiserId, value.affiliateId, value.sub1, value.sub2, null, null, null, value.source, null, value.country, value.device, 1, [], 'accepted']);
    const pipeline = redis.pipeline();
    for (const value of sample) pipeline.set(`${prefix}attr:click:${value.clickId}`, packed(value), 'EX', 3_600);
    await pipeline.exec();
    let redisBytes = 0;
    for (const value of sample) redisBytes += Number(await redis.call('MEMORY', 'USAGE', `${prefix}attr:click:${value.clickId}`));
    // click-ingest's uniqueness key of each visitor on an offer and affiliate (libs/tracking/src/checks/click-checks.ts).
    const uniqueKeys = sample.map((value) => `${prefix}click:u:${value.offerId}:${value.affiliateId}:${value.clickId.slice(0, 27)}`);
    const uniques = redis.pipeline();
    for (const name of uniqueKeys) uniques.set(name, '1', 'EX', 86_400);
    await uniques.exec();
    let uniqueBytes = 0;
    for (const name of uniqueKeys) uniqueBytes += Number(await redis.call('MEMORY', 'USAGE', name));

    console.log(`Storage per click, ${CLICKS.toLocaleString('en-US')} clicks shaped like the visitor mix`);
    console.log(machineLine());
    console.log(kafkaLine);
    console.log(`PostgreSQL clicks (attribution, with its key): ${perUnit(await size('clicks'), CLICKS)} bytes a click`);
    console.log(`PostgreSQL rep_clicks (reporting, with 4 indexes): ${perUnit(await size('rep_clicks'), CLICKS)} bytes a click`);
    console.log(`Redis attr:click:<id> (the join's copy of a click, kept for ATTRIBUTION_CLICK_CACHE_HOURS at most): ${perUnit(redisBytes, sample.length)} bytes a click`);
    console.log(`Redis click:u:… (a visitor's uniqueness on an offer, kept CLICK_UNIQUE_WINDOW_SECONDS): ${perUnit(uniqueBytes, sample.length)} bytes a unique click`);
  } finally {
    await producer.disconnect();
    redis.disconnect();
    await pool.end();
    await stack.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
