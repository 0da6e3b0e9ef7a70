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
 * postbacks/s, p99 latency and the ratio to the baseline (target ≥ 0.4), and
 * checks that Kafka holds one event per acknowledged postback.
 */
import { newId, conversionsV1, topicNames } from '@tracklane/contracts';
import { createTestStack, defaultToLocalServices, freePort, TestStack, waitFor, WORKSPACE_ROOT } from '@tracklane/testing';
import autocannon, { Result } from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
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
};

interface Server {
  url: string;
  child: ChildProcess;
}

async function startProcess(args: string[], env: Record<string, string>, logName: string): Promise<Server> {
  const port = await freePort();
  const log = openSync(join(tmpdir(), `${logName}-${process.pid}.log`), 'w');
  const child = spawn(process.execPath, args, {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${logName} exited with ${child.exitCode}; see ${join(tmpdir(), `${logName}-${process.pid}.log`)}`);
      const response = await fetch(`${url}/readyz`).catch(() => undefined);
      return response?.ok;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `${logName} to be ready` },
  );
  return { url, child };
}

async function stop(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

function postbackPath(): string {
  return `/postback?token=${TOKEN}&click_id=${newId()}&order_id=${newId()}&goal=sale&amount=19.99&currency=EUR&adv_sub1=campaign-7`;
}

function load(url: string, duration: number): Promise<Result> {
  return autocannon({
    url,
    connections: settings.connections,
    duration,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: postbackPath() }),
      },
    ],
  });
}

interface Measurement {
  label: string;
  perSecond: number;
  p99: number;
  result: Result;
  /** 2xx answers of the warm-up and the measured run. */
  acknowledged: number;
}

async function measure(label: string, url: string): Promise<Measurement> {
  const warmup = await load(url, settings.warmup);
  const result = await load(url, settings.duration);
  return {
    label,
    perSecond: result['2xx'] / result.duration,
    p99: result.latency.p99,
    result,
    acknowledged: warmup['2xx'] + result['2xx'],
  };
}

async function eventsInKafka(stack: TestStack): Promise<number> {
  const admin = stack.topics.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topicNames(conversionsV1, stack.topics.prefix).main);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
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

    baseline = await startProcess(['-r', '@swc-node/register', join(__dirname, 'bare-http-server.ts')], {}, 'bare-http');
    service = await startProcess(
      [join(WORKSPACE_ROOT, 'dist/apps/postback-ingest/apps/postback-ingest/src/main.js')],
      { ...stack.env, LOG_LEVEL: 'info' },
      'postback-ingest',
    );

    console.log(
      `postback-ingest benchmark: ${settings.connections} connections, ${settings.duration} s per run after ${settings.warmup} s warm-up, ` +
        `${cpus().length} cores, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`,
    );
    const bare = await measure('bare node:http', baseline.url);
    const ingest = await measure('postback-ingest', service.url);

    for (const { label, perSecond, p99, result } of [bare, ingest]) {
      console.log(
        `${label.padEnd(16)} ${perSecond.toFixed(0).padStart(7)} answers/s (2xx)   p99 ${String(p99).padStart(4)} ms   ` +
          `non-2xx ${result.non2xx}   errors ${result.errors}   timeouts ${result.timeouts}`,
      );
    }
    console.log(`ratio postback-ingest / bare node:http: ${(ingest.perSecond / bare.perSecond).toFixed(2)} (target ≥ 0.4)`);

    // Stopped first, so answers cut off by the end of a run are flushed too: Kafka may hold more, never fewer.
    await stop(service);
    service = undefined;
    const inKafka = await eventsInKafka(stack);
    const verdict = inKafka >= ingest.acknowledged ? 'ok' : 'LOST EVENTS';
    console.log(`durability: ${ingest.acknowledged} postbacks acknowledged, ${inKafka} conversions.v1 events in Kafka: ${verdict}`);
    if (inKafka < ingest.acknowledged) process.exitCode = 1;
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
