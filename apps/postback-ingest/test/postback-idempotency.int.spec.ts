import { conversionsV1, newId } from '@tracklane/contracts';
import { readTopic } from '@tracklane/testing';
import { Answer } from '@tracklane/postback-intake';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

interface Reply {
  status: number;
  replayed: boolean;
  body: Answer & Record<string, unknown>;
}

/** Runs `work` over `items` with at most `concurrency` at a time, keeping the order of results. */
async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}

describe('postback-ingest never counts a conversion twice', () => {
  let kit: PostbackKit;
  let secondInstance: PostbackKit;
  /** New events acknowledged so far by this suite. */
  let published = 0;

  async function send(kitToUse: PostbackKit, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await kitToUse.get('/postback', { token: 'tok-1', ...params }, headers);
    const reply: Reply = {
      status: response.status,
      replayed: response.headers.get('idempotent-replayed') === 'true',
      body: (await response.json()) as Reply['body'],
    };
    if (reply.status === 200 && !reply.replayed) published++;
    return reply;
  }

  beforeAll(async () => {
    kit = await startPostbackKit([{ id: 1, token: 'tok-1' }]);
    secondInstance = await startPostbackKit([], { stack: kit.stack });
  });
  afterAll(async () => {
    await secondInstance?.close();
    await kit?.close();
  });

  it('answers a repeated postback (same advertiser, goal and order) with the first answer and publishes once', async () => {
    const params = { click_id: newId(), order_id: 'ORD-1', goal: 'sale', amount: '20' };
    const first = await send(kit, params);
    const again = await send(kit, { ...params, click_id: params.click_id.toUpperCase(), goal: 'SALE' });
    expect(first).toMatchObject({ status: 200, replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    // The same order id under another goal is another conversion.
    expect(await send(kit, { ...params, goal: 'upsell' })).toMatchObject({ status: 200, replayed: false });
    const events = (await kit.events(published)).filter((event) => event.orderId === 'ORD-1');
    expect(events.map((event) => [event.goal, event.conversionId])).toEqual([
      ['sale', first.body.conversionId],
      ['upsell', expect.any(String)],
    ]);
  });

  it('answers a repeated Idempotency-Key with the first answer, whatever the rest says', async () => {
    const key = { 'idempotency-key': `key-${newId()}` };
    const first = await send(kit, { click_id: newId() }, key);
    const again = await send(kit, { click_id: newId(), order_id: 'other' }, key);
    expect(again).toEqual({ ...first, replayed: true });
    expect((await kit.events(published)).filter((event) => event.eventId === first.body.eventId)).toHaveLength(1);
  });

  it('publishes once and gives every concurrent copy the same answer, across instances too', async () => {
    const params = { click_id: newId(), order_id: `ORD-${newId()}`, amount: '99.99', currency: 'EUR' };
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, index) => send(index % 2 === 0 ? kit : secondInstance, params)),
    );
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    expect(new Set(replies.map((reply) => JSON.stringify(reply.body))).size).toBe(1);
    expect(replies.filter((reply) => !reply.replayed)).toHaveLength(1);
    const events = (await kit.events(published)).filter((event) => event.orderId === params.order_id);
    expect(events).toHaveLength(1);
    expect(events[0].conversionId).toBe(replies[0].body.conversionId);
  });

  describe('status changes', () => {
    const clickId = newId();
    let conversion: Reply;

    beforeAll(async () => {
      conversion = await send(kit, { click_id: clickId, order_id: 'R-1', goal: 'sale', amount: '80', status: 'approved' });
    });

    it('turn a later refund of a known order into a status change of that conversion, once', async () => {
      const refund = await send(kit, { click_id: clickId, order_id: 'R-1', goal: 'sale', amount: '80', status: 'refunded' });
      expect(refund).toMatchObject({
        status: 200,
        replayed: false,
        body: { kind: 'status_change', conversionId: conversion.body.conversionId, status: 'refunded' },
      });
      expect(refund.body.eventId).not.toBe(conversion.body.eventId);
      expect(await send(kit, { click_id: clickId, order_id: 'R-1', goal: 'sale', status: 'refunded' })).toEqual({ ...refund, replayed: true });
      // A copy of the original approval still gets the original answer.
      expect(await send(kit, { click_id: clickId, order_id: 'R-1', goal: 'sale', status: 'approved' })).toEqual({
        ...conversion,
        replayed: true,
      });

      const events = (await kit.events(published)).filter((event) => event.orderId === 'R-1');
      expect(events.map((event) => [event.kind, event.status, event.conversionId, event.clickId])).toEqual([
        ['conversion', 'approved', conversion.body.conversionId, clickId],
        ['status_change', 'refunded', conversion.body.conversionId, clickId],
      ]);
      expect(new Set(events.map((event) => event.eventId)).size).toBe(2);
    });

    it('refuse a status change that names another click for the order', async () => {
      const reply = await send(kit, { click_id: newId(), order_id: 'R-1', goal: 'sale', status: 'rejected' });
      expect(reply).toMatchObject({ status: 409, body: { error: 'conflict', reason: 'order_belongs_to_another_click', field: 'click_id' } });
    });

    it('record a rejection of an order never seen as a rejected conversion', async () => {
      const reply = await send(kit, { click_id: newId(), order_id: 'R-unknown', status: 'rejected' });
      expect(reply).toMatchObject({ status: 200, body: { kind: 'conversion', status: 'rejected' } });
    });
  });

  describe('promo codes instead of a click id', () => {
    it("keys a code's conversion and its status changes by the conversion's id, and books each order once", async () => {
      const sale = { coupon_code: ' Spring10 ', order_id: 'P-1', goal: 'sale', amount: '60' };
      const conversion = await send(kit, sale);
      expect(conversion).toMatchObject({ status: 200, replayed: false, body: { kind: 'conversion', clickId: null } });
      expect(await send(kit, { ...sale, coupon_code: 'SPRING10' })).toEqual({ ...conversion, replayed: true });
      const refund = await send(kit, { coupon: 'spring10', order_id: 'P-1', goal: 'sale', status: 'refunded' });
      expect(refund).toMatchObject({ status: 200, body: { kind: 'status_change', conversionId: conversion.body.conversionId, clickId: null } });
      // A code's order cannot be claimed by a click afterwards.
      expect(await send(kit, { click_id: newId(), order_id: 'P-1', goal: 'sale', status: 'rejected' })).toMatchObject({
        status: 409,
        body: { reason: 'order_belongs_to_another_click' },
      });

      const records = (await readTopic(kit.stack.topics.kafka, kit.topic, { expected: published }))
        .map((message) => ({ key: message.key, event: conversionsV1.decode(message.value) }))
        .filter(({ event }) => event.orderId === 'P-1');
      expect(records.map(({ key, event }) => [event.kind, key, event.clickId, event.couponCode])).toEqual([
        ['conversion', conversion.body.conversionId, null, 'Spring10'],
        ['status_change', conversion.body.conversionId, null, 'spring10'],
      ]);
    });

    it('needs an order id with a code and no click id, and names the field', async () => {
      const reply = await send(kit, { promo_code: 'SPRING10', goal: 'sale' });
      expect(reply).toMatchObject({ status: 400, body: { field: 'order_id', rule: 'isDefined' } });
    });
  });

  it('turns a storm of 10,000 postbacks with 30% duplicates into exactly the distinct conversions', async () => {
    const distinct = Array.from({ length: 7_000 }, (_, index) => ({
      click_id: newId(),
      order_id: `STORM-${index}`,
      amount: `${index}.${index % 100}`,
      currency: 'USD',
    }));
    const duplicates = Array.from({ length: 3_000 }, (_, index) => distinct[(index * 7_919) % distinct.length]);
    const storm = [...distinct, ...duplicates];
    for (let index = storm.length - 1; index > 0; index--) {
      const other = Math.floor(Math.random() * (index + 1));
      [storm[index], storm[other]] = [storm[other], storm[index]];
    }
    const before = published;
    const replies = await inParallel(storm, 48, (params) => send(index(params) % 2 === 0 ? kit : secondInstance, params));
    expect(replies.filter((reply) => reply.status !== 200)).toEqual([]);
    expect(published - before).toBe(7_000);

    const answerOf = new Map<string, string>();
    storm.forEach((params, position) => {
      const answer = JSON.stringify(replies[position].body);
      expect(answerOf.get(params.order_id) ?? answer).toBe(answer);
      answerOf.set(params.order_id, answer);
    });

    const events = (await kit.events(published)).filter((event) => event.orderId?.startsWith('STORM-'));
    expect(events).toHaveLength(7_000);
    expect(new Set(events.map((event) => event.orderId)).size).toBe(7_000);
    for (const event of events) {
      expect(JSON.parse(answerOf.get(event.orderId as string) as string)).toMatchObject({
        conversionId: event.conversionId,
        eventId: event.eventId,
        clickId: event.clickId,
      });
    }
  });
});

function index(params: { order_id: string }): number {
  return Number(params.order_id.slice('STORM-'.length));
}
