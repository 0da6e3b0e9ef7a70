import { newId } from '@tracklane/contracts';
import { signPostback } from '@tracklane/postback-intake';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

const SECRET = 'whsec-acme-42';

describe('postback-ingest refuses forgeries', () => {
  let kit: PostbackKit;
  let behindProxy: PostbackKit;
  let accepted = 0;

  beforeAll(async () => {
    kit = await startPostbackKit([
      { id: 1, token: 'tok-plain' },
      { id: 2, token: 'tok-signed', signingSecret: SECRET, requireSignature: true },
      { id: 3, token: 'tok-office', ipAllowlist: ['10.0.0.0/8', '192.0.2.1'] },
      { id: 4, token: 'tok-local', ipAllowlist: ['127.0.0.0/8'] },
    ]);
    // The same database and topics, as if behind a load balancer at 127.0.0.1.
    behindProxy = await startPostbackKit([], { stack: kit.stack, env: { TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(async () => {
    await behindProxy?.close();
    await kit?.close();
  });

  async function expectAccepted(response: Response): Promise<void> {
    expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 200, body: { ok: true } });
    accepted++;
  }

  async function expectRefused(response: Response, status: number, reason: string): Promise<void> {
    // The fields partners parse (ok, error, reason), and the same refusal as problem details (RFC 9457).
    const problem =
      status === 401
        ? { type: 'urn:tracklane:problem:unauthenticated', title: 'No valid API key' }
        : { type: 'urn:tracklane:problem:forbidden', title: 'Not allowed for this API key' };
    expect({ status: response.status, body: await response.json() }).toEqual({
      status,
      body: { ok: false, error: status === 401 ? 'unauthorized' : 'forbidden', reason, ...problem, status, detail: reason },
    });
  }

  it('needs a known security token, in the query or the X-Tracklane-Token header', async () => {
    await expectAccepted(await kit.get('/postback', { token: 'tok-plain', click_id: newId() }));
    await expectAccepted(await kit.get('/postback', { security_token: 'tok-plain', click_id: newId() }));
    await expectAccepted(await kit.get('/postback', { click_id: newId() }, { 'x-tracklane-token': 'tok-plain' }));
    await expectRefused(await kit.get('/postback', { click_id: newId() }), 401, 'missing_token');
    await expectRefused(await kit.get('/postback', { token: 'tok-plain-guess', click_id: newId() }), 401, 'unknown_token');
    await expectRefused(await kit.get('/postback', { token: 'TOK-PLAIN', click_id: newId() }), 401, 'unknown_token');
  });

  describe('for an advertiser that signs its postbacks', () => {
    const now = () => String(Math.floor(Date.now() / 1000));

    function signedParams(params: Record<string, string>, timestamp = now(), secret = SECRET): Record<string, string> {
      const all = { ...params, timestamp };
      return { ...all, signature: signPostback(secret, { method: 'GET', path: '/postback', params: Object.entries(all), timestamp }) };
    }

    it('accepts a valid signature in the query string or in headers, over GET and POST', async () => {
      await expectAccepted(await kit.get('/postback', signedParams({ token: 'tok-signed', click_id: newId(), amount: '5' })));

      const timestamp = now();
      const params = { token: 'tok-signed', click_id: newId(), amount: '12.30' };
      const signature = signPostback(SECRET, { method: 'GET', path: '/postback', params: Object.entries(params), timestamp });
      await expectAccepted(
        await kit.get('/postback', params, { 'x-tracklane-signature': `sha256=${signature}`, 'x-tracklane-timestamp': timestamp }),
      );

      const body = { click_id: newId(), amount: '1.5', sub: 'a b&c' };
      const bodySignature = signPostback(SECRET, {
        method: 'POST',
        path: '/postback',
        params: [['token', 'tok-signed'], ...Object.entries(body)],
        timestamp,
      });
      await expectAccepted(
        await fetch(kit.url('/postback', { token: 'tok-signed' }), {
          method: 'POST',
          body: new URLSearchParams(body).toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-tracklane-signature': bodySignature,
            'x-tracklane-timestamp': timestamp,
          },
        }),
      );
    });

    it('refuses a missing, wrong, tampered or stale signature', async () => {
      await expectRefused(await kit.get('/postback', { token: 'tok-signed', click_id: newId() }), 401, 'missing_signature');
      await expectRefused(
        await kit.get('/postback', signedParams({ token: 'tok-signed', click_id: newId() }, now(), 'not-the-secret')),
        401,
        'bad_signature',
      );
      const tampered = { ...signedParams({ token: 'tok-signed', click_id: newId(), amount: '5' }), amount: '5000' };
      await expectRefused(await kit.get('/postback', tampered), 401, 'bad_signature');
      const stale = String(Math.floor(Date.now() / 1000) - 3600);
      await expectRefused(await kit.get('/postback', signedParams({ token: 'tok-signed', click_id: newId() }, stale)), 401, 'stale_timestamp');
      const { timestamp: _timestamp, ...withoutTimestamp } = signedParams({ token: 'tok-signed', click_id: newId() });
      await expectRefused(await kit.get('/postback', withoutTimestamp), 401, 'missing_timestamp');
    });
  });

  it('refuses addresses outside the allowlist (single addresses and CIDR ranges)', async () => {
    await expectRefused(await kit.get('/postback', { token: 'tok-office', click_id: newId() }), 403, 'ip_not_allowed');
    await expectAccepted(await kit.get('/postback', { token: 'tok-local', click_id: newId() }));
  });

  it('believes X-Forwarded-For only from trusted proxies', async () => {
    const forwardedFrom = (address: string) => ({ 'x-forwarded-for': address });
    await expectAccepted(await behindProxy.get('/postback', { token: 'tok-office', click_id: newId() }, forwardedFrom('10.20.30.40')));
    await expectAccepted(await behindProxy.get('/postback', { token: 'tok-office', click_id: newId() }, forwardedFrom('192.0.2.1')));
    await expectRefused(
      await behindProxy.get('/postback', { token: 'tok-office', click_id: newId() }, forwardedFrom('10.0.0.1, 198.51.100.7')),
      403,
      'ip_not_allowed',
    );
    // Without a trusted proxy the header is the client's own claim and ignored.
    await expectRefused(await kit.get('/postback', { token: 'tok-office', click_id: newId() }, forwardedFrom('10.20.30.40')), 403, 'ip_not_allowed');
  });

  it('publishes nothing for a refused postback', async () => {
    const events = await kit.events(accepted);
    expect(events).toHaveLength(accepted);
    expect(events.map((event) => event.advertiserId).sort()).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 4]);
  });
});
