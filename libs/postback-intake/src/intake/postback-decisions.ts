import { PostbackStatus } from '@tracklane/contracts';
import { PostbackReceipts } from '../receipts/postback-receipts.repository';
import { Answer, ConversionReference, conversionReferenceOf, goalKey, NewReceipt, Receipt } from '../receipts/receipt';
import { PostbackRefusal } from '../refusals';
import { ValidPostback } from '../validation/validate-postback';
import { conversionEvent, EventIdentity } from './conversion-event';
import { postbackFingerprint } from './fingerprint';

/**
 * Statuses a later postback may move a known conversion to: rejected and
 * refunded reverse it, approved confirms a pending one (lead → sale).
 * Attribution decides whether the move applies; pending is never a move.
 */
const STATUS_CHANGES: ReadonlySet<PostbackStatus | null> = new Set<PostbackStatus | null>(['approved', 'rejected', 'refunded']);

/** Whether a postback's status could move a known conversion (else it is always a conversion of its own). */
export function movesStatus(status: PostbackStatus | null): boolean {
  return STATUS_CHANGES.has(status);
}

/**
 * The conversion a postback changes the status of: one recorded for the
 * same order (or conversion key) of the goal, in another status. Undefined
 * when the postback is a conversion of its own.
 */
export async function statusChangeTarget(
  receipts: PostbackReceipts,
  advertiserId: number,
  goal: string,
  reference: ConversionReference | null,
  postback: ValidPostback,
): Promise<Receipt | undefined> {
  if (reference === null || !movesStatus(postback.status)) return undefined;
  const conversion = await receipts.findConversion(advertiserId, goal, reference);
  return conversion && conversion.status !== postback.status ? conversion : undefined;
}

/** A status change must come from the click its conversion was recorded with (409 otherwise). */
export function checkSameClick(conversion: Receipt, reference: ConversionReference, postback: ValidPostback): void {
  if (conversion.clickId === postback.clickId) return;
  const what = reference.column === 'order_id' ? `order ${postback.orderId}` : 'this conversion';
  throw new PostbackRefusal(409, 'conflict', 'order_belongs_to_another_click', [
    { field: 'click_id', rule: 'sameClick', reason: `${what} was recorded for another click id` },
  ]);
}

/** A postback recognised by content only (no order id, conversion key or Idempotency-Key), when the window allows. */
export function replayOf(advertiserId: number, postback: ValidPostback, windowSeconds: number): NewReceipt['replay'] {
  const recognisable = conversionReferenceOf(postback) !== null || postback.idempotencyKey !== null;
  return recognisable || windowSeconds <= 0 ? null : { fingerprint: postbackFingerprint(advertiserId, postback), windowSeconds };
}

export function receiptFor(
  identity: EventIdentity,
  advertiserId: number,
  postback: ValidPostback,
  receivedAt: Date,
  replay: NewReceipt['replay'],
): NewReceipt {
  const event = conversionEvent(identity, advertiserId, postback, receivedAt);
  return {
    ...identity,
    advertiserId,
    goal: goalKey(postback.goal),
    orderId: postback.orderId,
    conversionKey: postback.conversionKey,
    replay,
    status: postback.status,
    idempotencyKey: postback.idempotencyKey,
    answer: { ok: true, ...identity, status: postback.status },
    // conversionsV1.encode's bytes, kept as the text the receipt stores.
    message: JSON.stringify(event),
  };
}

/** What the intake would do with a postback, found without writing or publishing anything. */
export type Decision =
  | { outcome: 'accepted'; kind: 'conversion' | 'status_change'; conversionId: string | null }
  /** An earlier copy (same order, key, status change or Idempotency-Key) already has this answer. */
  | { outcome: 'duplicate'; answer: Answer }
  /** An identical postback without order id or key within the replay window already has this answer. */
  | { outcome: 'replay'; answer: Answer }
  | { outcome: 'refused'; refusal: PostbackRefusal };

/**
 * The decision of PostbackIntake.accept, read-only: the management API's
 * dry run asks it. It takes the same steps on the same receipts, so it
 * tells apart a new conversion, a status change, a duplicate and a replay;
 * only a copy still in flight elsewhere can make the real answer differ.
 */
export async function previewDecision(
  receipts: PostbackReceipts,
  advertiserId: number,
  postback: ValidPostback,
  options: { replayWindowSeconds: number; receivedAt?: Date },
): Promise<Decision> {
  const receivedAt = options.receivedAt ?? new Date();
  const goal = goalKey(postback.goal);
  const reference = conversionReferenceOf(postback);
  const conversion = await statusChangeTarget(receipts, advertiserId, goal, reference, postback);
  if (conversion && reference) {
    try {
      checkSameClick(conversion, reference, postback);
    } catch (refusal) {
      if (refusal instanceof PostbackRefusal) return { outcome: 'refused', refusal };
      throw refusal;
    }
    const change = receiptFor(
      { kind: 'status_change', eventId: '', conversionId: conversion.conversionId, clickId: conversion.clickId },
      advertiserId,
      postback,
      receivedAt,
      null,
    );
    const earlier = await receipts.findExisting(change, { liveFingerprintsOnly: true });
    return earlier ? { outcome: 'duplicate', answer: earlier.answer } : { outcome: 'accepted', kind: 'status_change', conversionId: conversion.conversionId };
  }
  const replay = replayOf(advertiserId, postback, options.replayWindowSeconds);
  if (reference === null && postback.idempotencyKey === null && replay === null) return { outcome: 'accepted', kind: 'conversion', conversionId: null };
  const receipt = receiptFor({ kind: 'conversion', eventId: '', conversionId: '', clickId: postback.clickId }, advertiserId, postback, receivedAt, replay);
  const earlier = await receipts.findExisting(receipt, { liveFingerprintsOnly: true });
  if (!earlier) return { outcome: 'accepted', kind: 'conversion', conversionId: null };
  return { outcome: replay !== null ? 'replay' : 'duplicate', answer: earlier.answer };
}
