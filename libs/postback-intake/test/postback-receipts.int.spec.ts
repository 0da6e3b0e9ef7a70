import { newId } from '@tracklane/contracts';
import { createTestDatabase, TestDatabase, waitFor } from '@tracklane/testing';
import { Pool } from 'pg';
import { ConversionReference, NewReceipt, PostbackReceipts, PostbackUnavailable } from '../src';

function receipt(overrides: Partial<NewReceipt> = {}): NewReceipt {
  const eventId = newId();
  const conversionId = newId();
  const clickId = newId();
  return {
    eventId,
    advertiserId: 1,
    kind: 'conversion',
    goal: '',
    orderId: `order-${newId()}`,
    conversionKey: null,
    replay: null,
    status: null,
    idempotencyKey: null,
    conversionId,
    clickId,
    answer: { ok: true, kind: 'conversion', conversionId, eventId, clickId, status: null },
    message: JSON.stringify({ eventId }),
    ...overrides,
  };
}

const byOrder = (value: string): ConversionReference => ({ column: 'order_id', value });

describe('postback receipts on Postgres', () => {
  let database: TestDatabase;
  let pool: Pool;
  let receipts: PostbackReceipts;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 6 });
    receipts = new PostbackReceipts(pool, { leaseMs: 60_000, maxConcurrentBatches: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('keeps the first receipt of an order of a goal and points a later copy to it', async () => {
    const first = receipt({ goal: 'sale', orderId: 'A-1' });
    const copy = receipt({ goal: 'sale', orderId: 'A-1' });
    expect(await receipts.reserve(first)).toBe(true);
    expect(await receipts.reserve(copy)).toBe(false);
    expect(await receipts.findExisting(copy)).toMatchObject({ eventId: first.eventId, answer: first.answer, leased: true });
    // The same order id under another goal, or of another advertiser, is another conversion.
    expect(await receipts.reserve(receipt({ goal: 'lead', orderId: 'A-1' }))).toBe(true);
    expect(await receipts.reserve(receipt({ advertiserId: 2, goal: 'sale', orderId: 'A-1' }))).toBe(true);
  });

  it('keeps the first receipt of an Idempotency-Key, and prefers it over an order match', async () => {
    const byOrder = receipt({ orderId: 'B-1' });
    const byKey = receipt({ orderId: 'B-2', idempotencyKey: 'key-b' });
    expect(await receipts.reserve(byOrder)).toBe(true);
    expect(await receipts.reserve(byKey)).toBe(true);
    const both = receipt({ orderId: 'B-1', idempotencyKey: 'key-b' });
    expect(await receipts.reserve(both)).toBe(false);
    expect((await receipts.findExisting(both))?.eventId).toBe(byKey.eventId);
    const keyOnly = receipt({ orderId: null, idempotencyKey: 'key-c' });
    expect(await receipts.reserve(keyOnly)).toBe(true);
    expect(await receipts.reserve(receipt({ orderId: null, idempotencyKey: 'key-c' }))).toBe(false);
  });

  it('allows one status change per order and status, and finds the conversion of an order', async () => {
    const conversion = receipt({ orderId: 'C-1', goal: 'sale' });
    await receipts.reserve(conversion);
    const refund = () =>
      receipt({ kind: 'status_change', orderId: 'C-1', goal: 'sale', status: 'refunded', conversionId: conversion.conversionId });
    expect(await receipts.reserve(refund())).toBe(true);
    expect(await receipts.reserve(refund())).toBe(false);
    expect(await receipts.reserve(receipt({ kind: 'status_change', orderId: 'C-1', goal: 'sale', status: 'rejected' }))).toBe(true);
    expect((await receipts.findConversion(1, 'sale', byOrder('C-1')))?.eventId).toBe(conversion.eventId);
    expect(await receipts.findConversion(1, 'lead', byOrder('C-1'))).toBeUndefined();
  });

  it('lets a conversion key stand in for the order id: one conversion, one change per status, found again', async () => {
    const conversionKey = `click_id:${newId()}`;
    const conversion = receipt({ orderId: null, conversionKey, goal: '' });
    expect(await receipts.reserve(conversion)).toBe(true);
    expect(await receipts.reserve(receipt({ orderId: null, conversionKey, goal: '' }))).toBe(false);
    expect(await receipts.reserve(receipt({ orderId: null, conversionKey, goal: 'lead' }))).toBe(true);
    const change = () => receipt({ kind: 'status_change', orderId: null, conversionKey, status: 'approved', conversionId: conversion.conversionId });
    expect(await receipts.reserve(change())).toBe(true);
    const copy = change();
    expect(await receipts.reserve(copy)).toBe(false);
    expect((await receipts.findExisting(copy))?.kind).toBe('status_change');
    expect((await receipts.findConversion(1, '', { column: 'conversion_key', value: conversionKey }))?.eventId).toBe(conversion.eventId);
    // The same text as an order id is another identity.
    expect(await receipts.findConversion(1, '', byOrder(conversionKey))).toBeUndefined();
  });

  it('holds a fingerprint for its window only, then lets a copy count anew', async () => {
    const fingerprint = newId();
    const first = receipt({ orderId: null, replay: { fingerprint, windowSeconds: 1 } });
    expect(await receipts.reserve(first)).toBe(true);
    const copy = receipt({ orderId: null, replay: { fingerprint, windowSeconds: 1 } });
    expect(await receipts.reserve(copy)).toBe(false);
    expect((await receipts.findExisting(copy))?.eventId).toBe(first.eventId);
    // Another advertiser's identical postback is its own.
    expect(await receipts.reserve(receipt({ orderId: null, advertiserId: 2, replay: { fingerprint, windowSeconds: 1 } }))).toBe(true);
    await waitFor(
      async () => ((await pool.query(`SELECT 1 FROM postback_receipts WHERE fingerprint = $1 AND replay_until <= now()`, [fingerprint])).rowCount ? true : undefined),
      { timeoutMs: 5_000, what: 'the window to pass' },
    );
    const late = receipt({ orderId: null, replay: { fingerprint, windowSeconds: 1 } });
    expect(await receipts.reserve(late)).toBe(true);
    expect((await receipts.get(first.eventId))?.answer).toEqual(first.answer);
  });

  it('stores hostile text exactly as given, through every statement that carries it', async () => {
    const hostile = `'"\\{},NULL) ; DROP TABLE x; -- é 😀 \u2028 \t\n`;
    const first = receipt({ orderId: hostile, goal: hostile.toLowerCase(), idempotencyKey: hostile, message: JSON.stringify({ hostile }) });
    expect(await receipts.reserve(first)).toBe(true);
    expect(await receipts.reserve(receipt({ orderId: hostile, goal: hostile.toLowerCase() }))).toBe(false);
    expect(await receipts.findExisting(receipt({ orderId: null, idempotencyKey: hostile }))).toMatchObject({ eventId: first.eventId });
    expect(await receipts.findConversion(1, hostile.toLowerCase(), byOrder(hostile))).toMatchObject({ eventId: first.eventId, message: first.message });
    const replay = { fingerprint: hostile, windowSeconds: 60 };
    expect(await receipts.reserve(receipt({ orderId: null, replay }))).toBe(true);
    expect(await receipts.reserve(receipt({ orderId: null, replay }))).toBe(false);
  });

  it('writes exactly one receipt per order however many copies arrive at once', async () => {
    const orders = Array.from({ length: 50 }, (_, index) => `D-${index}`);
    const copies = orders.flatMap((orderId) => Array.from({ length: 4 }, () => receipt({ orderId })));
    const written = await Promise.all(copies.map((each) => receipts.reserve(each)));
    expect(written.filter(Boolean)).toHaveLength(50);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM postback_receipts WHERE order_id LIKE 'D-%'`);
    expect(rows[0].n).toBe(50);
  });

  it('forgets the message once published, and answers duplicates from then on', async () => {
    const first = receipt();
    await receipts.reserve(first);
    expect((await receipts.get(first.eventId))?.message).toBe(first.message);
    await receipts.markPublished(first.eventId);
    expect(await receipts.get(first.eventId)).toMatchObject({ message: null, answer: first.answer });
    expect(await receipts.takeOver(first.eventId)).toBeNull();
  });

  it('lets a retry take over an unpublished receipt only when its lease ran out or was released', async () => {
    const shortLease = new PostbackReceipts(pool, { leaseMs: 300, maxConcurrentBatches: 1 });
    const first = receipt();
    await shortLease.reserve(first);
    expect(await shortLease.takeOver(first.eventId)).toBeNull();
    await waitFor(async () => (await shortLease.get(first.eventId))?.leased === false, { what: 'lease to run out' });
    expect(await shortLease.takeOver(first.eventId)).toBe(first.message);
    expect(await shortLease.takeOver(first.eventId)).toBeNull(); // the taker holds a new lease

    const second = receipt();
    await receipts.reserve(second);
    await receipts.release(second.eventId);
    expect(await receipts.takeOver(second.eventId)).toBe(second.message);
  });

  it('turns an unreachable database into PostbackUnavailable', async () => {
    const nowhere = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const broken = new PostbackReceipts(nowhere, { leaseMs: 1_000, maxConcurrentBatches: 1 });
    try {
      await expect(broken.reserve(receipt())).rejects.toBeInstanceOf(PostbackUnavailable);
      await expect(broken.findConversion(1, '', byOrder('x'))).rejects.toMatchObject({ reason: 'database_unavailable' });
    } finally {
      await nowhere.end();
    }
  });
});
