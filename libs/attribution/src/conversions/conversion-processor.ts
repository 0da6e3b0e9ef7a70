import { Catalog, CatalogSnapshot, CouponResolution } from '@tracklane/catalog';
import { AttributionV1, ConversionV1, couponCodeOf, idTime } from '@tracklane/contracts';
import { Prisma, PrismaService } from '@tracklane/db';
import { ConsumedMessage, DeadLetter } from '@tracklane/messaging';
import type { Logger } from 'pino';
import { ClickLookup } from '../clicks/click-lookup';
import { ClickPartitions } from '../clicks/click-partitions';
import { ClickRecord } from '../clicks/click-record';
import { AttributionMetrics } from '../metrics';
import { decisionEntries } from '../money/ledger-entries';
import { ConcurrentBookingError } from '../postgres/errors';
import { decisionEvent, statusChangeEvent } from './attribution-events';
import { ConversionRecord } from './conversion-record';
import { ConversionToDecide, decideConversions, unattributedRecord } from './decide-conversions';
import { PgDecisionStore } from './decision-store';
import { LedgerRepository } from './ledger.repository';
import { RetryPolicy, nextRetry } from './retry-policy';
import { applyStatusChanges } from './status-changes';

type Message = ConsumedMessage<ConversionV1>;

export interface ProcessedBatch {
  /** attributions.v1 events in the order of the messages behind them, republished ones included. */
  events: AttributionV1[];
  /** Messages that wait on the retry topic, with the headers of their next attempt. */
  retries: Array<{ message: Message; headers: Record<string, string> }>;
  deadLetters: DeadLetter[];
}

/** What became of one status change: applied, or why not (for metrics and logs). */
interface ChangeOutcome {
  outcome: string;
  message: ConversionV1;
}

/**
 * Decides a batch of conversions.v1 messages — new conversions, then status
 * changes — and books it in ONE transaction: conversions, status changes and
 * ledger entries, idempotent on conversion id and on event id. A message
 * already booked (a replay after a crash or a rebalance) books nothing and
 * yields its event again, so an event lost between the commit and the
 * publish is published on replay.
 */
export class ConversionProcessor {
  constructor(
    private readonly prisma: PrismaService,
    private readonly ledger: LedgerRepository,
    private readonly clicks: ClickLookup,
    private readonly partitions: ClickPartitions,
    private readonly catalog: Catalog,
    private readonly retryPolicy: RetryPolicy,
    private readonly metrics: AttributionMetrics,
    private readonly logger: Logger,
  ) {}

  async process(messages: Message[]): Promise<ProcessedBatch> {
    const now = Date.now();
    const conversions = messages.filter((message) => message.value.kind === 'conversion');
    const changes = messages.filter((message) => message.value.kind === 'status_change');
    const clicks = await this.clicks.find(
      conversions.flatMap((message) => message.value.clickId ?? []),
      now,
    );
    const { catalog, coupons } = await this.catalogFor(conversions, clicks);
    const batch: ProcessedBatch = { events: [], retries: [], deadLetters: [] };
    const booked = await this.prisma.$transaction(async (tx) => {
      const { decided, laterStatuses } = await this.bookConversions(tx, conversions, clicks, { catalog, coupons }, now, batch);
      const allChanges = [...changes, ...laterStatuses];
      const changeOutcomes = allChanges.length > 0 ? await this.bookStatusChanges(tx, allChanges, now, batch) : [];
      return { decided, changeOutcomes };
    });
    this.observe(booked.decided, booked.changeOutcomes, batch);
    return batch;
  }

  /** Counted once the batch is committed: a rolled-back attempt decided nothing. */
  private observe(decided: ConversionRecord[], changeOutcomes: ChangeOutcome[], batch: ProcessedBatch): void {
    for (const record of decided) {
      this.metrics.decisions.inc({ status: record.status, reason: record.reason });
      this.logger.debug(
        { conversionId: record.conversionId, clickId: record.reportedClickId, status: record.status, reason: record.reason },
        'conversion decided',
      );
    }
    for (const { message } of batch.retries) {
      this.metrics.retries.inc({ kind: message.value.kind });
      const { conversionId, clickId, eventId } = message.value;
      this.logger.debug({ conversionId, clickId, eventId }, 'waiting on the retry topic');
    }
    for (const { outcome, message } of changeOutcomes) {
      this.metrics.statusChanges.inc({ outcome });
      const log = { conversionId: message.conversionId, eventId: message.eventId, status: message.status, outcome };
      if (outcome === 'applied') this.logger.debug(log, 'status changed');
      else this.logger.info(log, 'status change not applied');
    }
  }

  private async bookConversions(
    tx: Prisma.TransactionClient,
    messages: Message[],
    clicks: Map<string, ClickRecord>,
    { catalog, coupons }: BatchCatalog,
    now: number,
    batch: ProcessedBatch,
  ): Promise<{ decided: ConversionRecord[]; laterStatuses: Message[] }> {
    const records = await this.ledger.findConversions(
      tx,
      messages.map((message) => message.value.conversionId),
    );
    const toDecide: ConversionToDecide[] = [];
    const unattributed: ConversionRecord[] = [];
    const seen = new Set(records.keys());
    for (const message of messages) {
      if (seen.has(message.value.conversionId)) continue;
      seen.add(message.value.conversionId);
      const coupon = coupons.get(message.value.eventId) ?? null;
      const matched = coupon !== null && 'offer' in coupon ? coupon : null;
      // Booked as the catalogue spells a known code, so reports group "save10" and "SAVE10" as one.
      const conversion = matched ? { ...message.value, couponCode: matched.coupon.code } : message.value;
      const click = conversion.clickId === null ? undefined : clicks.get(conversion.clickId);
      // A code wins over a click of its own offer when the offer says so (not over a click of another offer).
      const codeWins = matched?.offer.couponPrecedence === 'coupon' && (click === undefined || click.offerId === matched.offer.id);
      if (conversion.clickId === null || codeWins) {
        // Only a code, or a code whose offer lets it win over the click.
        if (matched) toDecide.push({ conversion, by: matched });
        else unattributed.push(unattributedRecord(conversion, coupon !== null && 'miss' in coupon ? coupon.miss : 'coupon_not_found', now));
      } else if (click) toDecide.push({ conversion, by: { click } });
      else {
        // The click is gone, or never came: its code, if it names one, still tells whose sale it was.
        const expired = idTime(conversion.clickId) < this.partitions.keptSince(now);
        const headers = expired ? null : nextRetry(message.headers, now, this.retryPolicy);
        if (headers) batch.retries.push({ message, headers });
        else if (matched) toDecide.push({ conversion, by: matched });
        else unattributed.push(unattributedRecord(conversion, expired ? 'click_expired' : 'click_not_found', now));
      }
    }

    const decisions = await decideConversions(toDecide, catalog, new PgDecisionStore(tx), now);
    const decided = [...decisions.records, ...unattributed];
    const inserted = await this.ledger.insertConversions(tx, decided);
    if (inserted !== decided.length) throw new ConcurrentBookingError('conversions', decided.length, inserted);
    await this.ledger.insertEntries(
      tx,
      decided.flatMap((record) => decisionEntries(record, record.status)),
    );

    for (const record of decided) records.set(record.conversionId, record);
    const published = new Set<string>();
    for (const message of messages) {
      const record = records.get(message.value.conversionId);
      if (record && !published.has(record.conversionId)) {
        published.add(record.conversionId);
        batch.events.push(decisionEvent(record));
      }
    }
    // Booked with the batch's status changes, in this transaction: a replay decides them the same way and finds them booked.
    const byEvent = new Map(messages.map((message) => [message.value.eventId, message]));
    const laterStatuses = decisions.laterStatuses.map((value) => ({ ...(byEvent.get(value.eventId) as Message), value }));
    return { decided, laterStatuses };
  }

  private async bookStatusChanges(tx: Prisma.TransactionClient, messages: Message[], now: number, batch: ProcessedBatch): Promise<ChangeOutcome[]> {
    const applied = await this.ledger.findStatusChanges(
      tx,
      messages.map((message) => message.value.eventId),
    );
    const states = await this.ledger.lockConversionStates(tx, [...new Set(messages.map((message) => message.value.conversionId))]);
    // Once each: a change already booked, or repeated within the batch, is not applied again.
    const fresh = [
      ...new Map(messages.filter(({ value }) => !applied.has(value.eventId)).map((message) => [message.value.eventId, message])).values(),
    ];
    const outcome = applyStatusChanges(
      fresh.map((message) => message.value),
      states,
      now,
    );
    const inserted = await this.ledger.insertStatusChanges(
      tx,
      outcome.applied.map(({ change }) => change),
    );
    if (inserted !== outcome.applied.length) throw new ConcurrentBookingError('status changes', outcome.applied.length, inserted);
    await this.ledger.insertEntries(tx, outcome.entries);
    for (const { change } of outcome.applied) applied.set(change.eventId, change);
    const byEvent = new Map(fresh.map((message) => [message.value.eventId, message]));
    const messageOf = (eventId: string) => byEvent.get(eventId) as Message;
    const outcomes: ChangeOutcome[] = [
      ...outcome.applied.map(({ change }) => ({ outcome: 'applied', message: messageOf(change.eventId).value })),
      ...outcome.ignored.map(({ message, why }) => ({ outcome: why, message })),
    ];

    for (const change of outcome.unknown) {
      const message = messageOf(change.eventId);
      const headers = nextRetry(message.headers, now, this.retryPolicy);
      if (headers) batch.retries.push({ message, headers });
      else {
        batch.deadLetters.push({ message, error: `conversionId: no conversion ${change.conversionId} was booked` });
        outcomes.push({ outcome: 'conversion_not_found', message: change });
      }
    }
    for (const change of outcome.foreign) {
      batch.deadLetters.push({
        message: messageOf(change.eventId),
        error: `advertiserId: conversion ${change.conversionId} belongs to another advertiser`,
      });
      outcomes.push({ outcome: 'foreign', message: change });
    }

    const published = new Set<string>();
    for (const message of messages) {
      const change = applied.get(message.value.eventId);
      const state = states.get(message.value.conversionId);
      if (change && state && !published.has(change.eventId)) {
        published.add(change.eventId);
        batch.events.push(statusChangeEvent(state.record, change));
      }
    }
    return outcomes;
  }

  /**
   * A conversion may name a goal or promo code created a moment ago, before
   * the catalogue heard of it: it is decided with a snapshot loaded after it
   * (Catalog.loadedAfter) rather than rejected.
   */
  private async catalogFor(conversions: Message[], clicks: Map<string, ClickRecord>): Promise<BatchCatalog> {
    const snapshot = this.catalog.current();
    const coupons = couponsOf(conversions, snapshot);
    const lacking = conversions.filter(({ value }) => {
      const click = value.clickId === null ? undefined : clicks.get(value.clickId);
      if (click !== undefined && !snapshot.goal(click.offerId, value.goal)) return true;
      // Only where the code is all there is: advertisers post site-wide codes no affiliate holds beside click ids.
      const coupon = value.clickId === null ? coupons.get(value.eventId) : undefined;
      return coupon !== undefined && 'miss' in coupon;
    });
    if (lacking.length === 0) return { catalog: snapshot, coupons };
    const loaded = await this.catalog.loadedAfter(lacking.reduce((newest, { timestamp }) => Math.max(newest, timestamp), -Infinity));
    return loaded === snapshot ? { catalog: snapshot, coupons } : { catalog: loaded, coupons: couponsOf(conversions, loaded) };
  }
}

/** The catalogue a batch is decided with, and what each conversion's promo code stands for in it (by event id). */
interface BatchCatalog {
  catalog: CatalogSnapshot;
  coupons: Map<string, CouponResolution>;
}

/** What each conversion's promo code stands for, resolved once per snapshot; conversions posted without one are absent. */
function couponsOf(conversions: Message[], catalog: CatalogSnapshot): Map<string, CouponResolution> {
  const coupons = new Map<string, CouponResolution>();
  for (const { value } of conversions) {
    const code = value.couponCode ? couponCodeOf(value.couponCode) : null;
    if (code !== null) coupons.set(value.eventId, catalog.coupon(value.advertiserId, code.key));
  }
  return coupons;
}
