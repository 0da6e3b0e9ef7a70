import { InvalidationBus } from '@tracklane/cache';
import { announceCatalogChange, Catalog } from '@tracklane/catalog';
import { attributionsV1, AttributionV1 } from '@tracklane/contracts';
import { DISPATCH_DEAD_LETTER_HEADERS } from '@tracklane/dispatch';
import { DEAD_LETTER_HEADERS } from '@tracklane/messaging';
import { RunningService, startService } from '@tracklane/observability';
import { createTestStack, freePort, HttpReceiver, readTopic, Responder, TestStack, waitFor } from '@tracklane/testing';
import { Producer } from 'kafkajs';
import { createHmac } from 'node:crypto';
import { Pool } from 'pg';
import { DispatchEnv } from '../src/dispatch-env';
import { postbackDispatchService } from '../src/postback-dispatch.service';
import {
  AffiliateSettings,
  createAffiliate,
  decision,
  deliveryRows,
  FAST_DISPATCH_ENV,
  OFFER_ID,
  publish,
  seedOffer,
  waitForDeliveries,
} from './support';

describe('postback-dispatch delivering to real receivers', () => {
  let stack: TestStack;
  let pool: Pool;
  let service: RunningService<DispatchEnv>;
  let producer: Producer;
  const receivers: HttpReceiver[] = [];

  const receiver = async (respond?: Responder, host?: string) => {
    const started = await HttpReceiver.start({ respond, host });
    receivers.push(started);
    return started;
  };
  const affiliate = async (settings: AffiliateSettings) => {
    const id = await createAffiliate(pool, settings);
    await announceCatalogChange(service.app.get(InvalidationBus), 'affiliate', id);
    await waitFor(() => service.app.get(Catalog).current().affiliate(id), { what: `affiliate ${id} in the catalogue` });
    return id;
  };
  const send = (...attributions: AttributionV1[]) => publish(producer, stack, attributions);

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url, max: 3 });
    await seedOffer(pool);
    service = await startService(postbackDispatchService, Object.assign(new DispatchEnv(), stack.env, FAST_DISPATCH_ENV));
    producer = stack.topics.kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
    await Promise.all(receivers.map((started) => started.close()));
    await pool?.end();
    await stack?.destroy();
  });

  it('fires the GET postback with every macro URL-encoded, signed, idempotent and without revenue', async () => {
    const target = await receiver();
    const id = await affiliate({
      url:
        `${target.url}/pb?click={click_id}&aff={aff_click_id}&s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}&src={source}` +
        `&offer={offer_id}&goal={goal}&status={status}&payout={payout}&cur={currency}&conv={conversion_id}&ts={timestamp}` +
        `&rev={revenue}&api_key=aff-own-token`,
      secret: 'aff-hmac-secret',
    });
    const event = decision(id, {
      affClickId: 'x&y=z',
      sub1: 'Grüße 100%',
      sub2: 'a b/c?d#e',
      sub3: "it's (fine)*!",
      sub4: null,
      sub5: '+',
      source: 'news letter',
    });
    await send(event);

    await waitFor(() => target.succeeded().length === 1, { what: 'the postback' });
    const [request] = target.requests;
    expect(request.method).toBe('GET');
    expect(request.url).toBe(
      `/pb?click=${event.clickId}&aff=x%26y%3Dz&s1=Gr%C3%BC%C3%9Fe%20100%25&s2=a%20b%2Fc%3Fd%23e&s3=it%27s%20%28fine%29%2A%21` +
        `&s4=&s5=%2B&src=news%20letter&offer=${OFFER_ID}&goal=sale&status=approved&payout=12.5000&cur=EUR` +
        `&conv=${event.conversionId}&ts=1795860301&rev={revenue}&api_key=aff-own-token`,
    );
    expect(request.headers['idempotency-key']).toBe(`${event.conversionId}:approved`);
    const [, timestamp, digest] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(request.headers['x-tracklane-signature']) ?? [];
    const expected = createHmac('sha256', 'aff-hmac-secret')
      .update(`${timestamp}.${event.conversionId}:approved.GET.${request.url}.`)
      .digest('hex');
    expect(digest).toBe(expected);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(JSON.stringify(request)).not.toMatch(/987\.6543|4321\.0000|ORDER-77/);

    const [row] = await waitForDeliveries(pool, id, 1, ['delivered']);
    expect(row).toMatchObject({ state: 'delivered', attempts: 1, last_status_code: 200, method: 'GET', last_error: null });
    expect(row.url_masked).toContain('&api_key=***');
    expect(row.url_masked).not.toContain('aff-own-token');
    expect(row.last_latency_ms).toEqual(expect.any(Number));
  });

  it("delivers the postback of an affiliate its catalogue never heard of: the decision loads the catalogue again", async () => {
    const target = await receiver();
    const id = await createAffiliate(pool, { url: `${target.url}/pb?c={click_id}` }); // written, never announced
    expect(service.app.get(Catalog).current().affiliate(id)).toBeUndefined();
    const event = decision(id);
    await send(event);
    await waitFor(() => target.succeeded().length === 1, { what: 'the postback', timeoutMs: 15_000 });
    expect(target.requests[0].url).toBe(`/pb?c=${event.clickId}`);
  });

  it('posts the values as JSON to the per-offer URL, which wins over the global one', async () => {
    const global = await receiver();
    const perOffer = await receiver();
    const id = await createAffiliate(pool, { url: `${global.url}/global?c={click_id}` });
    await pool.query(`INSERT INTO affiliate_postbacks (affiliate_id, offer_id, url, method) VALUES ($1, $2, $3, 'POST')`, [
      id,
      OFFER_ID,
      `${perOffer.url}/offer?c={click_id}`,
    ]);
    await announceCatalogChange(service.app.get(InvalidationBus), 'affiliate_postback', id);
    await waitFor(() => service.app.get(Catalog).current().postbackTarget(id, OFFER_ID)?.method === 'POST', { what: 'override' });

    const event = decision(id, { sub1: 'a"b', affClickId: 'AFF-1' });
    await send(event);
    await waitFor(() => perOffer.succeeded().length === 1, { what: 'the POST postback' });
    const [request] = perOffer.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/offer?c=${event.clickId}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-tracklane-signature']).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({
      click_id: event.clickId,
      aff_click_id: 'AFF-1',
      sub1: 'a"b',
      sub2: null,
      sub3: null,
      sub4: null,
      sub5: null,
      source: null,
      offer_id: OFFER_ID,
      goal: 'sale',
      status: 'approved',
      payout: '12.5000',
      currency: 'EUR',
      conversion_id: event.conversionId,
      coupon_code: null,
      timestamp: 1795860301,
    });
    expect(request.body).not.toMatch(/987\.6543|4321\.0000|ORDER-77|revenue/);
    expect(global.requests).toHaveLength(0);
  });

  it('tells each affiliate about the statuses it asked for: approved by default, more when configured', async () => {
    const target = await receiver();
    const approvedOnly = await affiliate({ url: `${target.url}/a?s={status}&c={conversion_id}` });
    const everything = await affiliate({
      url: `${target.url}/b?s={status}&c={conversion_id}`,
      statuses: ['approved', 'pending', 'rejected', 'refunded'],
    });
    const clickA = decision(approvedOnly).clickId;
    const a = decision(approvedOnly, { status: 'pending', clickId: clickA });
    const b = decision(everything, { status: 'pending', clickId: clickA });
    const change = (of: AttributionV1, status: AttributionV1['status'], previousStatus: AttributionV1['status']) =>
      ({ ...of, kind: 'status_change', eventId: decision(0).eventId, status, previousStatus }) as AttributionV1;
    // One click keeps everything on one partition, in order: once b's are delivered, all of a's were read.
    await send(a, change(a, 'approved', 'pending'), change(a, 'refunded', 'approved'));
    await send(b, change(b, 'approved', 'pending'), change(b, 'refunded', 'approved'));

    const rowsB = await waitForDeliveries(pool, everything, 3, ['delivered']);
    expect(rowsB.map((row) => row.delivery_key).sort()).toEqual(
      [`${b.conversionId}:approved`, `${b.conversionId}:pending`, `${b.conversionId}:refunded`].sort(),
    );
    const rowsA = await waitForDeliveries(pool, approvedOnly, 1, ['delivered']);
    expect(rowsA[0].delivery_key).toBe(`${a.conversionId}:approved`);
    const statusesA = target.requests.filter((request) => request.url.startsWith('/a')).map((request) => request.url);
    expect(statusesA).toEqual([`/a?s=approved&c=${a.conversionId}`]);
  });

  it('retries a receiver that fails twice, then delivers exactly once with the same Idempotency-Key', async () => {
    const target = await receiver((_request, received) => (received.length <= 2 ? { status: 503, body: 'busy' } : { status: 204 }));
    const id = await affiliate({ url: `${target.url}/pb?c={conversion_id}` });
    const event = decision(id);
    await send(event);

    const [row] = await waitForDeliveries(pool, id, 1, ['delivered']);
    expect(row).toMatchObject({ attempts: 3, last_status_code: 204, last_error: null });
    expect(target.requests.map((request) => request.answered)).toEqual([503, 503, 204]);
    expect(new Set(target.requests.map((request) => request.headers['idempotency-key']))).toEqual(new Set([`${event.conversionId}:approved`]));
    expect(target.requests.map((request) => request.headers['x-tracklane-delivery-attempt'])).toEqual(['1', '2', '3']);
  });

  it('times out a receiver that hangs and delivers on the next attempt', async () => {
    const target = await receiver((_request, received) => (received.length === 1 ? 'hang' : { status: 200 }));
    const id = await affiliate({ url: `${target.url}/pb?c={conversion_id}` });
    await send(decision(id));

    const [row] = await waitForDeliveries(pool, id, 1, ['delivered']);
    expect(row).toMatchObject({ attempts: 2, last_status_code: 200 });
    expect(target.requests).toHaveLength(2);
    expect(target.succeeded()).toHaveLength(1);
    expect(target.requests[1].receivedAt - target.requests[0].receivedAt).toBeGreaterThanOrEqual(1_500);
  });

  it('does not retry a 4xx: one attempt, then the dead-letter topic', async () => {
    const target = await receiver(() => ({ status: 404, body: 'unknown click' }));
    const id = await affiliate({ url: `${target.url}/pb?c={conversion_id}` });
    const event = decision(id);
    await send(event);

    const [row] = await waitForDeliveries(pool, id, 1, ['dead_lettered']);
    expect(row).toMatchObject({ attempts: 1, last_status_code: 404, last_error: 'HTTP 404: unknown click' });
    expect(target.requests).toHaveLength(1);
    const dead = await deadLettersFor(`${event.conversionId}:approved`);
    expect(dead).toHaveLength(1);
    expect(dead[0].headers[DEAD_LETTER_HEADERS.error]).toBe('postback not delivered: HTTP 404: unknown click');
    expect(dead[0].headers[DISPATCH_DEAD_LETTER_HEADERS.attempts]).toBe('1');
  });

  it('dead-letters after the last attempt, with the original event and the error', async () => {
    const target = await receiver(() => ({ status: 500, body: 'boom' }));
    const id = await affiliate({ url: `${target.url}/pb?c={conversion_id}` });
    const event = decision(id);
    await send(event);

    const [row] = await waitForDeliveries(pool, id, 1, ['dead_lettered']);
    expect(row).toMatchObject({ attempts: 4, last_status_code: 500, last_error: 'HTTP 500: boom' });
    expect(target.requests).toHaveLength(4);
    const [dead] = await deadLettersFor(`${event.conversionId}:approved`);
    expect(attributionsV1.decode(dead.value)).toEqual(event);
    expect(dead.key).toBe(event.clickId);
    expect(dead.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.error]: 'postback not delivered: HTTP 500: boom',
      [DEAD_LETTER_HEADERS.topic]: `${stack.topics.prefix}attributions.v1`,
      [DISPATCH_DEAD_LETTER_HEADERS.attempts]: '4',
      [DISPATCH_DEAD_LETTER_HEADERS.deadLetteredBy]: 'postback-dispatch',
    });
  });

  it('does not deliver a replayed attribution again', async () => {
    const target = await receiver();
    const id = await affiliate({ url: `${target.url}/pb?c={conversion_id}` });
    const event = decision(id);
    await send(event);
    await waitForDeliveries(pool, id, 1, ['delivered']);

    // The marker shares the click (so the partition): once it is delivered, the replay has been consumed.
    const marker = decision(id, { clickId: event.clickId });
    await send({ ...event, eventId: decision(id).eventId }, event, marker);
    await waitForDeliveries(pool, id, 2, ['delivered']);
    expect(target.requests.map((request) => request.headers['idempotency-key'])).toEqual([
      `${event.conversionId}:approved`,
      `${marker.conversionId}:approved`,
    ]);
  });

  it('refuses private, loopback and metadata targets it was not told to allow, in any spelling, sending nothing', async () => {
    // Listening on 127.0.0.2: reachable, so only the guard can keep the postback from arriving.
    const inside = await receiver(undefined, '127.0.0.2');
    const targets = {
      loopback: `http://127.0.0.2:${inside.port}/pb?c={conversion_id}`,
      decimal: `http://2130706434:${inside.port}/pb?c={conversion_id}`,
      mapped: `http://[::ffff:127.0.0.2]:${inside.port}/pb?c={conversion_id}`,
      name: `http://localhost:${inside.port}/pb?c={conversion_id}`,
      teredo: 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/pb?c={conversion_id}',
      private: 'http://10.0.0.1/pb?c={conversion_id}',
      metadata: 'http://169.254.169.254/latest/meta-data/?c={conversion_id}',
      scheme: 'file:///etc/passwd?c={conversion_id}',
    };
    const ids = Object.fromEntries(
      await Promise.all(Object.entries(targets).map(async ([name, url]) => [name, await affiliate({ url })] as const)),
    );
    await send(...Object.values(ids).map((id) => decision(id)));

    const errors = Object.fromEntries(
      await Promise.all(
        Object.entries(ids).map(async ([name, id]) => [name, (await waitForDeliveries(pool, id, 1, ['refused']))[0].last_error] as const),
      ),
    );
    expect(errors).toEqual({
      loopback: 'target refused: 127.0.0.2 is a loopback address',
      decimal: 'target refused: 127.0.0.2 is a loopback address',
      mapped: 'target refused: ::ffff:7f00:2 is a loopback address',
      name: 'target refused: localhost is a loopback name',
      teredo: 'target refused: 2001:0:4136:e378:8000:63bf:3fff:fdd2 is a Teredo address',
      private: 'target refused: 10.0.0.1 is a private address',
      metadata: 'target refused: 169.254.169.254 is a cloud metadata address',
      scheme: 'scheme file: is not http or https',
    });
    expect(inside.requests).toHaveLength(0);
    const rows = await deliveryRows(pool, ids.loopback);
    expect(rows[0].attempts).toBe(1);
  });

  it('keeps internal addresses and ports out of what the affiliate sees of a failure', async () => {
    const leaky = await receiver(() => ({ status: 503, body: '<h1>Bad gateway</h1> upstream 10.0.3.7:6379 (cache.internal:6379) refused' }));
    const leakyId = await affiliate({ url: `${leaky.url}/pb?c={conversion_id}` });
    const closedId = await affiliate({ url: `http://127.0.0.1:${await freePort()}/pb?c={conversion_id}` });
    await send(decision(leakyId), decision(closedId));

    const [leakyRow] = await waitForDeliveries(pool, leakyId, 1, ['dead_lettered']);
    expect(leakyRow.last_error).toBe('HTTP 503: Bad gateway upstream [address] ([address]) refused');
    const [closedRow] = await waitForDeliveries(pool, closedId, 1, ['dead_lettered']);
    expect(closedRow.last_error).toBe('connection refused');
    const { rows } = await pool.query<{ last_error: string }>('SELECT last_error FROM postback_affiliate_health WHERE affiliate_id = ANY($1)', [
      [leakyId, closedId],
    ]);
    expect(rows.map((row) => row.last_error).sort()).toEqual(['HTTP 503: Bad gateway upstream [address] ([address]) refused', 'connection refused']);
  });

  async function deadLettersFor(deliveryKey: string) {
    const messages = await readTopic(stack.topics.kafka, `${stack.topics.prefix}attributions.dlq.v1`, { idleMs: 1_000 });
    return messages.filter((message) => message.headers[DISPATCH_DEAD_LETTER_HEADERS.deliveryKey] === deliveryKey);
  }
});
