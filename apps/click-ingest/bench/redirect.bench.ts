/**
 * Redirect benchmark (run on demand, not a test):
 *
 *   npm run bench:click-ingest
 *   BENCH_CONNECTIONS=64 BENCH_SECONDS=10 npm run bench:click-ingest
 *
 * In one run, at the same fixed concurrency: a bare node:http server that
 * answers every request with a fixed 302 (the ceiling), then the built
 * click-ingest with real Kafka acknowledgements (acks=all) and Redis checks,
 * then click-ingest again at half the rate it peaked at. Prints redirects/s,
 * p50/p99, the ratio to the bare server, and counts what reached Kafka
 * against what the service redirected (lost must be 0).
 *
 * Uses the Kafka, Postgres and Redis named by KAFKA_BROKERS, DATABASE_URL and
 * REDIS_URL (defaults: the local ones) with a private database, topics and
 * key prefix, all dropped at the end.
 */
import { clicksV1, topicNames } from '@tracklane/contracts';
import { createTestStack, defaultToLocalServices, freePort, TestStack, waitFor, WORKSPACE_ROOT } from '@tracklane/testing';
import autocannon, { Result } from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARM_UP_SECONDS = 3;
const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const BUILT_MAIN = join(WORKSPACE_ROOT, 'dist/apps/click-ingest/apps/click-ingest/src/main.js');

defaultToLocalServices();

const BARE_SERVER = `
  require('node:http')
    .createServer((request, response) => {
      response.writeHead(302, { location: 'https://shop.example/land?cid=01jzz0x7h3k2m4n5p6q7r8s9t0vwxy', 'cache-control': 'no-store' });
      response.end();
    })
    .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

/** Starts a node process and resolves once `url` answers 2xx; fails with its output if it exits first. */
async function startProcess(args: string[], env: Record<string, string>, url: string, children: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: WORKSPACE_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${args[0]} exited with ${child.exitCode}:\n${output}`);
      return (await fetch(url, { redirect: 'manual' }).catch(() => null))?.status ?? false;
    },
    { what: `${url} answering`, timeoutMs: 60_000, intervalMs: 200 },
  );
  return child;
}

/** CPU seconds (user + system) a process has used so far; Linux only, NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

interface Run {
  result: Result;
  /** CPU the server spent per answered request: what bounds its throughput on a core of its own. */
  cpuMicros: number;
}

async function measure(label: string, url: string, server: ChildProcess, seconds: number, overallRate?: number): Promise<Run> {
  const before = cpuSeconds(server.pid);
  const result = await cannon(label, url, seconds, overallRate);
  return { result, cpuMicros: ((cpuSeconds(server.pid) - before) * 1e6) / result.requests.total };
}

const autocannonRuns: autocannon.Instance[] = [];

function cannon(label: string, url: string, seconds: number, overallRate?: number): Promise<Result> {
  process.stderr.write(`  ${label}: ${seconds} s…\n`);
  return new Promise((resolve, reject) => {
    const options = {
      url,
      connections: CONNECTIONS,
      duration: seconds,
      overallRate,
      headers: { 'user-agent': USER_AGENT, 'cf-ipcountry': 'DE' },
    };
    autocannonRuns.push(autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));
  });
}

async function metric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

async function messagesIn(stack: TestStack, topic: string): Promise<number> {
  const admin = stack.topics.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
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
  } finally {
    await pool.end();
  }
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
  return label.padEnd(30) + cells.map((cell, i) => cell.padStart(COLUMNS[i].length + 2)).join('');
}

async function main(): Promise<void> {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run npx nx run click-ingest:build first`);
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  const stack = await createTestStack({ partitions: 12 });
  const spoolDir = mkdtempSync(join(tmpdir(), 'click-bench-spool-'));
  const children: ChildProcess[] = [];
  // Ctrl-C stops the load and still cleans up: the processes, the database, the topics.
  process.once('SIGINT', () => autocannonRuns.forEach((run) => run.stop()));
  try {
    process.stderr.write('starting the bare server and the built click-ingest…\n');
    await seed(stack.database.url);
    const barePort = await freePort();
    const bareServer = await startProcess(['-e', BARE_SERVER], { PORT: String(barePort) }, `http://127.0.0.1:${barePort}/`, children);
    const servicePort = await freePort();
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    const serviceEnv = { ...stack.env, PORT: String(servicePort), LOG_LEVEL: 'warn', CLICK_SPOOL_DIR: spoolDir };
    const service = await startProcess([BUILT_MAIN], serviceEnv, `${serviceUrl}/readyz`, children);

    const bareUrl = `http://127.0.0.1:${barePort}/c/1?aff_id=1&sub1=bench`;
    const clickUrl = `${serviceUrl}/c/1?aff_id=1&sub1=bench`;
    await cannon('bare server, warm-up', bareUrl, WARM_UP_SECONDS);
    const bare = await measure('bare server', bareUrl, bareServer, SECONDS);
    await cannon('click-ingest, warm-up', clickUrl, WARM_UP_SECONDS);
    const ours = await measure('click-ingest', clickUrl, service, SECONDS);
    const halfRate = Math.max(1, Math.round(ours.result.requests.average / 2));
    const half = await measure(`click-ingest at ${count(halfRate)}/s`, clickUrl, service, SECONDS, halfRate);

    await waitFor(async () => (await metric(serviceUrl, 'tracklane_spool_depth{spool="clicks"}')) === 0, {
      what: 'spool drained',
      timeoutMs: 120_000,
    });
    const redirected = await metric(serviceUrl, 'tracklane_click_requests_total{outcome="redirected"}');
    const spooled = await metric(serviceUrl, 'tracklane_spool_appended_total{spool="clicks"}');
    const inKafka = await messagesIn(stack, topicNames(clicksV1, stack.topics.prefix).main);

    const cpu = cpus();
    console.log(`\nRedirect benchmark: ${CONNECTIONS} connections, ${SECONDS} s per run (after ${WARM_UP_SECONDS} s warm-up)`);
    console.log(`machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
    console.log(`load average before: ${load}; after: ${loadavg().map((value) => value.toFixed(2)).join(' ')}\n`);
    console.log(''.padEnd(30) + COLUMNS.map((column) => column.padStart(column.length + 2)).join(''));
    console.log(row('bare node:http fixed 302', bare));
    console.log(row('click-ingest (Kafka acks)', ours));
    console.log(row(`click-ingest at ${count(halfRate)}/s`, half));
    const ratio = ours.result.requests.average / bare.result.requests.average;
    console.log(`\nthroughput ratio click-ingest / bare: ${ratio.toFixed(2)} (target ≥ 0.50)`);
    console.log(`p99 at half of peak: ${half.result.latency.p99.toFixed(1)} ms (target ≤ 10 ms)`);
    console.log(
      `clicks redirected ${count(redirected)}, in clicks.v1 ${count(inKafka)}: lost ${count(Math.max(0, redirected - inKafka))}, ` +
        `extra ${count(Math.max(0, inKafka - redirected))} (${count(spooled)} went through the spool)`,
    );
    if (redirected !== inKafka) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
    await stack.destroy();
    rmSync(spoolDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
