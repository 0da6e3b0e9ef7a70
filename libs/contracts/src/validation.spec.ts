import { clicksV1, ClickV1 } from './clicks.v1';
import { conversionsV1 } from './conversions.v1';
import { attributionsV1, AttributionV1 } from './attributions.v1';
import { newId } from './ids';
import { ContractViolation } from './validation';
import { allTopics, topicNames } from './topics';

function click(overrides: Partial<ClickV1> = {}): ClickV1 {
  return {
    v: 1,
    clickId: newId(),
    occurredAt: new Date().toISOString(),
    offerId: 1,
    advertiserId: 2,
    affiliateId: 3,
    sub1: 'a',
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: null,
    affClickId: null,
    ip: '203.0.113.9',
    userAgent: 'Mozilla/5.0',
    referrer: null,
    country: 'DE',
    device: 'desktop',
    unique: true,
    flags: [],
    disposition: 'accepted',
    params: { campaign: 'x' },
    ...overrides,
  };
}

function violation(run: () => unknown): ContractViolation {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
  throw new Error('expected a ContractViolation');
}

describe('event contracts', () => {
  it('round-trip a click through encode and decode', () => {
    const value = click({ flags: ['bot'] });
    expect(clicksV1.decode(clicksV1.encode(value))).toEqual(value);
    expect(clicksV1.keyOf(value)).toBe(value.clickId);
  });

  it.each([
    ['offerId', { offerId: '1' }, 'must be an integer'],
    ['clickId', { clickId: 'not-an-id' }, 'must match'],
    ['occurredAt', { occurredAt: '2026-11-28 10:00' }, 'ISO 8601'],
    ['flags[0]', { flags: ['robot'] }, 'must be one of'],
    ['params.x', { params: { x: 1 } }, 'must be a string'],
    ['country', { country: 'DEU' }, 'at most 2'],
  ])('name the field and the reason when %s is wrong', (field, overrides, reason) => {
    const error = violation(() => clicksV1.decode(JSON.stringify({ ...click(), ...overrides })));
    expect(error.field).toBe(field);
    expect(error.reason).toContain(reason);
  });

  it('refuse what is not JSON, has no value, or has another schema version', () => {
    expect(violation(() => clicksV1.decode('{oops')).reason).toBe('value is not valid JSON');
    expect(violation(() => clicksV1.decode(null)).reason).toBe('message has no value');
    expect(violation(() => clicksV1.decode(JSON.stringify({ ...click(), v: 2 }))).field).toBe('v');
  });

  it('keep money as decimal strings with at most four places', () => {
    const conversion = {
      v: 1,
      kind: 'conversion',
      eventId: newId(),
      conversionId: newId(),
      receivedAt: new Date().toISOString(),
      clickId: newId(),
      advertiserId: 1,
      goal: null,
      amount: '19.9900',
      currency: 'EUR',
      orderId: 'o-1',
      status: null,
      advSub1: null,
      advSub2: null,
      advSub3: null,
      advSub4: null,
      advSub5: null,
      raw: {},
    };
    expect(conversionsV1.decode(JSON.stringify(conversion)).amount).toBe('19.9900');
    expect(violation(() => conversionsV1.decode(JSON.stringify({ ...conversion, amount: 19.99 }))).field).toBe('amount');
    expect(violation(() => conversionsV1.decode(JSON.stringify({ ...conversion, amount: '1.23456' }))).field).toBe('amount');
    expect(violation(() => conversionsV1.decode(JSON.stringify({ ...conversion, amount: '-1' }))).reason).toBe(
      'must not be negative',
    );
  });

  it('key an attribution by click id, or by conversion id when there is no click', () => {
    const base = { clickId: null, conversionId: newId() } as AttributionV1;
    expect(attributionsV1.keyOf(base)).toBe(base.conversionId);
    const clickId = newId();
    expect(attributionsV1.keyOf({ ...base, clickId })).toBe(clickId);
  });

  it('decode a click fast enough for a consumer hot path', () => {
    const bytes = clicksV1.encode(click());
    const started = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) clicksV1.decode(bytes);
    const perMessageMicros = Number(process.hrtime.bigint() - started) / 1000 / 20_000;
    // Generous bound that only a pathological validator would break, even on a busy CI machine.
    expect(perMessageMicros).toBeLessThan(200);
  });
});

describe('topics', () => {
  it('give every stream retry and dead-letter siblings under an optional prefix', () => {
    expect(topicNames(clicksV1, 't1.')).toEqual({
      main: 't1.clicks.v1',
      retry: 't1.clicks.retry.v1',
      deadLetter: 't1.clicks.dlq.v1',
    });
  });

  it('default to 12 partitions for the streams and one for dead letters', () => {
    const specs = allTopics({ partitions: 12 });
    expect(specs).toHaveLength(9);
    expect(specs.find((spec) => spec.name === 'clicks.v1')?.partitions).toBe(12);
    expect(specs.find((spec) => spec.name === 'conversions.v1')?.partitions).toBe(12);
    expect(specs.find((spec) => spec.name === 'clicks.dlq.v1')?.partitions).toBe(1);
    // Dead letters are marked, so they get their own retention.
    expect(specs.filter((spec) => spec.deadLetter).map((spec) => spec.name)).toEqual(['clicks.dlq.v1', 'conversions.dlq.v1', 'attributions.dlq.v1']);
  });
});
