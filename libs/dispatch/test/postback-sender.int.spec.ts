import { AddressPolicy } from '@tracklane/address-policy';
import { HttpReceiver } from '@tracklane/testing';
import { LookupAddress } from 'node:dns';
import { PostbackSender, Resolver } from '../src';

describe('PostbackSender against a real HTTP receiver', () => {
  let receiver: HttpReceiver;
  let allowLocal: PostbackSender;
  const strict = new PostbackSender({ timeoutMs: 1_000, policy: new AddressPolicy() });
  const get = (url: string, sender = allowLocal) => sender.send({ method: 'GET', url, body: null, headers: {} });

  beforeAll(async () => {
    receiver = await HttpReceiver.start();
    // The receiver's scheme, address and port, and a port where nothing listens: no other port on this machine.
    allowLocal = new PostbackSender({ timeoutMs: 1_000, policy: new AddressPolicy([`http://127.0.0.1:${receiver.port}`, 'http://127.0.0.1:1']) });
  });
  afterAll(async () => {
    allowLocal.close();
    strict.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.respond = () => ({ status: 200, body: 'ok' });
  });

  it('sends the request as given and reports a 2xx as delivered', async () => {
    const outcome = await allowLocal.send({
      method: 'POST',
      url: `${receiver.url}/pb?cid=a%20b`,
      body: '{"status":"approved"}',
      headers: { 'idempotency-key': 'K:approved' },
    });
    expect(outcome).toMatchObject({ kind: 'delivered', statusCode: 200 });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', url: '/pb?cid=a%20b', body: '{"status":"approved"}' });
    expect(receiver.requests[0].headers).toMatchObject({
      'idempotency-key': 'K:approved',
      'content-type': 'application/json',
      'user-agent': 'Tracklane-Postback/1',
    });
  });

  it('gives up on a receiver that never answers at the deadline', async () => {
    receiver.respond = () => 'hang';
    const outcome = await get(`${receiver.url}/hang`);
    expect(outcome).toMatchObject({ kind: 'retryable', statusCode: null, error: 'timeout after 1000 ms' });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(990);
    expect(outcome.latencyMs).toBeLessThan(5_000);
  });

  it('retries 5xx, 408 and 429 (honouring Retry-After), and network errors', async () => {
    receiver.respond = () => ({ status: 503, body: 'down for\nmaintenance' });
    expect(await get(`${receiver.url}/a`)).toMatchObject({ kind: 'retryable', statusCode: 503, error: 'HTTP 503: down for maintenance' });
    receiver.respond = () => ({ status: 408 });
    expect(await get(`${receiver.url}/a`)).toMatchObject({ kind: 'retryable', statusCode: 408, retryAfterMs: null });
    receiver.respond = () => ({ status: 429, headers: { 'retry-after': '120' } });
    expect(await get(`${receiver.url}/b`)).toMatchObject({ kind: 'retryable', statusCode: 429, retryAfterMs: 120_000 });
    receiver.respond = () => 'drop';
    expect(await get(`${receiver.url}/c`)).toMatchObject({ kind: 'retryable', statusCode: null });
    // What the affiliate sees is the class; which address and port refused is for the operator's log.
    expect(await get('http://127.0.0.1:1/')).toEqual(
      expect.objectContaining({ kind: 'retryable', error: 'connection refused', detail: expect.stringContaining('ECONNREFUSED 127.0.0.1:1') }),
    );
  });

  it('shows the affiliate a short excerpt of an error answer, without addresses or markup', async () => {
    receiver.respond = () => ({
      status: 502,
      body: `<html><body><h1>502 Bad Gateway</h1><p>upstream 10.0.3.7:6379 and [fd00::12]:80 (db.internal:5432) failed</p>${'x'.repeat(500)}</body></html>`,
    });
    const outcome = await get(`${receiver.url}/x`);
    expect(outcome.kind).toBe('retryable');
    const error = (outcome as { error: string }).error;
    expect(error).toMatch(/^HTTP 502: 502 Bad Gateway upstream \[address\] and \[address\] \(\[address\]\) failed x+…$/);
    expect(error.length).toBeLessThanOrEqual('HTTP 502: '.length + 100);
  });

  it('does not retry other answers, and does not follow redirects', async () => {
    receiver.respond = () => ({ status: 404, body: 'no such postback' });
    expect(await get(`${receiver.url}/x`)).toMatchObject({ kind: 'rejected', statusCode: 404, error: 'HTTP 404: no such postback' });
    receiver.respond = (request) =>
      request.url === '/moved' ? { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } } : { status: 200 };
    expect(await get(`${receiver.url}/moved`)).toMatchObject({ kind: 'rejected', statusCode: 302, error: 'HTTP 302: redirects are not followed' });
    expect(receiver.requests.map((request) => request.url)).toEqual(['/x', '/moved']);
  });

  it('opens only the listed port of a listed address', async () => {
    const other = await HttpReceiver.start();
    try {
      expect(await get(`${other.url}/pb`)).toMatchObject({ kind: 'refused', error: 'target refused: 127.0.0.1 is a loopback address' });
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('refuses loopback by address and by name unless allowed, sending nothing', async () => {
    const port = receiver.port;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://127.1:${port}/`,
    ]) {
      const outcome = await get(url, strict);
      expect(outcome).toMatchObject({ kind: 'refused', error: expect.stringMatching(/loopback address$/) });
    }
    expect(await get(`http://localhost:${port}/`, strict)).toMatchObject({ kind: 'refused', error: 'target refused: localhost is a loopback name' });
    const resolver: Resolver = (_hostname, callback) => callback(null, [{ address: '127.0.0.1', family: 4 } as LookupAddress]);
    const resolving = new PostbackSender({ timeoutMs: 1_000, policy: new AddressPolicy(), resolver });
    try {
      expect(await get(`http://receiver.example.net:${port}/`, resolving)).toEqual({
        kind: 'refused',
        error: 'target refused: receiver.example.net resolves to an address that is not public',
        detail: 'receiver.example.net resolves to 127.0.0.1, a loopback address',
        latencyMs: expect.any(Number),
      });
    } finally {
      resolving.close();
    }
    expect(await get(`http://169.254.169.254/latest/meta-data/`, strict)).toMatchObject({
      kind: 'refused',
      error: 'target refused: 169.254.169.254 is a cloud metadata address',
    });
    expect(receiver.requests).toHaveLength(0);

    expect(await get(`http://127.1:${port}/`)).toMatchObject({ kind: 'delivered' });
    expect(receiver.requests).toHaveLength(1);
  });
});
