/**
 * postback-ingest throughput against a bare node:http server, in the same run.
 *
 *   npm run bench:postback-ingest [-- --duration 10 --connections 64 --warmup 3]
 *
 * Needs Kafka, Postgres and Redis (KAFKA_BROKERS, DATABASE_URL, REDIS_URL;
 * local defaults). Builds and starts the real service as its own process on a
 * private database, topics and Redis prefix (durable Kafka acks, acks=all),
 * then drives both servers with autocannon using the same requests: a unique
 * order id and click id per postback, as advertisers send them. Prints
 * postbacks/s, p99 latency and the ratio to the baseline (target ≥ 0.4) with
 * both sides, the machine and its load, and checks by id that every event id
 * answered with a 2xx is in conversions.v1 (exit 1 if one is missing).
 * Before any of that, each server's first seconds after it said ready are
 * measured at a steady rate (`--cold-rate 500 --cold-seconds 2`): what
 * advertisers see when an instance joins the load balancer.
 * `--profile 1` adds a CPU profile of the service under the same load, as µs
 * per postback by package; BENCH_PROFILE_OUT=<file.cpuprofile> also keeps the
 * whole profile (Chrome DevTools opens it) for a look at single functions.
 */
import { newId, conversionsV1, topicNames } from '@tracklane/contracts';
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
  WORKSPACE_ROOT,
} from '@tracklane/testing';
import autocannon, { Result } from 'autocannon';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';

const TOKEN = `bench-${newId()}`;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const settings = {
  duration: option('duration', 10),
  connections: option('connections', 64),
  warmup: option('warmup', 3),
  coldRate: option('cold-rate', 500),
  coldSeconds: option('cold-seconds', 2),
  profile: process.argv.includes('--profile'),
};

/** Event ids the service answered with a 2xx, from the JSON answers. */
const acknowledgedIds = new Set<string>();
const EVENT_ID = /"eventId":"([0-9a-z]{30})"/;

interface Server {
  url: string;
  process: BenchProcess;
}

async function startServer(name: string, args: string[], env: Record<string, string>, inspect = false): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = await BenchProcess.start({
    name,
    args,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    readyUrl: `${url}/readyz`,
    inspect,
  });
  return { url, process };
}

async function stop(server: Server | undefined): Promise<void> {
  await server?.process.stop();
}

function postbackPath(): string {
  return `/postback?token=${TOKEN}&click_id=${newId()}&order_id=${newId()}&goal=sale&amount=19.99&currency=EUR&adv_sub1=campaign-7`;
}

function load(url: string, duration: number, overallRate?: number): Promise<Result> {
  return autocannon({
    url,
    connections: settings.connections,
    duration,
    overallRate,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: postbackPath() }),
        onResponse: (status, body) => {
          if (status < 200 || status > 299) return;
          const id = EVENT_ID.exec(body)?.[1];
          if (id) acknowledgedIds.add(id);
        },
      },
    ],
  });
}

interface Measurement {
  label: string;
  perSecond: number;
  p99: number;
  result: Result;
  cpuMicros: number;
}

/** The first seconds after ready, at a steady rate (latencies corrected for coordinated omission). */
async function measureCold(label: string, server: Server): Promise<string> {
  const result = await load(server.url, settings.coldSeconds, settings.coldRate);
  const { p50, p99, max } = result.latency;
  return (
    `${label.padEnd(16)} first ${settings.coldSeconds} s after ready at ${settings.coldRate}/s: ` +
    `p50 ${p50} ms   p99 ${p99} ms   max ${max} ms   2xx ${result['2xx']}   non-2xx ${result.non2xx}   errors ${result.errors}`
  );
}

async function measure(label: string, server: Server): Promise<Measurement> {
  await load(server.url, settings.warmup);
  const cpuBefore = server.process.cpuSeconds();
  const result = await load(server.url, settings.duration);
  return {
    label,
    perSecond: result['2xx'] / result.duration,
    p99: result.latency.p99,
    result,
    cpuMicros: ((server.process.cpuSeconds() - cpuBefore) * 1e6) / result.requests.total,
  };
}

async function main(): Promise<void> {
  defaultToLocalServices();
  const stack = await createTestStack({ partitions: 6 });
  let baseline: Server | undefined;
  let service: Server | undefined;
  try {
    const pool = new Pool({ connectionString: stack.database.url });
    await pool.query(`INSERT INTO advertisers (name, postback_token) VALUES ('Benchmark', $1)`, [TOKEN]);
    // Test databases skip the commit flush for speed; a receipt is measured as production writes it.
    await pool.query(`ALTER DATABASE "${stack.database.name}" SET synchronous_commit = on`);
    await pool.end();

    const loadBefore = loadLine();
    baseline = await startServer('bare node:http', ['-r', '@swc-node/register', join(__dirname, 'bare-http-server.ts')], {});
    const bareCold = await measureCold('bare node:http', baseline);
    service = await startServer(
      'postback-ingest',
      [join(WORKSPACE_ROOT, 'dist/apps/postback-ingest/apps/postback-ingest/src/main.js')],
      { ...stack.env, LOG_LEVEL: 'info' },
      settings.profile,
    );

    const ingestCold = await measureCold('postback-ingest', service);
    const bare = await measure('bare node:http', baseline);
    const ingest = await measure('postback-ingest', service);
    let profile = '';
    if (settings.profile) {
      const profiled = service;
      const cpuBefore = profiled.process.cpuSeconds();
      const recorded = await profiled.process.profile(() => load(profiled.url, settings.duration));
      if (process.env.BENCH_PROFILE_OUT) writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(recorded.profile));
      profile = formatProfileSummary(summariseCpuProfile(recorded.profile), {
        operations: recorded.result.requests.total,
        cpuSeconds: profiled.process.cpuSeconds() - cpuBefore,
      });
    }

    console.log(
      `postback-ingest benchmark: ${settings.connections} connections, ${settings.duration} s per run after ${settings.warmup} s warm-up`,
    );
    console.log(machineLine());
    console.log(`load average before: ${loadBefore}; after: ${loadLine()}`);
    for (const { label, perSecond, p99, result, cpuMicros } of [bare, ingest]) {
      console.log(
        `${label.padEnd(16)} ${perSecond.toFixed(0).padStart(7)} answers/s (2xx)   p99 ${String(p99).padStart(4)} ms   ` +
          `CPU ${cpuMicros.toFixed(0).padStart(4)} µs/request   non-2xx ${result.non2xx}   errors ${result.errors}   timeouts ${result.timeouts}`,
      );
    }
    console.log(`${bareCold}\n${ingestCold}`);
    console.log(
      `ratio postback-ingest / bare node:http: ${ingest.perSecond.toFixed(0)} / ${bare.perSecond.toFixed(0)} = ` +
        `${(ingest.perSecond / bare.perSecond).toFixed(2)} (target ≥ 0.4)`,
    );

    // Stopped first, so answers cut off by the end of a run are flushed too: Kafka may hold more, never fewer.
    await stop(service);
    service = undefined;
    const topic = topicNames(conversionsV1, stack.topics.prefix).main;
    const events = await readWholeTopic(stack.topics.kafka, topic);
    const delivery = checkDelivery(
      acknowledgedIds,
      events.map((value) => conversionsV1.decode(value).eventId),
    );
    console.log(formatDelivery('postbacks: 2xx', topic, delivery));
    if (profile) console.log(`\nCPU profile of postback-ingest at full load, self time by package:\n${profile}`);
    if (delivery.lost > 0 || delivery.acknowledged === 0) process.exitCode = 1;
  } finally {
    await stop(service);
    await stop(baseline);
    await stack.destroy();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
