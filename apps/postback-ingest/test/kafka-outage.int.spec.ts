import { newId } from '@tracklane/contracts';
import { Answer, UploadAnswer } from '@tracklane/postback-intake';
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

  it('answers an uploaded file 503 with what it did not try, and books each row once when the same file comes again', async () => {
    const upload = async (csv: string) => {
      const response = await fetch(`${kit.service.url}/v1/conversions/upload`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv', 'x-tracklane-token': 'tok-1' } });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as UploadAnswer };
    };
    const rows = Array.from({ length: 40 }, (_, index) => ({ click: newId(), order: `file-${index}` }));
    const csv = `click_id,order_id,amount\n${rows.map((row) => `${row.click},${row.order},7.50`).join('\n')}\n`;
    const eventsBefore = (await kit.events()).length;

    await broker.stop();
    const during = await upload(csv);
    expect(during).toMatchObject({ status: 503, retryAfter: '5', body: { ok: false, rows: 40, accepted: 0 } });
    // The rows in flight when Kafka failed and every row after them: none answered as booked.
    expect(during.body.notTried).toBe(40);

    await broker.start();
    let after = await upload(csv);
    for (let attempt = 1; after.status !== 200 && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      after = await upload(csv);
    }
    expect(after.body).toMatchObject({ ok: true, rows: 40, refused: 0, notTried: 0 });
    expect(after.body.accepted + after.body.duplicates).toBe(40);

    const events = (await kit.events(eventsBefore + 40)).filter((event) => event.orderId?.startsWith('file-'));
    const answered = Object.fromEntries(after.body.results.map((result) => [result.orderId, 'conversionId' in result ? result.conversionId : null]));
    expect(events).toHaveLength(40);
    for (const row of rows) {
      expect(events.filter((event) => event.orderId === row.order)).toEqual([expect.objectContaining({ clickId: row.click, conversionId: answered[row.order] })]);
    }
  }, 180_000);
});
