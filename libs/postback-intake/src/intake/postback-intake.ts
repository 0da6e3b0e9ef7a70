import { OnApplicationShutdown } from '@nestjs/common';
import { conversionPartitionKey, newId } from '@tracklane/contracts';
import { MessageProducer } from '@tracklane/messaging';
import type { Logger } from '@tracklane/observability';
import { PostbackReceipts } from '../receipts/postback-receipts.repository';
import { Answer, ConversionReference, conversionReferenceOf, goalKey, NewReceipt, Receipt } from '../receipts/receipt';
import { PostbackUnavailable } from '../refusals';
import { ValidPostback } from '../validation/validate-postback';
import { EventIdentity } from './conversion-event';
import { checkSameClick, movesStatus, receiptFor, replayOf, statusChangeTarget } from './postback-decisions';

export interface Accepted {
  answer: Answer;
  /** The answer was given before, to an earlier copy of this postback. */
  replayed: boolean;
}

export interface IntakeOptions {
  /** conversions.v1 topic of this deployment. */
  topic: string;
  /** Longest wait for Kafka's acknowledgement (or for a duplicate being recorded elsewhere) before answering 503. */
  publishTimeoutMs: number;
  /** How often a duplicate of a postback in flight in another instance checks whether it was recorded. */
  pollIntervalMs: number;
}

export interface AcceptOptions {
  receivedAt?: Date;
  /** How long an identical postback without order id, conversion key or Idempotency-Key is a replay (0: never). */
  replayWindowSeconds?: number;
}

/**
 * Turns a valid, authenticated postback into exactly one conversions.v1
 * event, and answers only once Kafka acknowledged it.
 *
 * - A postback with an order id or Idempotency-Key first gets a receipt
 *   (postback_receipts) with its ids and event; a copy of it (same
 *   advertiser, goal and order, or same key) gets the first answer instead
 *   of a new event. Copies in flight in this process share one attempt;
 *   copies in other instances wait for the receipt to be published.
 * - An attempt whose publication failed leaves its receipt for the retry,
 *   which publishes the very same event, so even an acknowledgement lost on
 *   the way cannot turn into two different conversions.
 * - A postback without order id may still name its conversion by the key
 *   its partner mapping chose (the click id, or a parameter): that key
 *   plays the order id's part.
 * - An approved, rejected or refunded postback for a known order (or key)
 *   becomes a status_change event of that conversion (once per status).
 * - A postback with none of these is recognised by its content for the
 *   replay window: an identical copy gets the first answer. With no window
 *   it is published without a receipt.
 */
export class PostbackIntake implements OnApplicationShutdown {
  /** Attempts in flight in this process, by the identities a copy would share. */
  private readonly inFlight = new Map<string, Promise<Answer>>();
  /** Publications waiting for Kafka, by event id (they may outlive the request that started them). */
  private readonly sending = new Map<string, Promise<void>>();

  constructor(
    private readonly receipts: PostbackReceipts,
    private readonly producer: MessageProducer,
    private readonly options: IntakeOptions,
    private readonly logger: Logger,
  ) {}

  /** Runs after the HTTP server stopped and before the producer and the pool close: lets receipts catch up. */
  async onApplicationShutdown(): Promise<void> {
    while (this.sending.size > 0) await Promise.allSettled([...this.sending.values()]);
  }

  async accept(advertiserId: number, postback: ValidPostback, options: AcceptOptions = {}): Promise<Accepted> {
    const receivedAt = options.receivedAt ?? new Date();
    const goal = goalKey(postback.goal);
    const conversionReference = conversionReferenceOf(postback);
    // A conversion of this order still being recorded here comes first.
    if (conversionReference !== null && movesStatus(postback.status)) await this.inFlight.get(orderIdentity(advertiserId, goal, conversionReference))?.catch(() => undefined);
    const conversion = await statusChangeTarget(this.receipts, advertiserId, goal, conversionReference, postback);
    if (conversion && conversionReference) {
      return this.changeStatus(advertiserId, goal, conversion, conversionReference, postback, receivedAt);
    }
    return this.recordConversion(advertiserId, goal, conversionReference, postback, receivedAt, options.replayWindowSeconds ?? 0);
  }

  private async recordConversion(
    advertiserId: number,
    goal: string,
    conversionReference: ConversionReference | null,
    postback: ValidPostback,
    receivedAt: Date,
    replayWindowSeconds: number,
  ): Promise<Accepted> {
    const identity: EventIdentity = { kind: 'conversion', eventId: newId(), conversionId: newId(), clickId: postback.clickId };
    const recognisable = conversionReference !== null || postback.idempotencyKey !== null;
    const replay = replayOf(advertiserId, postback, replayWindowSeconds);
    const receipt = receiptFor(identity, advertiserId, postback, receivedAt, replay);
    if (!recognisable && replay === null) {
      await this.publish(receipt, receipt.message, false);
      this.logAccepted(advertiserId, receipt);
      return { answer: receipt.answer, replayed: false };
    }
    const identities = [
      conversionReference !== null && orderIdentity(advertiserId, goal, conversionReference),
      keyIdentity(advertiserId, postback.idempotencyKey),
      replay !== null && identityOf('f', advertiserId, replay.fingerprint),
    ];
    return this.claim(receipt, identities);
  }

  private async changeStatus(
    advertiserId: number,
    goal: string,
    conversion: Receipt,
    conversionReference: ConversionReference,
    postback: ValidPostback,
    receivedAt: Date,
  ): Promise<Accepted> {
    checkSameClick(conversion, conversionReference, postback);
    // The status of a conversion can only change once Kafka has the conversion.
    await this.settle(conversion);
    const identity: EventIdentity = {
      kind: 'status_change',
      eventId: newId(),
      conversionId: conversion.conversionId,
      clickId: conversion.clickId,
    };
    const receipt = receiptFor(identity, advertiserId, postback, receivedAt, null);
    return this.claim(receipt, [
      identityOf('s', advertiserId, goal, conversionReference.column, conversionReference.value, postback.status),
      keyIdentity(advertiserId, postback.idempotencyKey),
    ]);
  }

  /** Records and publishes a receipt once, however many copies of the postback arrive at the same time. */
  private async claim(receipt: NewReceipt, identities: (string | false)[]): Promise<Accepted> {
    const keys = identities.filter((identity): identity is string => identity !== false);
    for (const key of keys) {
      const earlier = this.inFlight.get(key);
      if (earlier) return { answer: await earlier, replayed: true };
    }
    const attempt = this.reserveAndPublish(receipt);
    const answer = attempt.then((accepted) => accepted.answer);
    answer.catch(() => undefined); // copies that wait on it handle the failure; nobody else must
    for (const key of keys) this.inFlight.set(key, answer);
    try {
      return await attempt;
    } finally {
      for (const key of keys) if (this.inFlight.get(key) === answer) this.inFlight.delete(key);
    }
  }

  private async reserveAndPublish(receipt: NewReceipt): Promise<Accepted> {
    if (await this.receipts.reserve(receipt)) {
      await this.publish(receipt, receipt.message, true);
      this.logAccepted(receipt.advertiserId, receipt);
      return { answer: receipt.answer, replayed: false };
    }
    const existing = await this.receipts.findExisting(receipt);
    if (!existing) throw new Error(`receipt ${receipt.eventId} collided with a receipt that cannot be found`);
    const answer = await this.settle(existing);
    this.logger.debug({ advertiserId: receipt.advertiserId, eventId: answer.eventId, conversionId: answer.conversionId }, 'duplicate postback');
    return { answer, replayed: true };
  }

  /** The answer of an earlier receipt once its event is in Kafka, publishing it if its own attempt gave up. */
  private async settle(receipt: Receipt): Promise<Answer> {
    const deadline = Date.now() + this.options.publishTimeoutMs;
    for (let current = receipt; ; ) {
      if (current.message === null) return current.answer;
      const local = this.sending.get(current.eventId);
      if (local) {
        await this.withinTimeout(local);
        return current.answer;
      }
      if (!current.leased) {
        const message = await this.receipts.takeOver(current.eventId);
        if (message !== null) {
          this.logger.info({ eventId: current.eventId, conversionId: current.conversionId }, 'publishing an earlier attempt');
          await this.publish(current, message, true);
          return current.answer;
        }
      }
      if (Date.now() >= deadline) throw new PostbackUnavailable('duplicate_in_progress');
      await new Promise((resolve) => setTimeout(resolve, this.options.pollIntervalMs));
      current = (await this.receipts.get(current.eventId)) ?? current;
    }
  }

  /**
   * Resolves once Kafka acknowledged the event; one publication per event id
   * at a time. Marking the receipt published happens after the answer: a
   * copy that arrives meanwhile waits for it through `sending`.
   */
  private publish(
    { eventId, clickId, conversionId }: Pick<Receipt, 'eventId' | 'clickId' | 'conversionId'>,
    message: string,
    hasReceipt: boolean,
  ): Promise<void> {
    const key = conversionPartitionKey(clickId, conversionId);
    const pending = this.sending.get(eventId);
    if (pending) return this.withinTimeout(pending);
    const acknowledged = this.producer.send(this.options.topic, [{ key, value: message }]).catch(async (error: unknown) => {
      if (hasReceipt) await this.receipts.release(eventId).catch(() => undefined);
      throw new PostbackUnavailable('kafka_unavailable', { cause: error });
    });
    const recorded: Promise<void> = acknowledged
      .then(async () => {
        // Kafka has it, so the answer stays yes if this fails: a later copy republishes the same event.
        if (hasReceipt) {
          await this.receipts.markPublished(eventId).catch((error: unknown) => {
            this.logger.error({ err: error, eventId }, 'could not mark a published receipt');
          });
        }
      })
      .finally(() => {
        if (this.sending.get(eventId) === recorded) this.sending.delete(eventId);
      });
    recorded.catch(() => undefined); // the failure reaches the caller through `acknowledged`
    this.sending.set(eventId, recorded);
    return this.withinTimeout(acknowledged);
  }

  private async withinTimeout(publication: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PostbackUnavailable('kafka_unavailable')), this.options.publishTimeoutMs);
    });
    try {
      await Promise.race([publication, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private logAccepted(advertiserId: number, receipt: NewReceipt): void {
    this.logger.info(
      {
        advertiserId,
        kind: receipt.kind,
        conversionId: receipt.conversionId,
        eventId: receipt.eventId,
        clickId: receipt.clickId,
        orderId: receipt.orderId,
        status: receipt.status,
      },
      receipt.kind === 'conversion' ? 'conversion accepted' : 'status change accepted',
    );
  }
}

// NUL never occurs in a postback value (refused as unstorable), so it cannot blur the parts.
function identityOf(...parts: (string | number | null)[]): string {
  return parts.join('\u0000');
}

function orderIdentity(advertiserId: number, goal: string, conversion: ConversionReference): string {
  return identityOf('o', advertiserId, goal, conversion.column, conversion.value);
}

function keyIdentity(advertiserId: number, key: string | null): string | false {
  return key !== null && identityOf('k', advertiserId, key);
}
