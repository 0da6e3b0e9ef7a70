/**
 * Redirect benchmark (run on demand, not a test):
 *
 *   npm run bench:click-ingest
 *   BENCH_CONNECTIONS=64 BENCH_SECONDS=10 BENCH_PROFILE=1 npm run bench:click-ingest
 *   BENCH_TARGETING=1 npm run bench:click-ingest
 *
 * In one run, with the same visitor mix and concurrency: a bare node:http
 * server that answers every request with a fixed 302 (the ceiling), then the
 * built click-ingest with real Kafka acknowledgements (acks=all), Redis
 * checks and its spool on a real disk, then click-ingest again at half the
 * rate it peaked at. Prints both sides of every ratio, p50/p99, CPU per
 * request, and checks by id that every click id handed out in a 302 is in
 * clicks.v1 (exit 1 if one is missing). BENCH_PROFILE=1 adds a CPU profile of
 * the service at half of peak, as µs per click by package. BENCH_TARGETING=1
 * also drives, right after the peak run and in the same process, an offer
 * that targets countries, devices, systems and browsers (every list checked on
 * every click; the crawlers in the mix go to its fallback), and prints its
 * peak beside the untargeted offer's.
 *
 * Uses the Kafka, Postgres and Redis named by KAFKA_BROKERS, DATABASE_URL and
 * REDIS_URL (defaults: the local ones) with a private database, topics, key
 * prefix and spool directory, all removed at the end.
 */
import { ClickV1, clicksV1, topicNames } from '@tracklane/contracts';
import {
  BenchProcess,
  checkDelivery,
  createTestStack,
  defaultToLocalServices,
  formatDelivery,
  formatProfileSummary,
  freePort,
  loadLine,
  machineLine,
  readWholeTopic,
  summariseCpuProfile,
  waitFor,
  WORKSPACE_ROOT,
} from '@tracklane/testing';
import autocannon, { Result } from 'autocannon';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { describeMix, MixReport, nextVisitor } from './visitor-mix';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PROFILE = process.env.BENCH_PROFILE === '1';
const TARGETING = process.env.BENCH_TARGETING === '1';
/** Matches every browser of the visitor mix; its crawlers match no system or browser. */
const BENCH_TARGETING = {
  countries: ['DE', 'AT', 'CH'],
  devices: ['mobile', 'desktop'],
  operatingSystems: ['windows', 'macos', 'android', 'ios', 'linux'],
  browsers: ['chrome', 'safari', 'firefox', 'edge', 'samsung'],
};
const WARM_UP_SECONDS = 3;
const BUILT_MAIN = join(WORKSPACE_ROOT, 'dist/apps/click-ingest/apps/click-ingest/src/main.js');
const TMPFS_MAGIC = 0x01021994;

defaultToLocalServices();

const BARE_SERVER = `
  require('node:http')
    .createServer((request, response) => {
      response.writeHead(302, { location: 'https://shop.example/land?cid=01jzz0x7h3k2m4n5p6q7r8s9t0vwxy&a=1&s1=bench', 'cache-control': 'no-store' });
      response.end();
    })
    .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

/** The click ids of every 302 any run received, from the Location header. */
const redirectedIds = new Set<string>();
const CLICK_ID_IN_LOCATION = /[?&]cid=([0-9a-z]{30})(?:&|$)/;

interface Run {
  result: Result;
  /** CPU the server spent per answered request: what bounds its throughput on a core of its own. */
  cpuMicros: number;
}

const autocannonRuns: autocannon.Instance[] = [];

function cannon(label: string, url: string, seconds: number, overallRate?: number): Promise<Result> {
  process.stderr.write(`  ${label}: ${seconds} s…\n`);
  return new Promise((resolve, reject) => {
    const options: autocannon.Options = {
      url,
      connections: CONNECTIONS,
      duration: seconds,
      overallRate,
      headers: { 'cf-ipcountry': 'DE' },
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => {
            const visitor = nextVisitor();
            return { ...request, headers: { ...request.headers, 'x-forwarded-for': visitor.ip, 'user-agent': visitor.userAgent } };
          },
          onResponse: (status, _body, _context, headers) => {
            if (status !== 302) return;
            const id = CLICK_ID_IN_LOCATION.exec(String((headers as Record<string, unknown>).location ?? ''))?.[1];
            if (id && url.includes(`:${servicePort}/`)) redirectedIds.add(id);
          },
        },
      ],
    };
    autocannonRuns.push(autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));
  });
}

async function measure(label: string, url: string, server: BenchProcess, seconds: number, overallRate?: number): Promise<Run> {
  const before = server.cpuSeconds();
  const result = await cannon(label, url, seconds, overallRate);
  return { result, cpuMicros: ((server.cpuSeconds() - before) * 1e6) / result.requests.total };
}

async function metric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

async function seed(databaseUrl: string): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl });
  try {
    await pool.query(`
      INSERT INTO advertisers (id, name, postback_token) VALUES (1, 'Bench advertiser', 'bench-token');
      INSERT INTO offers (id, advertiser_id, name, visibility, destination_url)
        VALUES (1, 1, 'Bench offer', 'public', 'https://shop.example/land?cid={click_id}&a={aff_id}&s1={sub1}');
      INSERT INTO affiliates (id, name) VALUES (1, 'Bench affiliate');
    `);
    await pool.query(
      `INSERT INTO offers (id, advertiser_id, name, visibility, destination_url, fallback_url, targeting)
         VALUES (2, 1, 'Targeted bench offer', 'public', 'https://shop.example/land?cid={click_id}&a={aff_id}&s1={sub1}',
                 'https://shop.example/elsewhere?cid={click_id}', $1)`,
      [JSON.stringify(BENCH_TARGETING)],
    );
  } finally {
    await pool.end();
  }
}

/** A spool directory on the disk the service would really use (not tmpfs): fsync must cost what it costs. */
function spoolDirectory(): { dir: string; note: string } {
  const root = join(process.env.TRACKLANE_STATE_DIR ?? join(homedir(), '.local', 'state', 'tracklane'), 'bench');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'click-spool-'));
  const tmpfs = statfsSync(dir).type === TMPFS_MAGIC;
  return { dir, note: `${dir}${tmpfs ? ' (tmpfs: fsync costs nothing here, figures flatter the spool)' : ''}` };
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const statusCount = (result: Result, status: number) =>
  (result.statusCodeStats as Record<string, { count: number }> | undefined)?.[String(status)]?.count ?? 0;

const COLUMNS = ['redirects/s', 'p50 ms', 'p99 ms', 'not 302', 'CPU µs/req'];

function row(label: string, { result, cpuMicros }: Run): string {
  const other = result.requests.total - statusCount(result, 302) + result.errors + result.timeouts;
  const cells = [
    count(result.requests.average),
    result.latency.p50.toFixed(1),
    result.latency.p99.toFixed(1),
    String(other),
    Number.isNaN(cpuMicros) ? '-' : cpuMicros.toFixed(0),
  ];
  return label.padEnd(34) + cells.map((cell, i) => cell.padStart(COLUMNS[i].length + 2)).join('');
}

function mixOf(values: Array<Buffer | null>): { ids: string[]; mix: MixReport } {
  const mix: MixReport = { clicks: 0, unique: 0, rateLimited: 0, bot: 0, unverified: 0 };
  const ids: string[] = [];
  for (const value of values) {
    const click: ClickV1 = clicksV1.decode(value);
    ids.push(click.clickId);
    mix.clicks++;
    if (click.unique) mix.unique++;
    if (click.flags.includes('rate_limited')) mix.rateLimited++;
    if (click.flags.includes('bot')) mix.bot++;
    if (click.flags.includes('unverified')) mix.unverified++;
  }
  return { ids, mix };
}

let servicePort = 0;

async function main(): Promise<void> {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run npx nx run click-ingest:build first`);
  const loadBefore = loadLine();
  const stack = await createTestStack({ partitions: 12 });
  const spool = spoolDirectory();
  const servers: BenchProcess[] = [];
  // Ctrl-C stops the load and still cleans up: the processes, the database, the topics.
  process.once('SIGINT', () => autocannonRuns.forEach((run) => run.stop()));
  try {
    process.stderr.write('starting the bare server and the built click-ingest…\n');
    await seed(stack.database.url);
    const barePort = await freePort();
    const bare = await BenchProcess.start({
      name: 'bare node:http',
      args: ['-e', BARE_SERVER],
      env: { PORT: String(barePort) },
      readyUrl: `http://127.0.0.1:${barePort}/`,
    });
    servers.push(bare);
    servicePort = await freePort();
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    const service = await BenchProcess.start({
      name: 'click-ingest',
      args: [BUILT_MAIN],
      env: {
        ...stack.env,
        PORT: String(servicePort),
        LOG_LEVEL: 'warn',
        CLICK_SPOOL_DIR: spool.dir,
        CLICK_CLIENT_IP_HEADER: 'x-forwarded-for',
      },
      readyUrl: `${serviceUrl}/readyz`,
      inspect: PROFILE,
    });
    servers.push(service);

    const bareUrl = `http://127.0.0.1:${barePort}/c/1?aff_id=1&sub1=bench`;
    const clickUrl = `${serviceUrl}/c/1?aff_id=1&sub1=bench`;
    const targetedUrl = `${serviceUrl}/c/2?aff_id=1&sub1=bench`;
    await cannon('bare server, warm-up', bareUrl, WARM_UP_SECONDS);
    const bareRun = await measure('bare server', bareUrl, bare, SECONDS);
    await cannon('click-ingest, warm-up', clickUrl, WARM_UP_SECONDS);
    const peak = await measure('click-ingest', clickUrl, service, SECONDS);
    let targeted: Run | undefined;
    if (TARGETING) {
      await cannon('click-ingest, targeted offer, warm-up', targetedUrl, WARM_UP_SECONDS);
      targeted = await measure('click-ingest, targeted offer', targetedUrl, service, SECONDS);
    }
    const halfRate = Math.max(1, Math.round(peak.result.requests.average / 2));
    const half = await measure(`click-ingest at ${count(halfRate)}/s`, clickUrl, service, SECONDS, halfRate);
    let profile = '';
    if (PROFILE) {
      const redirectedBefore = await metric(serviceUrl, 'tracklane_click_requests_total{outcome="redirected"}');
      const cpuBefore = service.cpuSeconds();
      const { profile: recorded } = await service.profile(() => cannon(`profile at ${count(halfRate)}/s`, clickUrl, SECONDS, halfRate));
      const cpuSeconds = service.cpuSeconds() - cpuBefore;
      const operations = (await metric(serviceUrl, 'tracklane_click_requests_total{outcome="redirected"}')) - redirectedBefore;
      profile = formatProfileSummary(summariseCpuProfile(recorded), { operations, cpuSeconds });
    }

    await waitFor(async () => (await metric(serviceUrl, 'tracklane_spool_depth{spool="clicks"}')) === 0, {
      what: 'spool drained',
      timeoutMs: 120_000,
    });
    const redirected = await metric(serviceUrl, 'tracklane_click_requests_total{outcome="redirected"}');
    const spooled = await metric(serviceUrl, 'tracklane_spool_appended_total{spool="clicks"}');
    // Stopped first: a send still in flight is flushed, so the topic is complete before it is read.
    await service.stop();
    const topic = topicNames(clicksV1, stack.topics.prefix).main;
    const { ids, mix } = mixOf(await readWholeTopic(stack.topics.kafka, topic));
    const delivery = checkDelivery(redirectedIds, ids);

    console.log(`\nRedirect benchmark: ${CONNECTIONS} connections, ${SECONDS} s per run (after ${WARM_UP_SECONDS} s warm-up)`);
    console.log(machineLine());
    console.log(`load average before: ${loadBefore}; after: ${loadLine()}`);
    console.log(`spool: ${spool.note}\n`);
    console.log(''.padEnd(34) + COLUMNS.map((column) => column.padStart(column.length + 2)).join(''));
    console.log(row('bare node:http fixed 302', bareRun));
    console.log(row('click-ingest (Kafka acks=all)', peak));
    console.log(row(`click-ingest at ${count(halfRate)}/s`, half));
    if (targeted) console.log(row('click-ingest, targeted offer', targeted));
    const ratio = peak.result.requests.average / bareRun.result.requests.average;
    console.log(
      `\nthroughput ratio click-ingest / bare: ${count(peak.result.requests.average)} / ${count(bareRun.result.requests.average)} = ${ratio.toFixed(2)} (target ≥ 0.50)`,
    );
    console.log(`p99 at half of peak (${count(halfRate)}/s): ${half.result.latency.p99.toFixed(1)} ms (target ≤ 10 ms)`);
    console.log(`CPU per request: click-ingest ${peak.cpuMicros.toFixed(0)} µs / bare ${bareRun.cpuMicros.toFixed(0)} µs`);
    if (targeted) {
      console.log(
        `targeted offer / untargeted, same process: ${count(targeted.result.requests.average)} / ${count(peak.result.requests.average)} redirects/s = ` +
          `${(targeted.result.requests.average / peak.result.requests.average).toFixed(2)} (target ≥ 0.90); ` +
          `CPU ${targeted.cpuMicros.toFixed(0)} / ${peak.cpuMicros.toFixed(0)} µs per request`,
      );
    }
    console.log(describeMix(mix));
    console.log(formatDelivery('clicks: 302s', topic, delivery) + ` — ${count(spooled)} went through the spool`);
    if (redirected !== redirectedIds.size) {
      console.log(`(the service counted ${count(redirected)} redirects; ${count(redirected - redirectedIds.size)} answers did not reach the load generator)`);
    }
    if (profile) console.log(`\nCPU profile of click-ingest at ${count(halfRate)}/s, self time by package:\n${profile}`);
    if (delivery.lost > 0 || delivery.acknowledged === 0) process.exitCode = 1;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await stack.destroy();
    rmSync(spool.dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
