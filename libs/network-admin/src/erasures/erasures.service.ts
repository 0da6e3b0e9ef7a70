import { Inject, Injectable } from '@nestjs/common';
import { cachedClickKey } from '@tracklane/attribution';
import { REDIS } from '@tracklane/cache';
import { idTime } from '@tracklane/contracts';
import { PrismaService } from '@tracklane/db';
import { LOGGER, Logger } from '@tracklane/observability';
import { ERASED_SUB_ID, holdsSubId, replacingSubId, subIdErasureStatements } from '@tracklane/reporting';
import type { Redis } from 'ioredis';
import { Actor, forbidden, invalid, isAdmin } from '../access';
import { ChangeLog, Tx } from '../changes';

/**
 * Whose data to erase: one click, the clicks behind an advertiser's order, or the clicks an affiliate
 * names by one of its own ids (a sub id or aff_click_id, often the affiliate's user id for the visitor).
 */
export type ErasureRequest = { clickId: string } | { advertiserId: number; orderId: string } | { affiliateId: number; subId: string };

export interface ErasureResult {
  /** The clicks whose visitor data was erased. */
  clickIds: string[];
  /** Rows changed in each store. */
  clicks: number;
  reportClicks: number;
  inboundPostbacks: number;
  /** Conversions of those clicks (or of the order) whose raw postback parameters were emptied. */
  conversions: number;
  /**
   * By sub id: rows where the value itself was replaced by "(erased)" — clicks, conversions, the read model's
   * raw rows and full rollup rows (measures moved, totals unchanged); 0 otherwise.
   */
  subIdRows: number;
}

/**
 * Erases a visitor's personal data where the platform keeps it: the IP,
 * user agent, referrer and extra link parameters of their clicks in
 * attribution's `clicks` and reporting's `rep_clicks`; the parameters and
 * read fields of the postbacks that named those clicks (or the order) in
 * the inbound postback log; and the raw parameters (what the advertiser sent
 * beyond the postback fields, e.g. an e-mail address) of their conversions,
 * one of the changes the append-only ledger allows (migration 0880). Erased
 * by an affiliate's own id for the visitor, that id itself goes too: the
 * value becomes "(erased)" in every sub id and aff_click_id of the
 * affiliate's clicks and conversions, the read model's raw rows and its full
 * rollups (migration 0930 lets the ledger take it), and attribution's Redis
 * copies of those clicks are deleted. Ids, money and report totals stay, so
 * the books still balance. Kafka keeps the original events until their
 * topic's retention (KAFKA_RETENTION_HOURS) ends. Each erasure is written to
 * the audit log.
 */
@Injectable()
export class ErasuresService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async erase(actor: Actor, request: ErasureRequest): Promise<ErasureResult> {
    if (!isAdmin(actor)) throw forbidden('only admin keys erase visitor data');
    if ('subId' in request && request.subId === ERASED_SUB_ID) throw invalid('subId', `${ERASED_SUB_ID} is what erased ids read as; there is nothing to erase`);
    const result = await this.changes.apply(actor, async (tx, trail) => {
      const byOrder = 'orderId' in request;
      const clickIds = await clicksOf(tx, request);
      // The time in a click id names the partition of both click tables. As ISO text: the driver adapter would send a
      // Date without its offset, read in the session's time zone.
      const times = clickIds.map((id) => new Date(idTime(id)).toISOString());
      const clicks = await tx.$executeRaw`
        UPDATE clicks SET ip = '', user_agent = '', referrer = NULL, params = NULL
         WHERE click_id = ANY(${clickIds}::text[]) AND clicked_at = ANY(${times}::timestamptz[])`;
      const reportClicks = await tx.$executeRaw`
        UPDATE rep_clicks SET ip = '', user_agent = '', referrer = NULL, params = NULL
         WHERE click_id = ANY(${clickIds}::text[]) AND occurred_at = ANY(${times}::timestamptz[])`;
      const inboundPostbacks = await tx.$executeRaw`
        UPDATE inbound_postbacks SET params = '{}'::jsonb, fields = NULL
         WHERE click_id = ANY(${clickIds}::text[])
            OR (advertiser_id = ${byOrder ? request.advertiserId : null}::int AND order_id = ${byOrder ? request.orderId : null}::text)`;
      const conversions = await tx.$executeRaw`
        UPDATE conversions SET raw = '{}'::jsonb
         WHERE raw <> '{}'::jsonb
           AND (click_id = ANY(${clickIds}::text[])
                OR (advertiser_id = ${byOrder ? request.advertiserId : null}::int AND order_id = ${byOrder ? request.orderId : null}::text))`;
      const subIdRows = 'subId' in request ? await eraseSubId(tx, request.affiliateId, request.subId, clickIds, times) : 0;
      const result: ErasureResult = { clickIds, clicks, reportClicks, inboundPostbacks, conversions, subIdRows };
      trail.record({
        action: 'erase',
        entity: 'visitor_data',
        // Never the sub id itself: it may be the very personal data being erased.
        entityId: byOrder ? `order:${request.advertiserId}:${request.orderId}` : 'clickId' in request ? request.clickId : `affiliate:${request.affiliateId}:sub-id`,
        before: null,
        after: result,
      });
      return result;
    });
    // After the commit; a copy left behind (Redis down) is gone within attribution's cache time anyway.
    if ('subId' in request && result.clickIds.length > 0) {
      await this.redis.del(...result.clickIds.map(cachedClickKey)).catch((error: unknown) => this.logger.warn({ err: error }, 'cached click copies not deleted'));
    }
    return result;
  }
}

/** Replaces the value wherever the affiliate's rows hold it as a sub id or aff_click_id (see ErasuresService). */
async function eraseSubId(tx: Tx, affiliateId: number, value: string, clickIds: string[], times: string[]): Promise<number> {
  let rows = await tx.$executeRawUnsafe(
    `UPDATE clicks c SET ${replacingSubId()} WHERE c.click_id = ANY($4::text[]) AND c.clicked_at = ANY($5::timestamptz[]) AND ${holdsSubId('c')}`,
    affiliateId,
    value,
    ERASED_SUB_ID,
    clickIds,
    times,
  );
  rows += await tx.$executeRawUnsafe(`UPDATE conversions c SET ${replacingSubId()} WHERE ${holdsSubId('c')}`, affiliateId, value, ERASED_SUB_ID);
  for (const { sql, values, counted } of subIdErasureStatements(affiliateId, value)) {
    if (counted === 'moved') rows += (await tx.$queryRawUnsafe<{ moved: number }[]>(sql, ...values))[0].moved;
    else {
      const changed = await tx.$executeRawUnsafe(sql, ...values);
      if (counted === 'rowCount') rows += changed;
    }
  }
  return rows;
}

/**
 * The clicks a request names. By sub id: the affiliate's clicks whose sub1–sub5 or aff_click_id is that value,
 * found through reporting's raw clicks (indexed by affiliate) and the conversions (for clicks whose raw report
 * rows are past REPORTING_RAW_RETENTION_MONTHS).
 */
async function clicksOf(tx: Tx, request: ErasureRequest): Promise<string[]> {
  if ('clickId' in request) return [request.clickId];
  const rows =
    'orderId' in request
      ? await tx.$queryRaw<{ click_id: string }[]>`
          SELECT DISTINCT click_id FROM conversions
           WHERE advertiser_id = ${request.advertiserId} AND order_id = ${request.orderId} AND click_id IS NOT NULL`
      : await tx.$queryRaw<{ click_id: string }[]>`
          SELECT click_id FROM rep_clicks
           WHERE affiliate_id = ${request.affiliateId} AND ${request.subId} IN (sub1, sub2, sub3, sub4, sub5, aff_click_id)
          UNION
          SELECT click_id FROM conversions
           WHERE affiliate_id = ${request.affiliateId} AND click_id IS NOT NULL
             AND ${request.subId} IN (sub1, sub2, sub3, sub4, sub5, aff_click_id)`;
  return rows.map((row) => row.click_id).sort();
}
