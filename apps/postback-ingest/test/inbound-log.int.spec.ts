import { newId } from '@tracklane/contracts';
import { waitFor } from '@tracklane/testing';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

interface LoggedRow {
  advertiser_id: number | null;
  endpoint: string;
  params: Record<string, string>;
  mapping: unknown;
  fields: Record<string, { value: string; param: string; received?: string }> | null;
  conversion_key: string | null;
  outcome: string;
  http_status: number;
  kind: string | null;
  conversion_id: string | null;
  click_id: string | null;
  order_id: string | null;
  error: string | null;
  reason: string | null;
  problems: { field: string; rule: string }[] | null;
}

/**
 * Every postback the endpoint answers lands in inbound_postbacks, after the
 * answer: accepted, duplicates, replays and refusals alike, with what was
 * read and decided, and never a secret.
 */
describe('postback-ingest keeps an inbound postback log', () => {
  let kit: PostbackKit;
  const mapping = { params: { api_key: 'token', tid: 'click_id', cents: 'amount' }, transforms: { amount: { scale: 2 } } };

  beforeAll(async () => {
    kit = await startPostbackKit(
      [
        { id: 1, token: 'tok-plain-1' },
        { id: 2, token: 'tok-partner-2', paramMapping: mapping },
        { id: 3, token: 'tok-office-3', ipAllowlist: ['10.0.0.0/8'] },
      ],
      { env: { POSTBACK_LOG_FLUSH_MS: 20 } },
    );
  });
  afterAll(() => kit?.close());

  /** The logged row of the postback whose click id (or marker parameter) is `marker`. */
  async function logged(where: string, value: string, count = 1): Promise<LoggedRow[]> {
    return waitFor(async () => {
      const { rows } = await kit.pool.query<LoggedRow>(`SELECT * FROM inbound_postbacks WHERE ${where} = $1 ORDER BY id`, [value]);
      return rows.length >= count && rows;
    }, { what: `${count} inbound log rows where ${where} = ${value}` });
  }

  it('logs an accepted postback and its duplicate with the conversion they name', async () => {
    const clickId = newId();
    const params = { token: 'tok-plain-1', click_id: clickId, order_id: 'O-1', amount: '19.90', currency: 'eur', note: 'hi' };
    const first = (await (await kit.get('/postback', params)).json()) as { conversionId: string };
    const again = await kit.get('/postback', params);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const [accepted, duplicate] = await logged('click_id', clickId, 2);
    expect(accepted).toMatchObject({
      advertiser_id: 1,
      endpoint: 'postback',
      outcome: 'accepted',
      http_status: 200,
      kind: 'conversion',
      conversion_id: first.conversionId,
      order_id: 'O-1',
      params: { token: '[masked]', click_id: clickId, order_id: 'O-1', amount: '19.90', currency: 'eur', note: 'hi' },
      fields: { amount: { value: '19.90', param: 'amount' }, currency: { value: 'eur', param: 'currency' } },
      error: null,
    });
    expect(duplicate).toMatchObject({ outcome: 'duplicate', http_status: 200, conversion_id: first.conversionId });
  });

  it('tells a replay (identical, no order id) from a duplicate', async () => {
    const clickId = newId();
    const params = { token: 'tok-plain-1', click_id: clickId, goal: 'install' };
    await kit.get('/postback', params);
    await kit.get('/postback', params);
    expect((await logged('click_id', clickId, 2)).map((row) => row.outcome)).toEqual(['accepted', 'replay']);
  });

  it('shows the partner mapping applied and the fields it read, masking the token under the partner’s own name', async () => {
    const clickId = newId();
    const response = await kit.get('/postback', { api_key: 'tok-partner-2', tid: clickId, cents: '1999', currency: 'USD' });
    expect(response.status).toBe(200);
    const [row] = await logged('click_id', clickId);
    expect(row.advertiser_id).toBe(2);
    expect(row.mapping).toEqual(mapping);
    expect(row.params).toEqual({ api_key: '[masked]', tid: clickId, cents: '1999', currency: 'USD' });
    expect(row.fields).toMatchObject({ click_id: { param: 'tid' }, amount: { value: '19.99', param: 'cents', received: '1999' } });
    expect(JSON.stringify(row)).not.toContain('tok-partner-2');
  });

  it('logs refusals with the reason, the problems and what was read so far', async () => {
    const clickId = newId();
    const refused = await kit.get('/postback', { token: 'tok-plain-1', click_id: clickId, amount: 'ten', marker: 'bad-amount' });
    expect(refused.status).toBe(400);
    const [row] = await logged(`params->>'marker'`, 'bad-amount');
    expect(row).toMatchObject({
      advertiser_id: 1,
      outcome: 'refused',
      http_status: 400,
      error: 'invalid_parameter',
      click_id: clickId,
      fields: { amount: { value: 'ten' } },
      conversion_id: null,
    });
    expect(row.problems?.[0]).toMatchObject({ field: 'amount' });
  });

  it('logs an authentication failure for a known advertiser, and an unknown token for admins only, never the secrets', async () => {
    const ipRefused = await kit.get('/postback', { token: 'tok-office-3', click_id: newId(), marker: 'office' }, { 'x-tracklane-signature': 'f'.repeat(64) });
    expect(ipRefused.status).toBe(403);
    const [office] = await logged(`params->>'marker'`, 'office');
    expect(office).toMatchObject({ advertiser_id: 3, outcome: 'refused', http_status: 403, error: 'forbidden', reason: 'ip_not_allowed' });
    expect(office.params.token).toBe('[masked]');

    await kit.get('/postback', { token: 'tok-guess', click_id: newId(), marker: 'guess', signature: 'abc' });
    const [guess] = await logged(`params->>'marker'`, 'guess');
    expect(guess).toMatchObject({ advertiser_id: null, outcome: 'refused', http_status: 401, reason: 'unknown_token' });
    expect(guess.params).toMatchObject({ token: '[masked]', signature: '[masked]' });

    // A real token under a name the mapping does not give it is still never stored.
    await kit.get('/postback', { apikey: 'tok-partner-2', tid: newId(), marker: 'misnamed' });
    const [misnamed] = await logged(`params->>'marker'`, 'misnamed');
    expect(misnamed.params.apikey).toBe('[masked]');
    const { rows } = await kit.pool.query(`SELECT count(*)::int AS n FROM inbound_postbacks WHERE params::text LIKE '%tok-%'`);
    expect(rows[0].n).toBe(0);
  });

  it('logs a request whose parameters could not be read, with what can be stored of them, for the advertiser its token names', async () => {
    const response = await fetch(kit.url('/postback', { token: 'tok-plain-1', click_id: 'a\u0000b', marker: 'nul' }));
    expect(response.status).toBe(400);
    const [row] = await logged(`params->>'marker'`, 'nul');
    expect(row).toMatchObject({ advertiser_id: 1, outcome: 'refused', http_status: 400, error: 'invalid_parameter' });
    expect(row.params).toMatchObject({ token: '[masked]', click_id: 'a\ufffdb' });
    await fetch(`${kit.url('/postback', { token: 'tok-plain-1', marker: 'twice' })}&amount=1&amount=2`);
    expect((await logged(`params->>'marker'`, 'twice'))[0]).toMatchObject({ advertiser_id: 1, outcome: 'refused', params: { amount: '["1","2"]' } });
  });

  it('counts what it wrote in its metrics', async () => {
    const metrics = await (await fetch(`${kit.service.url}/metrics`)).text();
    expect(metrics).toMatch(/tracklane_inbound_postback_log_written_total \d+/);
  });
});
