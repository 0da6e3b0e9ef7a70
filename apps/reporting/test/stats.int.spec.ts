import { RunningService, startService } from '@tracklane/observability';
import { TestStack, createTestStack } from '@tracklane/testing';
import { Pool } from 'pg';
import { ReportingEnv } from '../src/reporting.env';
import { reportingService } from '../src/reporting.service';
import { CATALOG, Publisher, click, decision, getJson, projected, statusChange, storeApiKey } from './fixtures';

type Row = Record<string, string | number | null>;
interface Stats {
  rows: Row[];
  totals: Row[];
  meta: { total_rows: number; next_cursor: string | null; read_from: Record<string, unknown> };
}

/*
 * Five clicks and five conversions over two UTC days, small enough to add up by hand:
 *
 *   c1 03-03 10:15 offer 10 aff 7 sub1 a  US mobile  unique        → v1 approved 10.0000 / 7.2500 (goal 100)
 *   c2 03-03 10:45 offer 10 aff 7 sub1 b  US desktop repeat        → v2 pending   5.5000 / 4.0000 (goal 101), later approved
 *   c3 03-03 23:30 offer 11 aff 8 sub1 a  DE mobile  unique, bot   → v5 rejected  3.0000 / 2.0000 (goal 110)
 *   c4 03-04 01:00 offer 20 aff 7 sub1 x  FR mobile  unique (EUR)  → v3 approved 20.0000 / 15.0000 EUR (goal 200)
 *   c5 03-04 12:00 offer 10 aff 8 sub1 =1+1 US mobile unique       → v4 approved 10.0000 / 7.2500 (goal 100), later refunded
 */
describe('GET /v1/reports/stats', () => {
  let stack: TestStack;
  let service: RunningService<ReportingEnv>;
  let pool: Pool;
  let publisher: Publisher;
  let admin: string;

  const c1 = click('2025-03-03T10:15:00.000Z', { sub1: 'a' });
  const c2 = click('2025-03-03T10:45:00.000Z', { sub1: 'b', device: 'desktop', unique: false });
  const c3 = click('2025-03-03T23:30:00.000Z', { offerId: 11, affiliateId: 8, sub1: 'a', country: 'DE', flags: ['bot'] });
  const c4 = click('2025-03-04T01:00:00.000Z', { offerId: 20, advertiserId: 2, sub1: 'x', country: 'FR' });
  const c5 = click('2025-03-04T12:00:00.000Z', { affiliateId: 8, sub1: '=1+1' });
  const v1 = decision(c1, '2025-03-03T11:00:00.000Z', { revenue: '10.0000', payout: '7.2500' });
  const v2 = decision(c2, '2025-03-03T12:00:00.000Z', { revenue: '5.5000', payout: '4.0000', status: 'pending', goalId: 101 });
  const v3 = decision(c4, '2025-03-04T02:00:00.000Z', { revenue: '20.0000', payout: '15.0000', goalId: 200, currency: 'EUR' });
  const v4 = decision(c5, '2025-03-04T13:00:00.000Z', { revenue: '10.0000', payout: '7.2500' });
  const v5 = decision(c3, '2025-03-04T00:30:00.000Z', { revenue: '3.0000', payout: '2.0000', status: 'rejected', goalId: 110 });

  const stats = (query: string) => getJson<Stats>(`${service.url}/v1/reports/stats?${query}`, admin);
  const window = 'from=2025-03-03&to=2025-03-04';

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url });
    await pool.query(CATALOG);
    admin = await storeApiKey(pool, 'admin');
    service = await startService(reportingService, Object.assign(new ReportingEnv(), stack.env, { LOG_LEVEL: 'warn' }));
    publisher = await Publisher.connect(stack);
    await publisher.clicks([c1, c2, c3, c4, c5]);
    await publisher.attributions([v1, v2, v3, v4, v5]);
    await projected(pool, { clicks: 5, events: 5 });
  });

  afterAll(async () => {
    await publisher?.close();
    await service?.close();
    await pool?.end();
    await stack?.destroy();
  });

  it('groups by day with every metric, each currency apart, and totals', async () => {
    const { status, body } = await stats(`${window}&group_by=day`);
    expect(status).toBe(200);
    expect(body.rows).toEqual([
      {
        day: '2025-03-03', currency: 'USD', clicks: 3, unique_clicks: 2, invalid_clicks: 1,
        conversions: 1, pending_conversions: 1, rejected_conversions: 0, refunded_conversions: 0, total_conversions: 2,
        revenue: '10.0000', pending_revenue: '5.5000', payout: '7.2500', pending_payout: '4.0000', profit: '2.7500',
        cr: 33.3333, epc: '2.4167', rpc: '3.3333',
      },
      {
        day: '2025-03-04', currency: 'EUR', clicks: 1, unique_clicks: 1, invalid_clicks: 0,
        conversions: 1, pending_conversions: 0, rejected_conversions: 0, refunded_conversions: 0, total_conversions: 1,
        revenue: '20.0000', pending_revenue: '0.0000', payout: '15.0000', pending_payout: '0.0000', profit: '5.0000',
        cr: 100, epc: '15.0000', rpc: '20.0000',
      },
      {
        day: '2025-03-04', currency: 'USD', clicks: 1, unique_clicks: 1, invalid_clicks: 0,
        conversions: 1, pending_conversions: 0, rejected_conversions: 1, refunded_conversions: 0, total_conversions: 2,
        revenue: '10.0000', pending_revenue: '0.0000', payout: '7.2500', pending_payout: '0.0000', profit: '2.7500',
        cr: 100, epc: '7.2500', rpc: '10.0000',
      },
    ]);
    expect(body.totals).toEqual([
      expect.objectContaining({ currency: 'EUR', clicks: 1, conversions: 1, revenue: '20.0000', payout: '15.0000' }),
      expect.objectContaining({ currency: 'USD', clicks: 4, conversions: 2, pending_conversions: 1, rejected_conversions: 1, revenue: '20.0000', payout: '14.5000', cr: 50 }),
    ]);
    expect(body.meta.total_rows).toBe(3);
    expect(body.meta.read_from).toEqual({ rollup: 'offer', daily_rollups: true, hourly_spans: 0, raw_ranges: 0 });
  });

  it('groups by offer and affiliate with names, filtered, sorted by a metric', async () => {
    const { body } = await stats(`${window}&group_by=offer,affiliate&metrics=clicks,conversions,revenue&offer_id=10,11&sort=-clicks`);
    expect(body.rows).toEqual([
      { offer_id: 10, offer_name: 'Acme Shoes', affiliate_id: 7, affiliate_name: 'Pub Seven', currency: 'USD', clicks: 2, conversions: 1, revenue: '10.0000' },
      { offer_id: 10, offer_name: 'Acme Shoes', affiliate_id: 8, affiliate_name: 'Pub Eight', currency: 'USD', clicks: 1, conversions: 1, revenue: '10.0000' },
      { offer_id: 11, offer_name: 'Acme Hats', affiliate_id: 8, affiliate_name: 'Pub Eight', currency: 'USD', clicks: 1, conversions: 0, revenue: '0.0000' },
    ]);
    expect(body.meta.read_from.rollup).toBe('offer_affiliate');
  });

  it('groups by sub id and country, filtered by sub id and device', async () => {
    const { body } = await stats(`${window}&group_by=sub1,country&sub1=a&sub1=b&device=mobile&metrics=clicks,invalid_clicks,conversions`);
    expect(body.rows).toEqual([
      { sub1: 'a', country: 'DE', currency: 'USD', clicks: 1, invalid_clicks: 1, conversions: 0 },
      { sub1: 'a', country: 'US', currency: 'USD', clicks: 1, invalid_clicks: 0, conversions: 1 },
    ]);
    expect(body.meta.read_from.rollup).toBe('full');
  });

  it('groups by advertiser and country from the geo rollup', async () => {
    const { body } = await stats(`${window}&group_by=advertiser,country&metrics=clicks,revenue`);
    expect(body.rows).toEqual([
      { advertiser_id: 1, advertiser_name: 'Acme', country: 'DE', currency: 'USD', clicks: 1, revenue: '0.0000' },
      { advertiser_id: 1, advertiser_name: 'Acme', country: 'US', currency: 'USD', clicks: 3, revenue: '20.0000' },
      { advertiser_id: 2, advertiser_name: 'Globex', country: 'FR', currency: 'EUR', clicks: 1, revenue: '20.0000' },
    ]);
    expect(body.meta.read_from.rollup).toBe('offer_geo');
  });

  it('splits conversions by status and goal, leaving click metrics out', async () => {
    const byStatus = await stats(`${window}&group_by=status&currency=USD`);
    expect(byStatus.body.rows.map((row) => [row.status, row.total_conversions, row.revenue, row.pending_revenue])).toEqual([
      ['approved', 2, '20.0000', '0.0000'],
      ['pending', 1, '0.0000', '5.5000'],
      ['rejected', 1, '0.0000', '0.0000'],
    ]);
    expect(byStatus.body.rows[0]).not.toHaveProperty('clicks');
    expect(byStatus.body.rows[0]).not.toHaveProperty('cr');

    const byGoal = await stats(`${window}&group_by=goal&metrics=total_conversions,revenue&status=approved,pending`);
    expect(byGoal.body.rows).toEqual([
      { goal_id: 100, goal_name: 'Sale', currency: 'USD', total_conversions: 2, revenue: '20.0000' },
      { goal_id: 101, goal_name: 'Lead', currency: 'USD', total_conversions: 1, revenue: '0.0000' },
      { goal_id: 200, goal_name: 'Loan', currency: 'EUR', total_conversions: 1, revenue: '20.0000' },
    ]);
  });

  it('refuses click metrics where only conversions can be split', async () => {
    const { status, body } = await stats(`${window}&group_by=goal&metrics=clicks`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 400, errors: [{ field: 'metrics' }] });
  });

  it('pages with limit and offset or the cursor it hands out, totals covering every page', async () => {
    const first = await stats(`${window}&group_by=sub1&metrics=clicks&limit=2`);
    expect(first.body.rows.map((row) => row.sub1)).toEqual(['=1+1', 'a']);
    expect(first.body.meta.total_rows).toBe(4);
    expect(first.body.totals).toEqual([
      { currency: 'EUR', clicks: 1 },
      { currency: 'USD', clicks: 4 },
    ]);
    const second = await stats(`${window}&group_by=sub1&metrics=clicks&limit=2&cursor=${first.body.meta.next_cursor}`);
    expect(second.body.rows.map((row) => [row.sub1, row.currency])).toEqual([
      ['b', 'USD'],
      ['x', 'EUR'],
    ]);
    expect(second.body.meta.next_cursor).toBeNull();
    const byOffset = await stats(`${window}&group_by=sub1&metrics=clicks&limit=2&offset=2`);
    expect(byOffset.body.rows).toEqual(second.body.rows);
    const elsewhere = await stats(`${window}&group_by=day&metrics=clicks&limit=2&cursor=${first.body.meta.next_cursor}`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body).toMatchObject({ status: 400, errors: [{ field: 'cursor' }] });
  });

  it('moves amounts between statuses when conversions are approved or refunded', async () => {
    await publisher.attributions([statusChange(v2, 'approved', '2025-03-05T09:00:00.000Z'), statusChange(v4, 'refunded', '2025-03-05T10:00:00.000Z')]);
    await projected(pool, { clicks: 5, events: 7 });
    const { body } = await stats(`${window}&group_by=day&currency=USD&metrics=conversions,pending_conversions,refunded_conversions,revenue,payout`);
    expect(body.rows).toEqual([
      { day: '2025-03-03', currency: 'USD', conversions: 2, pending_conversions: 0, refunded_conversions: 0, revenue: '15.5000', payout: '11.2500' },
      { day: '2025-03-04', currency: 'USD', conversions: 0, pending_conversions: 0, refunded_conversions: 1, revenue: '0.0000', payout: '0.0000' },
    ]);
  });

  it('answers CSV, streamed, with hostile sub ids neutralised', async () => {
    const response = await fetch(`${service.url}/v1/reports/stats?${window}&group_by=sub1&metrics=clicks,revenue&api_key=${admin}`, {
      headers: { accept: 'text/csv' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await response.text()).toBe(
      ['sub1,currency,clicks,revenue', "'=1+1,USD,1,0.0000", 'a,USD,2,10.0000', 'b,USD,1,5.5000', 'x,EUR,1,20.0000', ''].join('\r\n'),
    );
  });

  it.each([
    ['group_by=day,campaign', 'group_by', 400],
    ['group_by=day,hour', 'group_by', 400],
    ['metrics=clicks,visits', 'metrics', 400],
    ['sort=-visits', 'sort', 400],
    ['timezone=Mars/Olympus', 'timezone', 400],
    ['offer_id=ten', 'offer_id', 400],
    ['country=USA', 'country', 400],
    ['status=lost', 'status', 400],
    ['limit=0', 'limit', 400],
    ['limit=10001', 'limit', 400],
    ['colour=blue', 'colour', 400],
  ])('refuses %s naming %s', async (query, parameter, status) => {
    const response = await stats(`${window}&${query}`);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ type: 'urn:tracklane:problem:invalid-request', status, errors: [{ field: parameter }] });
  });

  it.each([
    ['from=2025-03-05&to=2025-03-04', 'from'],
    ['from=2025-02-30&to=2025-03-04', 'from'],
    ['from=yesterday&to=2025-03-04', 'from'],
    ['to=2025-03-04', 'from'],
    ['from=2025-01-01&to=2025-03-04&group_by=hour', 'group_by'],
  ])('refuses the range %s naming %s', async (query, parameter) => {
    const response = await stats(query);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: 'urn:tracklane:problem:invalid-request', status: 400, errors: [{ field: parameter }] });
  });

  it('asks for a key, naming the ways to send one', async () => {
    const response = await getJson(`${service.url}/v1/reports/stats?${window}`);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ type: 'urn:tracklane:problem:unauthenticated', status: 401, reason: 'missing' });
    expect(String(response.body.detail)).toContain('X-Api-Key');
    expect(String(response.body.detail)).toContain('?api_key=');
  });

  it('takes ?api_key= on the report endpoints only: reconciliation wants the key in a header', async () => {
    const response = await getJson(`${service.url}/v1/reconciliation?${window}&api_key=${admin}`);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ status: 401, reason: 'missing' });
    expect(String(response.body.detail)).toContain('does not take ?api_key=');
    expect((await getJson(`${service.url}/v1/reconciliation?${window}`, admin)).status).toBe(200);
  });

  it('counts bots, rate-limited clicks and fallbacks as invalid, but not clicks that could only not be checked', async () => {
    await publisher.clicks([
      click('2025-03-10T10:00:00.000Z', { flags: ['unverified'] }),
      click('2025-03-10T10:01:00.000Z', { flags: ['rate_limited'] }),
      click('2025-03-10T10:02:00.000Z', { disposition: 'offer_paused' }),
    ]);
    await projected(pool, { clicks: 8, events: 7 });
    const { body } = await stats('from=2025-03-10&to=2025-03-10&metrics=clicks,invalid_clicks');
    expect(body.rows).toEqual([{ currency: 'USD', clicks: 3, invalid_clicks: 2 }]);
  });
});

