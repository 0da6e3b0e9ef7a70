import { PostbackStatus } from '@tracklane/contracts';

export type ReceiptKind = 'conversion' | 'status_change';

/** The body of a 2xx answer; a duplicate gets the very same one again. */
export interface Answer {
  ok: true;
  kind: ReceiptKind;
  conversionId: string;
  eventId: string;
  clickId: string | null;
  status: PostbackStatus | null;
}

/** What to remember about a postback before its event goes to Kafka. */
export interface NewReceipt {
  eventId: string;
  advertiserId: number;
  kind: ReceiptKind;
  /** The goal as named, lower-cased; '' for the offer's default goal. */
  goal: string;
  orderId: string | null;
  /** What identifies the conversion when there is no order id (see ValidPostback.conversionKey). */
  conversionKey: string | null;
  /** A postback recognised by its content only: its fingerprint, and how long copies are replays of it. */
  replay: { fingerprint: string; windowSeconds: number } | null;
  status: PostbackStatus | null;
  idempotencyKey: string | null;
  conversionId: string;
  clickId: string | null;
  answer: Answer;
  /** The encoded conversions.v1 event. */
  message: string;
}

/** A receipt as stored. */
export interface Receipt {
  eventId: string;
  kind: ReceiptKind;
  status: PostbackStatus | null;
  conversionId: string;
  clickId: string | null;
  answer: Answer;
  /** The event still to publish; null once Kafka acknowledged it. */
  message: string | null;
  /** Another attempt owns the publication of this event right now. */
  leased: boolean;
}

/** The goal part of the idempotency key: goal codes match case-insensitively downstream. */
export function goalKey(goal: string | null): string {
  return goal === null ? '' : goal.toLowerCase();
}

/** How a postback names the conversion it is about: by order id, or by the key its partner mapping chose. */
export type ConversionReference = { column: 'order_id' | 'conversion_key'; value: string };

export function conversionReferenceOf(postback: { orderId: string | null; conversionKey: string | null }): ConversionReference | null {
  if (postback.orderId !== null) return { column: 'order_id', value: postback.orderId };
  if (postback.conversionKey !== null) return { column: 'conversion_key', value: postback.conversionKey };
  return null;
}
