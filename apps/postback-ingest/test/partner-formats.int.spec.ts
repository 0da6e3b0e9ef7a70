import { InvalidationBus } from '@tracklane/cache';
import { announceCatalogChange, Catalog } from '@tracklane/catalog';
import { newId } from '@tracklane/contracts';
import { Answer } from '@tracklane/postback-intake';
import { waitFor } from '@tracklane/testing';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

interface Reply {
  status: number;
  replayed: boolean;
  body: Answer & Record<string, unknown>;
}

/** A tracker that sends no order id and says lead / sale / rejected for the click, as Keitaro does. */
const TRACKER = { params: { subid: 'click_id' }, values: { status: { lead: 'pending', sale: 'approved' } }, identity: { '*': 'click_id' } };
/** A JSON webhook with amounts in minor units. */
const WEBHOOK = {
  params: { 'data.object.metadata.click_id': 'click_id', 'data.object.id': 'order_id', 'data.object.amount': 'amount', 'data.object.currency': 'currency' },
  transforms: { amount: { scale: 'currency' } },
  unmapped: 'ignore',
};

describe('postback-ingest reads partner formats', () => {
  let kit: PostbackKit;

  async function send(token: string, params: Record<string, string>): Promise<Reply> {
    return replyOf(await kit.get('/postback', { token, ...params }));
  }

  async function replyOf(response: Response): Promise<Reply> {
    return { status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true', body: (await response.json()) as Reply['body'] };
  }

  /** The events a click has on the topic once `count` of them arrived. */
  async function eventsOf(clickId: string, count: number) {
    return waitFor(
      async () => {
        const events = (await kit.events()).filter((event) => event.clickId === clickId);
        return events.length >= count ? events : undefined;
      },
      { timeoutMs: 20_000, what: `${count} events of ${clickId}` },
    );
  }

  /** As the management API does it: the row, then the announcement; returns once this instance applies it. */
  async function setReplayWindow(seconds: number): Promise<void> {
    await kit.pool.query(`UPDATE network_settings SET postback_replay_window_seconds = $1`, [seconds]);
    await announceCatalogChange(kit.service.app.get(InvalidationBus), 'network_settings', 1);
    const catalog = kit.service.app.get(Catalog);
    await waitFor(() => (catalog.current().settings.postbackReplayWindowSeconds === seconds ? true : undefined), {
      what: `replay window ${seconds} s applied`,
    });
  }

  beforeAll(async () => {
    kit = await startPostbackKit([
      { id: 1, token: 'tok-plain' },
      { id: 2, token: 'tok-tracker', paramMapping: TRACKER },
      { id: 3, token: 'tok-webhook', paramMapping: WEBHOOK },
    ]);
    await kit.pool.query(`INSERT INTO offers (id, advertiser_id, name, destination_url, max_postback_amount) VALUES (1, 3, 'Capped', 'https://x.example/?c={click_id}', 500)`);
    await kit.pool.query(`INSERT INTO offers (id, advertiser_id, name, destination_url) VALUES (2, 1, 'Plain', 'https://x.example/?c={click_id}')`);
    const bus = kit.service.app.get(InvalidationBus);
    await announceCatalogChange(bus, 'offer', 1);
    const catalog = kit.service.app.get(Catalog);
    await waitFor(() => (catalog.current().offer(1) ? true : undefined), { what: 'the offers in the catalogue' });
  });
  afterAll(() => kit?.close());

  describe('a tracker that identifies conversions by the click id alone', () => {
    it('turns lead → sale → rejected for one click into one conversion and its status changes', async () => {
      const subid = newId();
      const lead = await send('tok-tracker', { subid, status: 'lead', payout: '12.50' });
      expect(lead).toMatchObject({ status: 200, replayed: false, body: { kind: 'conversion', status: 'pending' } });
      const sale = await send('tok-tracker', { subid, status: 'sale', payout: '12.50' });
      expect(sale).toMatchObject({ status: 200, replayed: false, body: { kind: 'status_change', conversionId: lead.body.conversionId, status: 'approved' } });
      const rejected = await send('tok-tracker', { subid, status: 'rejected' });
      expect(rejected.body).toMatchObject({ kind: 'status_change', conversionId: lead.body.conversionId, status: 'rejected' });
      // Repeats of each get their first answers back, and publish nothing.
      expect(await send('tok-tracker', { subid, status: 'sale', payout: '12.50' })).toEqual({ ...sale, replayed: true });
      expect(await send('tok-tracker', { subid, status: 'lead', payout: '12.50' })).toEqual({ ...lead, replayed: true });

      const events = await eventsOf(subid, 3);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await kit.events()).filter((event) => event.clickId === subid).map((event) => [event.kind, event.status, event.conversionId])).toEqual([
        ['conversion', 'pending', lead.body.conversionId],
        ['status_change', 'approved', lead.body.conversionId],
        ['status_change', 'rejected', lead.body.conversionId],
      ]);
      expect(events[0].orderId).toBeNull();
    });
  });

  describe('identical repeats without an order id', () => {
    it('get the first answer again with the replay header, and publish nothing more', async () => {
      const clickId = newId();
      const params = { click_id: clickId, amount: '19.99', goal: 'sale', sub: 'x' };
      const first = await send('tok-plain', params);
      const copies = await Promise.all([
        send('tok-plain', { ...params, amount: '19.9900' }),
        send('tok-plain', { sub: 'x', goal: 'SALE', amount: '19.99', cid: clickId.toUpperCase() }),
        send('tok-plain', params),
      ]);
      expect(first).toMatchObject({ status: 200, replayed: false, body: { kind: 'conversion' } });
      for (const copy of copies) expect(copy).toEqual({ ...first, replayed: true });
      // A postback that differs in anything is its own.
      const other = await send('tok-plain', { ...params, amount: '20' });
      expect(other.replayed).toBe(false);
      await eventsOf(clickId, 2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await kit.events()).filter((event) => event.clickId === clickId)).toHaveLength(2);
    });

    it('count again once the window set through the catalogue has passed, and never when it is 0', async () => {
      await setReplayWindow(1);
      const clickId = newId();
      const first = await send('tok-plain', { click_id: clickId, note: 'w' });
      expect(await send('tok-plain', { click_id: clickId, note: 'w' })).toEqual({ ...first, replayed: true });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const later = await send('tok-plain', { click_id: clickId, note: 'w' });
      expect(later).toMatchObject({ status: 200, replayed: false });
      expect(later.body.conversionId).not.toBe(first.body.conversionId);

      await setReplayWindow(0);
      const unrecognised = newId();
      const replies = [await send('tok-plain', { click_id: unrecognised, note: 'off' }), await send('tok-plain', { click_id: unrecognised, note: 'off' })];
      expect(replies.map((reply) => reply.replayed)).toEqual([false, false]);
      expect(replies[0].body.conversionId).not.toBe(replies[1].body.conversionId);
      await setReplayWindow(86_400);
    });
  });

  describe('a JSON webhook with amounts in minor units', () => {
    const charge = (clickId: string, amount: number, currency: string, id = `ch_${newId()}`) =>
      JSON.stringify({
        id: `evt_${newId()}`,
        type: 'charge.succeeded',
        data: { object: { id, object: 'charge', amount, currency, metadata: { click_id: clickId }, billing_details: { address: { city: null } } } },
      });

    it.each([
      [1999, 'usd', '19.99', 'USD'],
      [499, 'jpy', '499', 'JPY'],
      [1999, 'kwd', '1.999', 'KWD'],
    ])('books %i %s as %s %s', async (amount, currency, expectedAmount, expectedCurrency) => {
      const clickId = newId();
      const reply = await replyOf(await kit.post('/postback?token=tok-webhook', charge(clickId, amount, currency), 'application/json'));
      expect(reply.status).toBe(200);
      const [event] = await eventsOf(clickId, 1);
      expect([event.amount, event.currency, event.orderId?.startsWith('ch_'), event.raw]).toEqual([expectedAmount, expectedCurrency, true, {}]);
    });
  });

  describe('amount bounds', () => {
    it('refuse an amount above the network bound with a 400 naming the field', async () => {
      const reply = await send('tok-plain', { click_id: newId(), sale_amount: '10000000000000' });
      expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_parameter', field: 'amount', param: 'sale_amount', rule: 'maxAmount' } });
      expect(reply.body.reason).toBe('amount must be at most 1000000 (the largest amount one postback may carry)');
      expect((await send('tok-plain', { click_id: newId(), amount: '1000000' })).status).toBe(200);
    });

    it("hold an advertiser whose only offer has its own bound to that bound, after scaling", async () => {
      const body = (amount: number) =>
        JSON.stringify({ data: { object: { id: `ch_${newId()}`, amount, currency: 'usd', metadata: { click_id: newId() } } } });
      const refused = await replyOf(await kit.post('/postback?token=tok-webhook', body(50_001), 'application/json'));
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ field: 'amount', param: 'data.object.amount', rule: 'maxAmount' });
      expect(refused.body.reason).toMatch(/at most 500 /);
      expect((await replyOf(await kit.post('/postback?token=tok-webhook', body(50_000), 'application/json'))).status).toBe(200);
    });
  });
});
