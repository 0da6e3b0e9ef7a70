import { AttributionStatus, AttributionV1, attributionsV1, clicksV1, topicNames } from '@tracklane/contracts';
import { startService } from '@tracklane/observability';
import { DEAD_LETTER_HEADERS } from '@tracklane/messaging';
import { ServiceProcess, TestStack, createTestStack, readTopic, waitFor } from '@tracklane/testing';
import Decimal from 'decimal.js';
import { Pool } from 'pg';
import { ReportingEnv } from '../src/reporting.env';
import { reportingService } from '../src/reporting.service';
import { CATALOG, Publisher, book, click, decision, getJson, projected, statusChange, storeApiKey } from './fixtures';

interface Reconciliation {
  balanced: boolean;
  currencies: { currency: string; ledger: Record<string, string | number>; rollups: Record<string, string | number>; matches: boolean }[];
  mismatched_conversions: { conversion_id: string }[];
}

const HOUR = 3_600_000;
const START = Date.parse('2025-05-01T00:00:00.000Z');
const CLICKS = 2_000;

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Status paths attribution can take, with the ledger moves they book. */
const PATHS: AttributionStatus[][] = [
  ['approved'],
  ['pending'],
  ['rejected'],
  ['pending', 'approved'],
  ['pending', 'rejected'],
  ['approved', 'refunded'],
  ['pending', 'approved', 'refunded'],
];

describe('the read model', () => {
  let stack: TestStack;
  let pool: Pool;
  let admin: string;
  // A real process where it gets killed; in-process (faster to start) where it only stops cleanly.
  let service: { url: string; stop(): Promise<unknown> } & Partial<Pick<ServiceProcess, 'kill'>>;
  let publisher: Publisher;

  const start = () => ServiceProcess.start({ app: 'reporting', env: stack.env, startTimeoutMs: 90_000 });
  const startInProcess = async () => {
    const running = await startService(reportingService, Object.assign(new ReportingEnv(), stack.env, { LOG_LEVEL: 'warn' }));
    return { url: running.url, stop: () => running.close() };
  };
  const clickSum = async (table: string) => Number((await pool.query(`SELECT coalesce(sum(clicks), 0) AS n FROM ${table}`)).rows[0].n);

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url });
    await pool.query(CATALOG);
    admin = await storeApiKey(pool, 'admin');
    publisher = await Publisher.connect(stack);
    service = await start();
  });

  afterAll(async () => {
    await publisher?.close();
    await service?.stop();
    await pool?.end();
    await stack?.destroy();
  });

  it('counts every click once when the service is killed mid-stream and restarted', async () => {
    const clicks = Array.from({ length: CLICKS }, (_, index) =>
      click(new Date(START + (index % 48) * HOUR + index).toISOString(), { affiliateId: index % 2 ? 7 : 8, sub1: `s${index % 97}` }),
    );
    for (let batch = 0; batch < clicks.length; batch += 250) await publisher.clicks(clicks.slice(batch, batch + 250));
    await waitFor(async () => (await pool.query('SELECT count(*)::int AS n FROM rep_clicks')).rows[0].n > 0, { what: 'first clicks' });
    await service.kill?.();
    const before = (await pool.query('SELECT count(*)::int AS n FROM rep_clicks')).rows[0].n;
    service = await start();
    await projected(pool, { clicks: clicks.length, events: 0 });
    expect(before).toBeLessThanOrEqual(clicks.length);
    // Raw rows and every rollup agree: nothing twice, nothing lost.
    for (const table of ['rep_clicks', 'rep_hourly_offer', 'rep_hourly_full', 'rep_daily_affiliate', 'rep_daily_offer_affiliate_geo']) {
      const total = table === 'rep_clicks' ? (await pool.query('SELECT count(*)::int AS n FROM rep_clicks')).rows[0].n : await clickSum(table);
      expect([table, total]).toEqual([table, clicks.length]);
    }
  }, 150_000); // the killed member holds its partitions until its 30 s session times out

  it('equals the ledger to the cent, through approvals, rejections and refunds', async () => {
    const next = random(7);
    const events: AttributionV1[] = [];
    const clicks = [];
    for (let index = 0; index < 300; index++) {
      const clicked = click(new Date(START + Math.floor(next() * 72) * HOUR + index).toISOString(), {
        offerId: index % 3 === 0 ? 20 : 10,
        advertiserId: index % 3 === 0 ? 2 : 1,
        affiliateId: index % 2 ? 7 : 8,
      });
      clicks.push(clicked);
      const revenue = new Decimal(Math.floor(next() * 99_999_999)).dividedBy(10_000).toFixed(4);
      const payout = new Decimal(revenue).times(next()).toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed(4);
      const path = PATHS[Math.floor(next() * PATHS.length)];
      const first = decision(clicked, new Date(Date.parse(clicked.occurredAt) + 60_000).toISOString(), {
        revenue,
        payout,
        status: path[0],
        currency: clicked.offerId === 20 ? 'EUR' : 'USD',
      });
      await book(pool, first);
      events.push(first);
      let previous = first;
      for (const [step, status] of path.slice(1).entries()) {
        const change = statusChange(previous, status, new Date(Date.parse(first.decidedAt) + (step + 1) * 1_000).toISOString());
        await book(pool, change, previous.status);
        events.push(change);
        previous = change;
      }
    }
    await publisher.clicks(clicks);
    await publisher.attributions(events);
    await projected(pool, { clicks: CLICKS + clicks.length, events: events.length });

    for (const [from, to] of [
      ['2025-05-01', '2025-05-03'],
      ['2025-05-02', '2025-05-02'],
      ['2025-05-01T05:00:00Z', '2025-05-02T17:00:00Z'],
    ]) {
      const { status, body } = await getJson<Reconciliation>(`${service.url}/v1/reconciliation?from=${from}&to=${to}`, admin);
      expect(status).toBe(200);
      expect(body.mismatched_conversions).toEqual([]);
      expect(body.currencies.map((entry) => [entry.currency, entry.matches])).toEqual([
        ['EUR', true],
        ['USD', true],
      ]);
      expect(body.balanced).toBe(true);
    }

    // The amounts themselves, added up here from what attribution sent.
    const last = new Map(events.map((event) => [event.conversionId, event]));
    const expected = { approved: new Decimal(0), refunded: 0 };
    for (const event of last.values()) {
      if (event.currency === 'USD' && event.status === 'approved') expected.approved = expected.approved.plus(event.revenue);
      if (event.currency === 'USD' && event.status === 'refunded') expected.refunded++;
    }
    const { body } = await getJson<Reconciliation>(`${service.url}/v1/reconciliation?from=2025-05-01&to=2025-05-03`, admin);
    const usd = body.currencies.find((entry) => entry.currency === 'USD');
    expect(usd?.rollups.approved_revenue).toBe(expected.approved.toFixed(4));
    expect(usd?.ledger.approved_revenue).toBe(expected.approved.toFixed(4));
    expect(usd?.rollups.refunded_conversions).toBe(expected.refunded);
  }, 120_000);

  it('does not count replayed events twice, whether repeated or re-read from the start of the topics', async () => {
    const stats = async () =>
      (await getJson(`${service.url}/v1/reports/stats?from=2025-05-01&to=2025-05-03&group_by=day,affiliate,status&metrics=total_conversions,revenue,payout`, admin))
        .body;
    const before = await stats();
    const events = (await pool.query('SELECT count(*)::int AS n FROM rep_attribution_events')).rows[0].n;

    // The same messages again, as a producer retry would send them…
    const again = (await pool.query('SELECT click_id FROM rep_clicks LIMIT 50')).rows.map((row) => row.click_id);
    const replayed = click('2025-05-01T00:00:00.000Z', { clickId: again[0] });
    await publisher.clicks([replayed]);
    // …and the whole of both topics once more, from offset zero (the group must be empty to move its offsets).
    await service.stop();
    const admin_ = stack.topics.kafka.admin();
    await admin_.connect();
    for (const contract of [clicksV1, attributionsV1]) {
      await admin_.resetOffsets({ groupId: `${stack.topics.prefix}reporting`, topic: topicNames(contract, stack.topics.prefix).main, earliest: true });
    }
    service = await startInProcess();
    await waitFor(
      async () => {
        const lag = await Promise.all(
          [clicksV1, attributionsV1].map(async (contract) => {
            const topic = topicNames(contract, stack.topics.prefix).main;
            const [ends, committed] = await Promise.all([
              admin_.fetchTopicOffsets(topic),
              admin_.fetchOffsets({ groupId: `${stack.topics.prefix}reporting`, topics: [topic] }),
            ]);
            return committed[0].partitions.every((partition) => {
              const high = ends.find((end) => end.partition === partition.partition)?.high;
              return high === '0' || partition.offset === high;
            });
          }),
        );
        return lag.every(Boolean);
      },
      { timeoutMs: 60_000, what: 'the replay to reach the end of both topics' },
    );
    await admin_.disconnect();
    expect((await pool.query('SELECT count(*)::int AS n FROM rep_attribution_events')).rows[0].n).toBe(events);
    expect((await pool.query('SELECT count(*)::int AS n FROM rep_clicks')).rows[0].n).toBe(CLICKS + 300);
    expect(await clickSum('rep_hourly_offer')).toBe(CLICKS + 300);
    expect(await stats()).toEqual(before);
    const reconciliation = await getJson<Reconciliation>(`${service.url}/v1/reconciliation?from=2025-05-01&to=2025-05-03`, admin);
    expect(reconciliation.body.balanced).toBe(true);
  }, 150_000);

  it('shows an operator which conversion the books have and the read model does not (yet)', async () => {
    const clicked = click('2025-05-02T08:00:00.000Z');
    const late = decision(clicked, '2025-05-02T08:05:00.000Z', { revenue: '12.3400', payout: '10.0000' });
    await book(pool, late);
    const unbalanced = await getJson<Reconciliation>(`${service.url}/v1/reconciliation?from=2025-05-02&to=2025-05-02`, admin);
    expect(unbalanced.body.balanced).toBe(false);
    expect(unbalanced.body.mismatched_conversions.map((entry) => entry.conversion_id)).toEqual([late.conversionId]);
    await publisher.attributions([late]);
    await waitFor(async () => (await getJson<Reconciliation>(`${service.url}/v1/reconciliation?from=2025-05-02&to=2025-05-02`, admin)).body.balanced, {
      timeoutMs: 30_000,
      what: 'the read model to catch up with the ledger',
    });
  });

  it('sums amounts past what a bigint of ten-thousandths holds, exactly', async () => {
    // The largest amount a contract carries (and a postback bound may allow); ten of them overflowed a bigint rollup.
    const largest = '99999999999999.9999';
    const conversions = Array.from({ length: 12 }, (_, index) =>
      decision(click(`2025-07-01T10:00:${String(index).padStart(2, '0')}.000Z`, { offerId: 11 }), `2025-07-01T10:05:${String(index).padStart(2, '0')}.000Z`, {
        revenue: largest,
        payout: largest,
        goalId: 110,
      }),
    );
    await publisher.attributions(conversions);
    const expected = new Decimal(largest).times(conversions.length).toFixed(4);
    const report = async () =>
      (await getJson<{ rows: { revenue: string; payout: string; conversions: number }[] }>(
        `${service.url}/v1/reports/stats?from=2025-07-01&to=2025-07-01&group_by=offer&metrics=conversions,revenue,payout`,
        admin,
      )).body.rows;
    await waitFor(async () => (await report())[0]?.conversions === conversions.length, { timeoutMs: 30_000, what: 'the large conversions' });
    expect(await report()).toEqual([expect.objectContaining({ conversions: 12, revenue: expected, payout: expected })]);
    const { rows } = await pool.query(`SELECT sum(approved_revenue_e4)::text AS e4 FROM rep_hourly_offer WHERE offer_id = 11 AND hour >= '2025-07-01'`);
    expect(rows[0].e4).toBe(new Decimal(largest).times(10_000).times(12).toFixed(0));
  });

  it('sends a message Postgres refuses to the dead-letter topic and records the rest of its batch', async () => {
    const before = (await pool.query('SELECT count(*)::int AS n FROM rep_clicks')).rows[0].n;
    const good = [click('2025-05-02T09:00:00.000Z'), click('2025-05-02T09:01:00.000Z')];
    // Valid by the contract, but no Postgres integer can hold the offer id.
    const refused = click('2025-05-02T09:00:30.000Z', { offerId: 3_000_000_000 });
    await publisher.clicks([good[0], refused, good[1]]);
    const [dead] = await readTopic(stack.topics.kafka, topicNames(clicksV1, stack.topics.prefix).deadLetter, { expected: 1 });
    expect(dead.key).toBe(refused.clickId);
    expect(dead.headers[DEAD_LETTER_HEADERS.error]).toMatch(/out of range/);
    await projected(pool, { clicks: before + 2, events: (await pool.query('SELECT count(*)::int AS n FROM rep_attribution_events')).rows[0].n });
    const { rows } = await pool.query('SELECT click_id FROM rep_clicks WHERE click_id = ANY($1)', [[...good, refused].map((one) => one.clickId)]);
    expect(rows.map((row) => row.click_id).sort()).toEqual(good.map((one) => one.clickId).sort());
  });
});

