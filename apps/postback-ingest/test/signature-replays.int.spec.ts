import { newId } from '@tracklane/contracts';
import { signPostback } from '@tracklane/postback-intake';
import { createTestStack, TcpProxy, TestStack, waitFor } from '@tracklane/testing';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

const SECRET = 'whsec-replay-7';
const ADVERTISERS = [
  { id: 1, token: 'tok-signed', signingSecret: SECRET, requireSignature: true },
  { id: 2, token: 'tok-plain' },
];

function signed(params: Record<string, string>, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  const all = { token: 'tok-signed', ...params, timestamp };
  return { ...all, signature: signPostback(SECRET, { method: 'GET', path: '/postback', params: Object.entries(all), timestamp }) };
}

/**
 * Anyone who saw a signed postback (a proxy's log, a browser's history) could
 * send it again while its timestamp is inside the signature window. Without
 * an order id nothing else recognises the copy: each signature is used once.
 */
describe('postback-ingest takes each signed postback once', () => {
  let kit: PostbackKit;

  beforeAll(async () => {
    kit = await startPostbackKit(ADVERTISERS);
  });
  afterAll(() => kit?.close());

  it('answers a replayed signature with the first answer, marked as a replay, and books it once', async () => {
    const request = signed({ click_id: newId(), amount: '19.90' }); // no order id, no Idempotency-Key
    const first = await kit.get('/postback', request);
    expect(first.status).toBe(200);
    const answer = await first.json();
    expect(answer).toMatchObject({ ok: true, kind: 'conversion' });

    for (let copy = 0; copy < 3; copy++) {
      const again = await kit.get('/postback', request);
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(answer);
    }
    // The same conversion signed anew is a new request to the signature check (and, without an order id, a new conversion).
    const events = await kit.events(1);
    expect(events.filter((event) => event.clickId === request.click_id)).toHaveLength(1);
  });

  it('books copies sent at the same moment once; the others are answered as replays or asked to retry', async () => {
    const request = signed({ click_id: newId() });
    const answers = await Promise.all(Array.from({ length: 8 }, () => kit.get('/postback', request)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<{ ok: boolean; reason?: string; conversionId?: string }>));
    const retried = bodies.filter((body) => body.ok === false);
    expect(retried.every((body) => body.reason === 'duplicate_in_progress')).toBe(true);
    expect(new Set(bodies.filter((body) => body.ok).map((body) => body.conversionId)).size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await kit.events()).filter((event) => event.clickId === request.click_id)).toHaveLength(1);
  });

  it('lets a signed postback that was refused be sent again (it was not taken)', async () => {
    const request = signed({ click_id: newId(), amount: 'lots' });
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await kit.get('/postback', request);
      expect([answer.status, ((await answer.json()) as { field: string }).field]).toEqual([400, 'amount']);
    }
  });
});

describe('postback-ingest while Redis is unreachable', () => {
  let stack: TestStack;
  let proxy: TcpProxy;
  let kit: PostbackKit;

  beforeAll(async () => {
    stack = await createTestStack();
    const redis = new URL(stack.redis.url);
    proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    await proxy.start();
    kit = await startPostbackKit(ADVERTISERS, { stack, env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
  });
  afterAll(async () => {
    await kit?.close();
    await proxy?.cut();
    await stack?.destroy();
  });

  it('refuses signed postbacks with a 503 (it cannot tell a replay), still takes unsigned ones, and takes signed ones again once Redis is back', async () => {
    await proxy.cut();
    try {
      const answer = await kit.get('/postback', signed({ click_id: newId() }));
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(await answer.json()).toMatchObject({ ok: false, error: 'unavailable', reason: 'replay_check_unavailable' });
      expect((await kit.get('/postback', { token: 'tok-plain', click_id: newId() })).status).toBe(200);
    } finally {
      await proxy.restore();
    }
    const back = signed({ click_id: newId() });
    await waitFor(async () => (await kit.get('/postback', back)).status === 200, { what: 'signed postbacks taken again' });
    const events = await kit.events(2);
    expect(events.map((event) => event.advertiserId).sort()).toEqual([1, 2]);
  });
});
