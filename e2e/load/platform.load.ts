/**
 * Load test of the whole platform (run on demand, not a test):
 *
 *   npm run load:platform -- [--seconds=60] [--concurrency=32] [--offers=5] [--affiliates=20]
 *                            [--clicks-per-conversion=100] [--faults]
 *
 * Starts every service as its own process on a private stack (database,
 * topics under a prefix, Redis prefix; with --faults a Kafka broker of its
 * own), sets up a network through the management API, and drives a
 * realistic mix for a fixed time: clicks from many visitors, a conversion
 * per hundred clicks, 5 % repeated postbacks, 1 % malformed requests, and
 * advertisers retrying what got a 503. Prints clicks/s, postbacks/s, lag to
 * the ledger and to the reports (p50/p99), and a reconciliation: every
 * redirected click recorded, every acknowledged postback booked exactly
 * once, the ledger balanced and equal to the reports.
 *
 * --faults also kills each service with SIGKILL and restarts it, stops and
 * restarts Kafka, while the traffic flows. Two more faults touch servers
 * other programs may share, so they are asked for by name:
 * --restart-postgres restarts the local PostgreSQL cluster (pg_ctlcluster),
 * --fill-redis lowers Redis's maxmemory to what it holds (noeviction) for a
 * while, so every write fails, then restores it.
 *
 * Uses the Kafka, Postgres and Redis named by KAFKA_BROKERS, DATABASE_URL
 * and REDIS_URL (defaults: the local ones); only 127.0.0.1.
 */
import { DedicatedKafkaBroker, defaultToLocalServices } from '@tracklane/testing';
import { execSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import Redis from 'ioredis';
import { cpus, loadavg } from 'node:os';
import { createNetwork } from '../support/network';
import { checkPromises } from '../support/promises';
import { runTraffic } from '../support/traffic';
import { managementClient } from '@tracklane/api-client';
import { SERVICES, startWholePlatform, WholePlatform } from '../support/whole-platform';

const args = new Map(
  process.argv
    .slice(2)
    .map((arg) => /^--([a-z-]+)(?:=(.*))?$/.exec(arg))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], match[2] ?? 'true']),
);
const option = (name: string, fallback: number) => {
  const value = Number(args.get(name) ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
};
const seconds = option('seconds', 60);
const concurrency = option('concurrency', 32);
const withFaults = args.has('faults') || args.has('restart-postgres') || args.has('fill-redis');
const log = (message: string) => process.stderr.write(`[load] ${message}\n`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function restartPostgres(): void {
  const version = readdirSync('/etc/postgresql').sort().pop();
  execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main restart`, { stdio: 'inherit' });
}

/** Makes Redis refuse every write (OOM) for `ms`, then puts its memory settings back. */
async function fillRedis(ms: number): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const [, maxmemory] = (await redis.config('GET', 'maxmemory')) as string[];
  const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
  try {
    const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.config('SET', 'maxmemory', String(Math.max(used - 1024 * 1024, 1024 * 1024)));
    await pause(ms);
  } finally {
    await redis.config('SET', 'maxmemory', maxmemory);
    await redis.config('SET', 'maxmemory-policy', policy);
    redis.disconnect();
  }
}

async function injectFaults(world: WholePlatform, broker: DedicatedKafkaBroker, until: number): Promise<void> {
  const gap = Math.max(1_000, (until - Date.now()) / (SERVICES.length + 5));
  for (const service of SERVICES) {
    await pause(gap);
    log(`kill -9 ${service}, then start it again`);
    await world.platform.kill(service);
    await world.platform.start(service);
  }
  await pause(gap);
  log('stopping Kafka');
  await broker.stop();
  await pause(Math.min(gap, 10_000));
  log('starting Kafka');
  await broker.start();
  if (args.has('restart-postgres')) {
    await pause(gap);
    log('restarting PostgreSQL');
    restartPostgres();
  }
  if (args.has('fill-redis')) {
    await pause(gap);
    log('Redis at its memory limit');
    await fillRedis(Math.min(gap, 10_000));
    log('Redis has room again');
  }
}

async function main(): Promise<void> {
  defaultToLocalServices();
  const broker = withFaults ? await DedicatedKafkaBroker.create() : null;
  log('starting every service');
  const world = await startWholePlatform({ brokers: broker?.brokers });
  try {
    const network = await createNetwork(managementClient({ baseUrl: world.url('management'), apiKey: world.adminKey }), {
      offers: option('offers', 5),
      affiliates: option('affiliates', 20),
      affiliatePostbackUrl: `${world.affiliateServer.url}/pb`,
    });
    const load = loadavg().map((value) => value.toFixed(1)).join(' ');
    log(`traffic for ${seconds} s at ${concurrency} requests in flight${withFaults ? ', with faults' : ''}`);

    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const deadline = Date.now() + seconds * 1000;
    const traffic = runTraffic(
      {
        clickIngestUrl: world.url('click-ingest'),
        postbackIngestUrl: world.url('postback-ingest'),
        network,
        concurrency,
        clicksPerConversion: option('clicks-per-conversion', 100),
      },
      stopped,
    );
    if (broker) await injectFaults(world, broker, deadline);
    await pause(Math.max(0, deadline - Date.now()));
    stop();
    const result = await traffic;
    log('traffic over; waiting for the pipeline to settle and reconciling');
    const kept = await checkPromises(world.stack.database.url, { url: world.url('reporting'), adminKey: world.adminKey }, result, 300_000);

    const acceptedPostbacks = result.postbacks.accepted.size + result.postbacks.duplicatesAnswered;
    const failures = [
      ...result.clicks.wrongAnswers,
      ...result.postbacks.wrongAnswers,
      ...(kept.conversionsBooked === kept.conversionsAcknowledged ? [] : ['acknowledged conversions missing from the ledger']),
      ...(kept.reconciliationBalanced ? [] : ['reports differ from the ledger']),
    ];
    console.log(`
Platform load: ${seconds} s, ${concurrency} in flight, ${cpus().length} cores, load average before ${load}${withFaults ? ', with faults' : ''}

  clicks       ${(result.clicks.redirected.length / result.seconds).toFixed(0).padStart(7)} /s redirected   (${result.clicks.redirected.length} redirected, ${result.clicks.badInput} malformed → 400, ${result.clicks.refused} refused 503, ${result.clicks.failed} unanswered)
  postbacks    ${(acceptedPostbacks / result.seconds).toFixed(1).padStart(7)} /s accepted     (${result.postbacks.accepted.size} conversions, ${result.postbacks.duplicatesAnswered} repeats answered alike, ${result.postbacks.badInput} malformed → 400, ${result.postbacks.retried} retried after 503/no answer)
  lag to ledger   p50 ${kept.ledgerLag.p50} ms   p99 ${kept.ledgerLag.p99} ms
  lag to reports  p50 ${kept.reportLag.p50} ms   p99 ${kept.reportLag.p99} ms

reconciliation
  redirected clicks in the clicks table   ${kept.redirectedClicksRecorded} of ${kept.clicksRedirected} (table holds ${kept.clicksRecorded})
  acknowledged postbacks booked once      ${kept.conversionsBooked} of ${kept.conversionsAcknowledged}
  clicks in the reports                   ${kept.reportClicks} (= clicks table)
  ledger = reports                        ${kept.reconciliationBalanced ? 'yes' : 'NO'}
${failures.length ? `\nFAILED:\n  ${failures.slice(0, 20).join('\n  ')}` : ''}`);
    if (failures.length) process.exitCode = 1;
  } finally {
    await world.stop().catch((error: Error) => log(`stop: ${error.message}`));
    await broker?.destroy();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
