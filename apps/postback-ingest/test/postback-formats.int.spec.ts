import { InvalidationBus } from '@tracklane/cache';
import { announceCatalogChange } from '@tracklane/catalog';
import { ConversionV1, newId } from '@tracklane/contracts';
import { FIELD_ALIASES, STANDARD_FIELDS } from '@tracklane/postback-intake';
import { waitFor } from '@tracklane/testing';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

const PARTNER_MAPPING = {
  params: { tid: 'click_id', payout: 'sale_amount', state: 'status', ord: 'order_id', subid: 'adv_sub1', api_key: 'token' },
  values: { status: { sale: 'approved', chargeback: 'refunded' } },
};

const EVENT_FIELD: Record<string, keyof ConversionV1> = {
  click_id: 'clickId',
  goal: 'goal',
  amount: 'amount',
  currency: 'currency',
  order_id: 'orderId',
  status: 'status',
  adv_sub1: 'advSub1',
  adv_sub2: 'advSub2',
  adv_sub3: 'advSub3',
  adv_sub4: 'advSub4',
  adv_sub5: 'advSub5',
};

const SAMPLE: Record<string, string> = {
  goal: 'purchase',
  amount: '49.95',
  currency: 'GBP',
  order_id: 'ORD-1',
  status: 'pending',
  adv_sub1: 's1',
  adv_sub2: 's2',
  adv_sub3: 's3',
  adv_sub4: 's4',
  adv_sub5: 's5',
};

describe('postback-ingest accepts the formats advertisers already use', () => {
  let kit: PostbackKit;
  /** Events this suite has had acknowledged so far (each new, not replayed, 200 adds one). */
  let acknowledged = 0;

  /** The events that 200 answers announced, read back from Kafka. */
  async function eventsOf(responses: Response[]): Promise<ConversionV1[]> {
    const eventIds: string[] = [];
    for (const response of responses) {
      expect(response.status).toBe(200);
      const { eventId } = (await response.json()) as { eventId: string };
      if (response.headers.get('idempotent-replayed') !== 'true') acknowledged++;
      eventIds.push(eventId);
    }
    const byId = new Map((await kit.events(acknowledged)).map((event) => [event.eventId, event]));
    return eventIds.map((eventId) => {
      const event = byId.get(eventId);
      if (!event) throw new Error(`event ${eventId} is not in Kafka`);
      return event;
    });
  }

  const eventOf = async (response: Response): Promise<ConversionV1> => (await eventsOf([response]))[0];

  beforeAll(async () => {
    kit = await startPostbackKit([
      { id: 1, token: 'tok-plain' },
      { id: 2, token: 'tok-partner', paramMapping: PARTNER_MAPPING },
    ]);
  });
  afterAll(() => kit?.close());

  it('understands every standard name and alias', async () => {
    const requests = STANDARD_FIELDS.flatMap((field) =>
      FIELD_ALIASES[field].map(async (alias) => {
        const clickId = newId();
        const value = field === 'click_id' ? clickId.toUpperCase() : SAMPLE[field];
        const params: Record<string, string> = { token: 'tok-plain', [alias]: value };
        if (field !== 'click_id') params.click_id = clickId;
        const response = await kit.get('/postback', params);
        return { field, alias, response, expected: field === 'click_id' ? clickId : value };
      }),
    );
    const sent = await Promise.all(requests);
    const events = await eventsOf(sent.map(({ response }) => response));
    sent.forEach(({ field, alias, expected }, index) => {
      expect({ alias, value: events[index][EVENT_FIELD[field]] }).toEqual({ alias, value: expected });
      expect(events[index].raw).toEqual({});
    });
  });

  it('reads the query string, a form body and a JSON body alike, and keeps unknown parameters as raw data', async () => {
    const clickId = newId();
    const [fromQuery, fromForm, fromJson] = await eventsOf([
      await kit.get('/postback', { token: 'tok-plain', click_id: clickId, amount: '10.5', currency: 'usd', campaign: 'spring', n: '1' }),
      await kit.post(
        '/postback',
        `token=tok-plain&click_id=${clickId}&amount=10.5&currency=usd&campaign=spring&n=1`,
        'application/x-www-form-urlencoded',
      ),
      await kit.post(
        '/postback',
        JSON.stringify({ click_id: clickId, amount: 10.5, currency: 'usd', campaign: 'spring', n: 1, goal: null }),
        'application/json',
        { 'x-tracklane-token': 'tok-plain' },
      ),
    ]);
    for (const event of [fromQuery, fromForm, fromJson]) {
      expect(event).toMatchObject({ kind: 'conversion', clickId, advertiserId: 1, amount: '10.5', currency: 'USD', goal: null });
      expect(event.raw).toEqual({ campaign: 'spring', n: '1' });
    }
    // Read alike to the last byte: the form and JSON copies are replays of the query's conversion (no order id, same fields).
    expect(new Set([fromQuery.eventId, fromForm.eventId, fromJson.eventId]).size).toBe(1);
  });

  it('never passes the token, signature or answer format on as raw data', async () => {
    const event = await eventOf(
      await kit.get('/postback', { security_token: 'tok-plain', click_id: newId(), signature: 'x', timestamp: '1', format: 'json' }),
    );
    expect(event.raw).toEqual({});
  });

  it('treats placeholders the advertiser left unfilled in the URL template as absent', async () => {
    const clickId = newId();
    const event = await eventOf(
      await kit.get('/postback', { token: 'tok-plain', click_id: clickId, goal: '{goal}', amount: '{amount}', currency: '{currency}', order_id: 'U-1', status: '{status}' }),
    );
    expect(event).toMatchObject({ clickId, goal: null, amount: null, currency: null, status: null, orderId: 'U-1' });
  });

  it("accepts a partner's own format through its configured mapping, its name for the token included", async () => {
    const clickId = newId();
    const event = await eventOf(
      await kit.get('/postback', { api_key: 'tok-partner', tid: clickId, payout: '7.25', state: 'SALE', ord: 'P-1', subid: 'pub-9', extra: 'kept' }),
    );
    expect(event).toMatchObject({ advertiserId: 2, clickId, amount: '7.25', status: 'approved', orderId: 'P-1', advSub1: 'pub-9' });
    expect(event.raw).toEqual({ extra: 'kept' });
  });

  it('applies a changed mapping as soon as the change is announced, without a restart', async () => {
    await kit.pool.query(`UPDATE advertisers SET param_mapping = $1 WHERE id = 2`, [
      JSON.stringify({ params: { conv_ref: 'click_id', conv_state: 'status' }, values: { status: { ok: 'approved' } } }),
    ]);
    await announceCatalogChange(kit.service.app.get(InvalidationBus), 'advertiser', 2);
    const clickId = newId();
    const response = await waitFor(
      async () => {
        const attempt = await kit.get('/postback', { token: 'tok-partner', conv_ref: clickId, conv_state: 'ok', order_id: 'P-2' });
        return attempt.status === 200 && attempt;
      },
      { what: 'the new mapping to apply', timeoutMs: 5_000 },
    );
    expect(await eventOf(response)).toMatchObject({ clickId, status: 'approved', orderId: 'P-2' });
  });

  it('answers in plain text for partners that parse text', async () => {
    const clickId = newId();
    const byParam = await kit.get('/postback', { token: 'tok-plain', click_id: clickId, format: 'text', order_id: 'T-1' });
    expect(byParam.headers.get('content-type')).toContain('text/plain');
    const body = await byParam.text();
    expect(body).toMatch(new RegExp(`^success=true;kind=conversion;conversion_id=[0-9a-z]{30};event_id=[0-9a-z]{30};click_id=${clickId};$`));
    acknowledged++;

    const byAccept = await kit.get('/postback', { token: 'tok-plain', click_id: 'nope' }, { accept: 'text/plain' });
    expect(byAccept.status).toBe(400);
    expect(await byAccept.text()).toMatch(/^success=false;error=invalid_parameter;field=click_id;reason=click_id must be/);
  });

  it('serves a 1×1 GIF on /pixel after recording the conversion the same way', async () => {
    const clickId = newId();
    const pixel = await kit.get('/pixel', { token: 'tok-plain', click_id: clickId, goal: 'signup', order_id: 'PX-1' });
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    expect(pixel.headers.get('cache-control')).toBe('no-store');
    const image = Buffer.from(await pixel.arrayBuffer());
    expect(image.subarray(0, 6).toString()).toBe('GIF89a');
    expect([image.readUInt16LE(6), image.readUInt16LE(8)]).toEqual([1, 1]);

    acknowledged++;
    const events = (await kit.events(acknowledged)).filter((event) => event.clickId === clickId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ goal: 'signup', orderId: 'PX-1' });

    const again = await kit.get('/pixel', { token: 'tok-plain', click_id: clickId, goal: 'signup', order_id: 'PX-1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const bad = await kit.get('/pixel', { token: 'tok-plain', click_id: clickId, amount: 'lots' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_parameter', field: 'amount' });
    const stranger = await kit.get('/pixel', { click_id: clickId });
    expect(stranger.status).toBe(401);
  });

  it('does not record anything for a HEAD request (link checkers, prefetchers)', async () => {
    const clickId = newId();
    const head = await fetch(kit.url('/postback', { token: 'tok-plain', click_id: clickId }), { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect((await kit.events(acknowledged)).filter((event) => event.clickId === clickId)).toEqual([]);
  });
});
