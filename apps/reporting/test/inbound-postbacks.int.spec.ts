import { newId } from '@tracklane/contracts';
import { RunningService, startService } from '@tracklane/observability';
import { TestStack, createTestStack } from '@tracklane/testing';
import { Pool } from 'pg';
import { ReportingEnv } from '../src/reporting.env';
import { reportingService } from '../src/reporting.service';
import { CATALOG, getJson, storeApiKey } from './fixtures';

type Row = Record<string, unknown>;
interface Page {
  rows: Row[];
  meta: { next_cursor: string | null };
}

/*
 * The inbound postback log as postback-ingest writes it (inbound_postbacks):
 * advertiser 1 sent five postbacks, advertiser 2 one, and one came with an
 * unknown token. Advertisers read their own, admins all, affiliates nothing.
 */
describe('GET /v1/reports/inbound-postbacks', () => {
  let stack: TestStack;
  let service: RunningService<ReportingEnv>;
  let pool: Pool;
  const keys: Record<string, string> = {};
  const window = 'from=2025-05-01&to=2025-05-01';
  const get = (query: string, key: string) => getJson<Page>(`${service.url}/v1/reports/inbound-postbacks?${window}${query}`, keys[key]);

  async function logged(at: string, advertiserId: number | null, outcome: string, extra: Row = {}): Promise<string> {
    const id = newId(Date.parse(at));
    await pool.query(
      `INSERT INTO inbound_postbacks (id, received_at, advertiser_id, endpoint, method, params, mapping, fields, outcome, http_status,
                                     kind, conversion_id, click_id, order_id, error, reason, problems)
       VALUES ($1, $2, $3, 'postback', 'GET', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        id,
        at,
        advertiserId,
        JSON.stringify(extra.params ?? { token: '[masked]', click_id: extra.click_id ?? 'c' }),
        advertiserId === null ? null : JSON.stringify({ preset: 'voluum' }),
        JSON.stringify(extra.fields ?? { click_id: { value: extra.click_id ?? 'c', param: 'cid' } }),
        outcome,
        extra.http_status ?? 200,
        extra.kind ?? null,
        extra.conversion_id ?? null,
        extra.click_id ?? null,
        extra.order_id ?? null,
        extra.error ?? null,
        extra.reason ?? null,
        extra.problems ? JSON.stringify(extra.problems) : null,
      ],
    );
    return id;
  }

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url });
    await pool.query(CATALOG);
    keys.admin = await storeApiKey(pool, 'admin');
    keys.advertiser1 = await storeApiKey(pool, 'advertiser', 1);
    keys.advertiser2 = await storeApiKey(pool, 'advertiser', 2);
    keys.affiliate7 = await storeApiKey(pool, 'affiliate', 7);
    const conversionId = newId();
    await logged('2025-05-01T10:00:00Z', 1, 'accepted', { click_id: 'click-a', order_id: 'O-1', kind: 'conversion', conversion_id: conversionId });
    await logged('2025-05-01T10:01:00Z', 1, 'duplicate', { click_id: 'click-a', order_id: 'O-1', kind: 'conversion', conversion_id: conversionId });
    await logged('2025-05-01T10:02:00Z', 1, 'refused', {
      click_id: 'click-b',
      http_status: 400,
      error: 'invalid_parameter',
      reason: 'amount must be a decimal number',
      problems: [{ field: 'amount', rule: 'isDecimal', reason: 'amount must be a decimal number' }],
    });
    await logged('2025-05-01T10:03:00Z', 1, 'refused', { http_status: 403, error: 'forbidden', reason: 'ip_not_allowed' });
    await logged('2025-05-01T10:04:00Z', 1, 'replay', { click_id: 'click-c', kind: 'conversion' });
    await logged('2025-05-01T10:05:00Z', 2, 'accepted', { click_id: 'click-z', kind: 'conversion' });
    await logged('2025-05-01T10:06:00Z', null, 'refused', { http_status: 401, error: 'unauthorized', reason: 'unknown_token' });
    service = await startService(reportingService, Object.assign(new ReportingEnv(), stack.env, { LOG_LEVEL: 'warn' }));
  });

  afterAll(async () => {
    await service?.close();
    await pool?.end();
    await stack?.destroy();
  });

  it('shows an advertiser its own postbacks only, newest first, with what was read and decided', async () => {
    const { status, body } = await get('', 'advertiser1');
    expect(status).toBe(200);
    expect(body.rows.map((row) => row.outcome)).toEqual(['replay', 'refused', 'refused', 'duplicate', 'accepted']);
    expect(body.rows.every((row) => row.advertiser_id === 1)).toBe(true);
    expect(body.rows[2]).toMatchObject({
      http_status: 400,
      error: 'invalid_parameter',
      reason: 'amount must be a decimal number',
      problems: [{ field: 'amount', rule: 'isDecimal', reason: 'amount must be a decimal number' }],
      params: { token: '[masked]', click_id: 'click-b' },
      mapping: { preset: 'voluum' },
      fields: { click_id: { value: 'click-b', param: 'cid' } },
    });
    expect(body.rows[4]).toMatchObject({ outcome: 'accepted', kind: 'conversion', order_id: 'O-1', conversion_id: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('click-z');
  });

  it('filters by outcome, click id and order id, and pages with a cursor', async () => {
    expect((await get('&outcome=refused', 'advertiser1')).body.rows.map((row) => row.reason)).toEqual(['ip_not_allowed', 'amount must be a decimal number']);
    expect((await get('&click_id=click-a', 'advertiser1')).body.rows.map((row) => row.outcome)).toEqual(['duplicate', 'accepted']);
    expect((await get('&order_id=O-1&outcome=accepted', 'advertiser1')).body.rows).toHaveLength(1);

    const first = await get('&limit=2&order=asc', 'advertiser1');
    expect(first.body.rows.map((row) => row.outcome)).toEqual(['accepted', 'duplicate']);
    const second = await get(`&limit=2&order=asc&cursor=${first.body.meta.next_cursor}`, 'advertiser1');
    expect(second.body.rows.map((row) => row.outcome)).toEqual(['refused', 'refused']);
    const third = await get(`&limit=2&order=asc&cursor=${second.body.meta.next_cursor}`, 'advertiser1');
    expect(third.body.rows.map((row) => row.outcome)).toEqual(['replay']);
    expect(third.body.meta.next_cursor).toBeNull();
  });

  it("refuses another advertiser's postbacks by name, and affiliates altogether", async () => {
    const foreign = await get('&advertiser_id=2', 'advertiser1');
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ type: 'urn:tracklane:problem:forbidden', errors: [{ field: 'advertiser_id' }] });
    const affiliate = await get('', 'affiliate7');
    expect(affiliate.status).toBe(403);
    expect(affiliate.body).toMatchObject({ type: 'urn:tracklane:problem:forbidden' });
  });

  it('shows admins every postback, those without a known advertiser included, and filters by advertiser', async () => {
    expect((await get('', 'admin')).body.rows).toHaveLength(7);
    expect((await get('&advertiser_id=2', 'admin')).body.rows.map((row) => row.click_id)).toEqual(['click-z']);
    expect((await get('&outcome=refused', 'admin')).body.rows.map((row) => row.advertiser_id)).toEqual([null, 1, 1]);
  });

  it('exports CSV with the JSON columns as text', async () => {
    const response = await fetch(`${service.url}/v1/reports/inbound-postbacks?${window}&format=csv&api_key=${keys.advertiser2}`);
    const [header, row] = (await response.text()).split('\r\n');
    expect(header.split(',').slice(0, 7)).toEqual(['id', 'received_at', 'advertiser_id', 'endpoint', 'method', 'content_type', 'outcome']);
    expect(row).toContain('click-z');
    expect(row).toContain('"{""token"": ""[masked]""');
  });
});
