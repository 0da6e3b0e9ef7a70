import { idTime, newId } from '@tracklane/contracts';
import { ManagementUnderTest, startManagement } from './management-harness';

/**
 * Erasing a visitor's personal data, by click id or by an advertiser's order
 * id: the IP, user agent, referrer and extra parameters of their clicks (in
 * attribution's and reporting's tables), the parameters of the postbacks
 * that named them and their conversions' raw parameters go; ids, sub ids and
 * money stay; the audit log records it.
 */
describe('management API: erasing visitor data', () => {
  let api: ManagementUnderTest;
  let advertiserId: number;
  let offerId: number;
  let affiliateId: number;

  beforeAll(async () => {
    api = await startManagement();
    advertiserId = (await api.admin.post('/v1/advertisers', { name: 'Acme' })).body.id;
    offerId = (await api.admin.post('/v1/offers', { advertiserId, name: 'Shoes', destinationUrl: 'https://shop.example/?cid={click_id}' })).body.id;
    affiliateId = (await api.admin.post('/v1/affiliates', { name: 'Pub' })).body.id;
    await api.pool.query('SELECT attribution_ensure_click_partitions(ARRAY[current_date - 1, current_date])');
    await api.pool.query(`SELECT reporting_ensure_raw_partitions(ARRAY[now() - interval '1 day', now()])`);
  });
  afterAll(() => api?.close());

  /** A click in both click tables, and a postback in the inbound log that named it; `affClickId`: the affiliate's own id for the visitor. */
  async function visit(ip: string, orderId: string | null, affClickId: string | null = null): Promise<string> {
    const clickId = newId(Date.now() - 3_600_000);
    const clickedAt = new Date(idTime(clickId));
    const values = [clickId, offerId, advertiserId, affiliateId, ip, `Mozilla/5.0 visitor ${ip}`, 'https://publisher.example/p', JSON.stringify({ email: `${ip}@mail.example` }), clickedAt, affClickId];
    await api.pool.query(
      `INSERT INTO clicks (click_id, clicked_at, offer_id, advertiser_id, affiliate_id, sub1, ip, user_agent, referrer, is_unique, disposition, params, aff_click_id)
       VALUES ($1, $9, $2, $3, $4, 'their-sub', $5, $6, $7, true, 'accepted', $8, $10)`,
      values,
    );
    await api.pool.query(
      `INSERT INTO rep_clicks (click_id, occurred_at, offer_id, advertiser_id, affiliate_id, currency, sub1, ip, user_agent, referrer, is_unique, is_invalid, disposition, params, aff_click_id)
       VALUES ($1, $9, $2, $3, $4, 'USD', 'their-sub', $5, $6, $7, true, false, 'accepted', $8, $10)`,
      values,
    );
    await api.pool.query(
      `INSERT INTO inbound_postbacks (id, received_at, advertiser_id, endpoint, method, params, fields, outcome, http_status, click_id, order_id)
       VALUES ($1, now(), $2, 'postback', 'GET', $3, '{"click_id": {"value": "x"}}', 'accepted', 200, $4, $5)`,
      [newId(), advertiserId, JSON.stringify({ click_id: clickId, email: `${ip}@mail.example` }), clickId, orderId],
    );
    // Its conversion, with what the advertiser sent beyond the postback fields.
    await api.pool.query(
      `INSERT INTO conversions (conversion_id, click_id, advertiser_id, offer_id, affiliate_id, goal_code, order_id, status, reason,
                                sale_amount, revenue, payout, currency, clicked_at, converted_at, raw, sub1, aff_click_id)
       VALUES ($1, $2, $3, $4, $5, 'sale', $6, 'approved', 'attributed', '100.0000', '10.0000', '2.5000', 'USD', $7, now(), $8, 'their-sub', $9)`,
      [newId(), clickId, advertiserId, offerId, affiliateId, orderId, clickedAt, JSON.stringify({ email: `${ip}@mail.example` }), affClickId],
    );
    return clickId;
  }

  async function stored(clickId: string) {
    const click = (await api.pool.query('SELECT ip, user_agent, referrer, params, sub1 FROM clicks WHERE click_id = $1', [clickId])).rows[0];
    const reported = (await api.pool.query('SELECT ip, user_agent, referrer, params, sub1 FROM rep_clicks WHERE click_id = $1', [clickId])).rows[0];
    const logged = (await api.pool.query('SELECT params, fields FROM inbound_postbacks WHERE click_id = $1', [clickId])).rows[0];
    const converted = (await api.pool.query('SELECT raw, revenue::text, payout::text FROM conversions WHERE click_id = $1', [clickId])).rows[0];
    return { click, reported, logged, converted };
  }

  const erased = { ip: '', user_agent: '', referrer: null, params: null, sub1: 'their-sub' };
  const erasedConversion = { raw: {}, revenue: '10.0000', payout: '2.5000' };

  it('erases one click by its id and leaves the others as they were', async () => {
    const target = await visit('198.51.100.7', null);
    const bystander = await visit('198.51.100.8', null);
    const answer = await api.admin.post('/v1/erasures', { clickId: target });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ clickIds: [target], clicks: 1, reportClicks: 1, inboundPostbacks: 1, conversions: 1, subIdRows: 0 });
    expect(await stored(target)).toEqual({ click: erased, reported: erased, logged: { params: {}, fields: null }, converted: erasedConversion });
    const untouched = await stored(bystander);
    expect(untouched.converted.raw).toEqual({ email: '198.51.100.8@mail.example' });
    expect(untouched.click.ip).toBe('198.51.100.8');
    expect(untouched.reported.user_agent).toBe('Mozilla/5.0 visitor 198.51.100.8');
    expect(untouched.logged.params).toMatchObject({ email: '198.51.100.8@mail.example' });

    const audit = await api.admin.get(`/v1/audit-log?entity=visitor_data&entity_id=${target}`);
    expect(audit.body.data[0]).toMatchObject({ action: 'erase', actorRole: 'admin', after: { clickIds: [target], clicks: 1 } });
  });

  it("erases the clicks behind an advertiser's order, and the postbacks that named the order", async () => {
    const target = await visit('203.0.113.9', 'order-77');
    const answer = await api.admin.post('/v1/erasures', { advertiserId, orderId: 'order-77' });
    // The money is untouched.
    expect(answer.body).toEqual({ clickIds: [target], clicks: 1, reportClicks: 1, inboundPostbacks: 1, conversions: 1, subIdRows: 0 });
    expect(await stored(target)).toEqual({ click: erased, reported: erased, logged: { params: {}, fields: null }, converted: erasedConversion });
    // Erasing again finds nothing left to change, and says so.
    const again = await api.admin.post('/v1/erasures', { advertiserId, orderId: 'order-77' });
    expect(again.body).toMatchObject({ clickIds: [target], conversions: 0 });
  });

  it("erases every click an affiliate's own id for the visitor names, and keeps that id out of the audit log", async () => {
    const first = await visit('192.0.2.41', null, 'user-4711@affiliate.example');
    const second = await visit('192.0.2.42', null, 'user-4711@affiliate.example');
    const someoneElse = await visit('192.0.2.43', null, 'user-4712@affiliate.example');
    const answer = await api.admin.post('/v1/erasures', { affiliateId, subId: 'user-4711@affiliate.example' });
    expect(answer.status).toBe(200);
    // The id itself, in the 2 clicks, 2 report clicks and 2 conversions that held it; other sub ids stay.
    expect(answer.body).toEqual({ clickIds: [first, second].sort(), clicks: 2, reportClicks: 2, inboundPostbacks: 2, conversions: 2, subIdRows: 6 });
    for (const clickId of [first, second]) expect((await stored(clickId)).click).toEqual(erased);
    const held = await api.pool.query(
      `SELECT 'clicks' AS t, aff_click_id, sub1 FROM clicks WHERE click_id = ANY($1)
       UNION ALL SELECT 'rep_clicks', aff_click_id, sub1 FROM rep_clicks WHERE click_id = ANY($1)
       UNION ALL SELECT 'conversions', aff_click_id, sub1 FROM conversions WHERE click_id = ANY($1)`,
      [[first, second]],
    );
    expect(held.rows).toHaveLength(6);
    expect(held.rows.every((row) => row.aff_click_id === '(erased)' && row.sub1 === 'their-sub')).toBe(true);
    expect((await stored(someoneElse)).click.ip).toBe('192.0.2.43');
    // Another affiliate's clicks are not named by this affiliate's ids.
    const other = (await api.admin.post('/v1/affiliates', { name: 'Other' })).body.id;
    expect((await api.admin.post('/v1/erasures', { affiliateId: other, subId: 'user-4712@affiliate.example' })).body.clickIds).toEqual([]);

    const audit = await api.admin.get(`/v1/audit-log?entity=visitor_data&entity_id=affiliate:${affiliateId}:sub-id`);
    expect(audit.body.data[0]).toMatchObject({ action: 'erase', after: { clickIds: [first, second].sort() } });
    expect(JSON.stringify(audit.body)).not.toContain('user-4711');
  });

  it.each([
    [{}, 'clickId'],
    [{ clickId: 'not-a-click' }, 'clickId'],
    [{ clickId: newId(), orderId: 'order-1' }, 'clickId'],
    [{ orderId: 'order-1' }, 'advertiserId'],
    [{ subId: 'user-1' }, 'affiliateId'],
    [{ affiliateId: 1, subId: 'user-1', clickId: newId() }, 'clickId'],
    // What erased ids read as: erasing it would merge every earlier erasure's report rows.
    [{ affiliateId: 1, subId: '(erased)' }, 'subId'],
    // Text no store could hold is refused like everywhere else (the storable-text rule).
    [{ advertiserId: 1, orderId: 'order\u0000-1' }, 'orderId'],
  ])('refuses %j with a 400 naming the field', async (body, field) => {
    const refused = await api.admin.post('/v1/erasures', body);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe(field);
  });

  it('is for admin keys only', async () => {
    const advertiser = api.as((await api.key('advertiser', { advertiserId })).key);
    expect((await advertiser.post('/v1/erasures', { clickId: newId() })).status).toBe(403);
  });
});
