import { storableText } from '@tracklane/contracts';
import { waitFor } from '@tracklane/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { TrafficResult } from './traffic';
import { SERVICES, type WholePlatform } from './whole-platform';
import { dataOf, reportingClient } from '@tracklane/api-client';

export interface PromisesKept {
  clicksRedirected: number;
  /** Of the redirected clicks, those found in the clicks table. */
  redirectedClicksRecorded: number;
  /** Clicks in the ledger's clicks table: every redirected one, plus any whose 302 never reached the browser. */
  clicksRecorded: number;
  conversionsAcknowledged: number;
  conversionsBooked: number;
  /** Postback acknowledged → conversion in the ledger, ms. */
  ledgerLag: { p50: number; p99: number };
  /** Postback acknowledged → conversion in the reporting read model, ms. */
  reportLag: { p50: number; p99: number };
  reportClicks: number;
  reconciliationBalanced: boolean;
}

function percentile(values: number[], share: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]);
}

function chunks<T>(items: T[], size = 5_000): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

/**
 * Checks, against the ledger and the reports, every promise the platform
 * made to the traffic: each redirected click recorded, each acknowledged
 * postback booked exactly once (with the conversion id it was answered
 * with), every ledger event balanced, reports equal to the ledger. Waits
 * (up to `timeoutMs`) for the pipeline to catch up before judging; throws
 * naming what is missing or doubled.
 */
export async function checkPromises(
  databaseUrl: string,
  reporting: { url: string; adminKey: string },
  traffic: TrafficResult,
  timeoutMs = 120_000,
): Promise<PromisesKept> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  // The test's own database is dropped under idle connections when a test times out; that is not news.
  pool.on('error', () => undefined);
  try {
    const clickIds = traffic.clicks.redirected;
    const accepted = [...traffic.postbacks.accepted.values()];
    const count = async (sql: string, ids: string[]) => {
      let total = 0;
      for (const part of chunks(ids)) total += Number((await pool.query(sql, [part])).rows[0].count);
      return total;
    };

    const { redirectedClicksRecorded } = await waitFor(
      async () => {
        const found = await count('SELECT count(*) FROM clicks WHERE click_id = ANY($1)', clickIds);
        return found === clickIds.length ? { redirectedClicksRecorded: found } : undefined;
      },
      { timeoutMs, intervalMs: 500, what: `all ${clickIds.length} redirected clicks in the clicks table` },
    );
    const conversionIds = accepted.map((postback) => postback.conversionId);
    await waitFor(
      async () =>
        (await count('SELECT count(*) FROM conversions WHERE conversion_id = ANY($1)', conversionIds)) === conversionIds.length,
      { timeoutMs, intervalMs: 500, what: `all ${conversionIds.length} acknowledged conversions booked` },
    ).catch(async (error: Error) => {
      // Published to Kafka but never booked (attribution), or never published (postback-ingest)?
      const { rows } = await pool.query(
        `SELECT r.conversion_id, r.received_at, r.published_at FROM postback_receipts r
          WHERE r.conversion_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM conversions c WHERE c.conversion_id = r.conversion_id)
          ORDER BY r.received_at LIMIT 5`,
        [conversionIds],
      );
      throw new Error(`${error.message}; the first unbooked receipts: ${JSON.stringify(rows)}`);
    });

    const doubled = await pool.query(
      `SELECT advertiser_id, order_id, count(*) FROM conversions WHERE order_id = ANY($1)
       GROUP BY advertiser_id, order_id HAVING count(*) > 1 LIMIT 10`,
      // As stored: an order id with text no store could hold was accepted in its storable form.
      [accepted.map((postback) => storableText(postback.orderId))],
    );
    if (doubled.rowCount) throw new Error(`orders booked twice: ${JSON.stringify(doubled.rows)}`);
    const unbalanced = await pool.query(
      'SELECT event_id, sum(amount) AS total FROM ledger_entries GROUP BY event_id HAVING sum(amount) <> 0 LIMIT 10',
    );
    if (unbalanced.rowCount) throw new Error(`ledger events that do not balance: ${JSON.stringify(unbalanced.rows)}`);

    const booked = new Map<string, Date>();
    for (const part of chunks(conversionIds)) {
      const { rows } = await pool.query('SELECT conversion_id, decided_at FROM conversions WHERE conversion_id = ANY($1)', [part]);
      for (const row of rows) booked.set(row.conversion_id, row.decided_at);
    }
    const reported = new Map<string, Date>();
    await waitFor(
      async () => {
        for (const part of chunks(conversionIds.filter((id) => !reported.has(id)))) {
          const { rows } = await pool.query(
            `SELECT conversion_id, min(recorded_at) AS recorded_at FROM rep_attribution_events
             WHERE conversion_id = ANY($1) GROUP BY conversion_id`,
            [part],
          );
          for (const row of rows) reported.set(row.conversion_id, row.recorded_at);
        }
        return reported.size === conversionIds.length;
      },
      { timeoutMs, intervalMs: 500, what: 'every conversion in the reporting read model' },
    );

    const clicksRecorded = Number((await pool.query('SELECT count(*) FROM clicks')).rows[0].count);
    const client = reportingClient({ baseUrl: reporting.url, apiKey: reporting.adminKey });
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const period = { from: day(-2), to: day(1) };
    // waitFor waits past 0, so the condition hands back an object.
    const { clicks: reportClicks } = await waitFor(
      async () => {
        const report = dataOf(await client.GET('/v1/reports/stats', { params: { query: { ...period, group_by: 'offer' } } }));
        const clicks = report.totals.reduce((sum, row) => sum + Number(row.clicks), 0);
        return clicks === clicksRecorded && { clicks };
      },
      { timeoutMs, intervalMs: 500, what: `the reports to count ${clicksRecorded} clicks` },
    );
    const reconciliation = dataOf(await client.GET('/v1/reconciliation', { params: { query: period } }));

    const lag = (times: Map<string, Date>) =>
      accepted.map((postback) => (times.get(postback.conversionId)?.getTime() ?? postback.ackedAt) - postback.ackedAt);
    return {
      clicksRedirected: clickIds.length,
      redirectedClicksRecorded,
      clicksRecorded,
      conversionsAcknowledged: conversionIds.length,
      conversionsBooked: booked.size,
      ledgerLag: { p50: percentile(lag(booked), 0.5), p99: percentile(lag(booked), 0.99) },
      reportLag: { p50: percentile(lag(reported), 0.5), p99: percentile(lag(reported), 0.99) },
      reportClicks,
      reconciliationBalanced: reconciliation.balanced,
    };
  } finally {
    await pool.end();
  }
}

/**
 * checkPromises on a whole platform, expecting the promises every fault test holds it to: each redirected
 * click recorded, each acknowledged postback booked once, the ledger balanced against the reports. Returns
 * the figures for a test's own further checks.
 */
export async function expectPromisesKept(world: WholePlatform, traffic: TrafficResult, timeoutMs: number): Promise<PromisesKept> {
  const kept = await checkPromises(world.stack.database.url, { url: world.url('reporting'), adminKey: world.adminKey }, traffic, timeoutMs).catch(
    (error: Error) => {
      // The services' logs live only in this process: a promise broken under faults is explained by them or not at all.
      throw new Error(`${error.message}\n${serviceComplaints(world)}\n${savedLogs(world)}`, { cause: error });
    },
  );
  expect(kept.redirectedClicksRecorded).toBe(kept.clicksRedirected);
  expect(kept.conversionsBooked).toBe(kept.conversionsAcknowledged);
  expect(kept.reconciliationBalanced).toBe(true);
  return kept;
}

/** Every service's whole log (kafkajs' lines too) written to files, for what the excerpts above leave out; says where. */
function savedLogs(world: WholePlatform): string {
  const dir = mkdtempSync(join(tmpdir(), 'tracklane-broken-promise-'));
  for (const app of SERVICES) writeFileSync(join(dir, `${app}.log`), world.platform.logs(app));
  return `every service's whole log: ${dir}`;
}

/** The last warnings and errors of each running service, not counting kafkajs' own (brokers coming and going). */
function serviceComplaints(world: WholePlatform, perService = 15): string {
  return SERVICES.map((app) => {
    const lines = world.platform
      .logs(app)
      .split('\n')
      .filter((line) => /"level":(40|50|60)/.test(line) && !line.includes('"logger":"kafkajs"'));
    return `${app}: ${lines.length} warnings and errors${lines.length ? ', the last:\n  ' : ''}${lines.slice(-perService).map((line) => line.slice(0, 600)).join('\n  ')}`;
  }).join('\n');
}
