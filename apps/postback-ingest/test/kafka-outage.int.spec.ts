import { newId } from '@tracklane/contracts';
import { Answer } from '@tracklane/postback-intake';
import { createTestStack, DedicatedKafkaBroker, TestStack, waitFor } from '@tracklane/testing';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

describe('postback-ingest while Kafka is down', () => {
  let broker: DedicatedKafkaBroker;
  let stack: TestStack;
  let kit: PostbackKit;

  beforeAll(async () => {
    broker = await DedicatedKafkaBroker.create();
    stack = await createTestStack({ brokers: broker.brokers, partitions: 2 });
    kit = await startPostbackKit([{ id: 1, token: 'tok-1' }], { stack, env: { PUBLISH_TIMEOUT_MS: 3_000, LOG_LEVEL: 'fatal' } });
  }, 180_000);
  afterAll(async () => {
    await kit?.close();
    await stack?.destroy();
    await broker?.destroy();
  }, 60_000);

  /** What an advertiser does: retry after a 503 until the postback is acknowledged. */
  async function deliver(params: Record<string, string>): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const response = await kit.get('/postback', { token: 'tok-1', ...params });
      if (response.status === 200) return (await response.json()) as Answer;
      expect(response.status).toBe(503);
      if (attempt === 20) throw new Error(`still ${response.status} after ${attempt} attempts`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it('answers 503 with Retry-After, never a 2xx, and records each conversion once when Kafka is back', async () => {
    await deliver({ click_id: newId(), order_id: 'before-outage' });

    await broker.stop();
    const orders = Array.from({ length: 12 }, (_, index) => ({ click_id: newId(), order_id: `outage-${index}`, amount: '5' }));
    const keyless = { click_id: newId() };
    const during = await Promise.all([...orders, keyless].map((params) => kit.get('/postback', { token: 'tok-1', ...params })));
    for (const response of during) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ ok: false, error: 'unavailable', reason: 'kafka_unavailable' });
    }
    expect((await fetch(`${kit.service.url}/readyz`)).status).toBe(503);

    await broker.start();
    // Every advertiser retries; some retry twice at once, as clients do when an answer is slow.
    const answers = await Promise.all([...orders, ...orders.slice(0, 4)].map((params) => deliver(params)));
    const keylessAnswer = await deliver(keyless);
    for (const [index, answer] of answers.slice(12).entries()) expect(answer).toEqual(answers[index]);

    const events = await kit.events(15);
    const byOrder = (orderId: string) => events.filter((event) => event.orderId === orderId);
    expect(byOrder('before-outage')).toHaveLength(1);
    for (const [index, params] of orders.entries()) {
      expect(byOrder(params.order_id)).toEqual([
        expect.objectContaining({ clickId: params.click_id, conversionId: answers[index].conversionId, eventId: answers[index].eventId }),
      ]);
    }
    // Without an order id or Idempotency-Key nothing tells a retry from a new conversion: at least once, never lost.
    const keylessEvents = events.filter((event) => event.clickId === keyless.click_id);
    expect(keylessEvents.map((event) => event.eventId)).toContain(keylessAnswer.eventId);
    expect(events).toHaveLength(1 + orders.length + keylessEvents.length);

    // Receipts are marked published just after the answer.
    await waitFor(async () => {
      const { rows } = await kit.pool.query(`SELECT count(*)::int AS unpublished FROM postback_receipts WHERE published_at IS NULL`);
      return rows[0].unpublished === 0;
    }, { what: 'every receipt marked published' });
  }, 180_000);
});
