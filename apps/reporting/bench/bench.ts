import { issueApiKey } from '@tracklane/api-keys';
import { migrate, PrismaService } from '@tracklane/db';
import { startService } from '@tracklane/observability';
import { StatsReports, Visibility, inReadModelTransaction, parseStatsRequest, rebuildRollups, visibilityOf } from '@tracklane/reporting';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { ReportingEnv } from '../src/reporting.env';
import { reportingService } from '../src/reporting.service';
import { BenchShape, loadBenchData } from './bench-data';

/*
 * npm run bench:reporting -- [--clicks=10000000] [--conversions=200000] [--days=90]
 *   [--offers=100] [--affiliates=200] [--advertisers=20] [--runs=30] [--raw-runs=3] [--reuse]
 *
 * Loads a network's clicks and conversions straight into the raw tables of a
 * database of its own (tracklane_bench on DATABASE_URL's server), builds the
 * rollups, starts the reporting service on it, and times reports through
 * the HTTP API (sequential requests, p50/p95), then the same reports
 * computed from the raw tables in the same run, and checks both agree.
 * Reports: day × offer over the whole period and hour × affiliate over its
 * last 7 days (the issue's yardsticks), plus day × offer in a zone without
 * daily rollups; each as the first page of 1000 rows (the API's default) and
 * where noted as one page of up to 10000 rows.
 */
const args = new Map(
  process.argv
    .slice(2)
    .map((arg) => /^--([a-z-]+)(?:=(.*))?$/.exec(arg))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], match[2] ?? 'true']),
);
const number = (name: string, fallback: number) => {
  const value = Number(args.get(name) ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return Math.round(value);
};

const END = new Date('2025-06-30T00:00:00.000Z');
const shape: BenchShape = {
  clicks: number('clicks', 10_000_000),
  conversions: number('conversions', 200_000),
  days: number('days', 90),
  advertisers: number('advertisers', 20),
  offers: number('offers', 100),
  affiliates: number('affiliates', 200),
  end: END,
};
const runs = number('runs', 30);
const rawRuns = number('raw-runs', 3);
const ADMIN: Visibility = visibilityOf({ role: 'admin', advertiserId: null, affiliateId: null }, { advertisersSeePayouts: true });

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const day = (offset: number) => new Date(END.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${name}`;
  return url.toString();
}

async function prepareDatabase(url: string): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS tracklane_bench WITH (FORCE)');
  await admin.query('CREATE DATABASE tracklane_bench');
  await admin.end();
  await migrate(url);
}

async function load(pool: Pool, url: string): Promise<void> {
  let started = performance.now();
  await loadBenchData(pool, shape, log);
  log(`raw rows loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  started = performance.now();
  await pool.query(`INSERT INTO rep_day_zones (zone) VALUES ('UTC')`);
  const prisma = new PrismaService(url, 1);
  await inReadModelTransaction(prisma, 'exclusive', async (tx) => {
    await tx.$executeRaw`SET LOCAL work_mem = '256MB'`;
    await rebuildRollups(tx, (table) => log(`rollup ${table} built`));
  }).finally(() => prisma.onApplicationShutdown());
  log(`rollups built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await pool.query('VACUUM ANALYZE');
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Timing {
  p50: number;
  p95: number;
}

async function timeApi(url: string, key: string): Promise<{ timing: Timing; body: { rows: unknown[]; totals: unknown[]; meta: Record<string, unknown> } }> {
  const call = async () => {
    const started = performance.now();
    const response = await fetch(url, { headers: { 'x-api-key': key } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${response.status}: ${text}`);
    return { ms: performance.now() - started, text };
  };
  for (let warm = 0; warm < 2; warm++) await call();
  const samples: number[] = [];
  let last = '';
  for (let run = 0; run < runs; run++) {
    const { ms, text } = await call();
    samples.push(ms);
    last = text;
  }
  return { timing: { p50: percentile(samples, 50), p95: percentile(samples, 95) }, body: JSON.parse(last) };
}

async function timeRaw(stats: StatsReports, query: Record<string, string>): Promise<{ timing: Timing; body: { rows: unknown[]; totals: unknown[] } }> {
  const request = parseStatsRequest(query, ADMIN, () => true, { defaultLimit: 10_000, maxLimit: 10_000 });
  const samples: number[] = [];
  let last = '';
  for (let run = 0; run < rawRuns; run++) {
    const started = performance.now();
    last = (await stats.json(request, 'raw')).toString('utf8');
    samples.push(performance.now() - started);
  }
  return { timing: { p50: percentile(samples, 50), p95: percentile(samples, 95) }, body: JSON.parse(last) };
}

async function main(): Promise<void> {
  const url = databaseUrl('tracklane_bench');
  if (args.has('reuse')) {
    log(`reusing ${url}`);
  } else {
    log(`loading ${shape.clicks.toLocaleString('en')} clicks and ${shape.conversions.toLocaleString('en')} conversions over ${shape.days} days into ${url}`);
    await prepareDatabase(url);
    const pool = new Pool({ connectionString: url, max: 2 });
    await load(pool, url);
    await pool.end();
  }

  const pool = new Pool({ connectionString: url, max: 2 });
  const key = issueApiKey();
  await pool.query(`DELETE FROM api_keys WHERE name = 'bench'`);
  await pool.query(`INSERT INTO api_keys (key_prefix, key_hash, name, role, read_only) VALUES ($1, $2, 'bench', 'admin', true)`, [key.prefix, key.hash]);
  const sizes = (
    await pool.query(`SELECT relname AS table, n_live_tup AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size
                      FROM pg_stat_user_tables WHERE relname LIKE 'rep\\_%' ORDER BY relname`)
  ).rows;
  const counts = (await pool.query('SELECT (SELECT count(*) FROM rep_clicks)::int AS clicks, (SELECT count(*) FROM rep_conversions)::int AS conversions'))
    .rows[0];

  const service = await startService(
    reportingService,
    Object.assign(new ReportingEnv(), { DATABASE_URL: url, LOG_LEVEL: 'warn', REPORTING_PROJECTOR: 'false', REPORTING_DAY_ZONES: 'UTC' }),
  );
  const stats = service.app.get(StatsReports);
  const ninetyDays = { from: day(-shape.days), to: day(-1), group_by: 'day,offer' };
  const sevenDays = { from: day(-7), to: day(-1), group_by: 'hour,affiliate' };
  // Each report twice: its first page at the API's default size, and (nearly) all of it in one page.
  const reports: [string, Record<string, string>][] = [
    [`day × offer, ${shape.days} days, UTC (daily rollups), first page`, { ...ninetyDays, limit: '1000' }],
    [`day × offer, ${shape.days} days, UTC (daily rollups), one page`, { ...ninetyDays, limit: '10000' }],
    ['hour × affiliate, 7 days (hourly rollups), first page', { ...sevenDays, limit: '1000' }],
    ['hour × affiliate, 7 days (hourly rollups), one page', { ...sevenDays, limit: '10000' }],
    [
      `day × offer, ${shape.days} days, America/New_York (no daily rollups for that zone: hourly), first page`,
      { from: day(-shape.days + 1), to: day(-2), group_by: 'day,offer', timezone: 'America/New_York', limit: '1000' },
    ],
  ];
  const results = [];
  try {
    for (const [name, query] of reports) {
      log(`timing ${name}`);
      const load1 = loadavg()[0];
      const api = await timeApi(`${service.url}/v1/reports/stats?${new URLSearchParams(query)}`, key.key);
      const raw = await timeRaw(stats, query);
      const same = JSON.stringify([api.body.rows, api.body.totals]) === JSON.stringify([raw.body.rows, raw.body.totals]);
      results.push({
        report: name,
        rows: `${api.body.rows.length} of ${api.body.meta.total_rows}`,
        'api p50 ms': api.timing.p50.toFixed(1),
        'api p95 ms': api.timing.p95.toFixed(1),
        'raw p50 ms': raw.timing.p50.toFixed(0),
        'raw p95 ms': raw.timing.p95.toFixed(0),
        'raw/api (p50)': `${(raw.timing.p50 / api.timing.p50).toFixed(0)}×`,
        'same answer': same,
        'load avg': `${load1.toFixed(1)}→${loadavg()[0].toFixed(1)}`,
        'read from': JSON.stringify(api.body.meta.read_from),
      });
    }
  } finally {
    await service.close();
    await pool.end();
  }
  console.log(`\nTracklane reporting benchmark — ${counts.clicks.toLocaleString('en')} clicks, ${counts.conversions.toLocaleString('en')} conversions, ${shape.days} days, ${shape.offers} offers, ${shape.affiliates} affiliates`);
  console.log(`API: ${runs} sequential requests after 2 warm-ups, measured at the client; raw: ${rawRuns} in-process runs of the same report on raw rows only.\n`);
  console.table(results);
  console.table(sizes);
  if (results.some((result) => !result['same answer'])) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
