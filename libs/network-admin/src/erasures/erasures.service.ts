import { Injectable } from '@nestjs/common';
import { idTime } from '@tracklane/contracts';
import { PrismaService } from '@tracklane/db';
import { Actor, forbidden, isAdmin } from '../access';
import { ChangeLog } from '../changes';

/** Whose data to erase: one click, or the clicks behind an advertiser's order. */
export type ErasureRequest = { clickId: string } | { advertiserId: number; orderId: string };

export interface ErasureResult {
  /** The clicks whose visitor data was erased. */
  clickIds: string[];
  /** Rows changed in each store. */
  clicks: number;
  reportClicks: number;
  inboundPostbacks: number;
  /** Conversions of those clicks (or of the order) whose raw postback parameters were emptied. */
  conversions: number;
}

/**
 * Erases a visitor's personal data where the platform keeps it: the IP,
 * user agent, referrer and extra link parameters of their clicks in
 * attribution's `clicks` and reporting's `rep_clicks`; the parameters and
 * read fields of the postbacks that named those clicks (or the order) in
 * the inbound postback log; and the raw parameters (what the advertiser sent
 * beyond the postback fields, e.g. an e-mail address) of their conversions,
 * the one change the append-only ledger allows (migration 0880). Ids, sub
 * ids, money and report figures stay, so the books still balance. Redis
 * holds none of it (keyed digests and sub ids only); Kafka keeps the
 * original events until their topic's retention (KAFKA_RETENTION_HOURS)
 * ends. Each erasure is written to the audit log.
 */
@Injectable()
export class ErasuresService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
  ) {}

  async erase(actor: Actor, request: ErasureRequest): Promise<ErasureResult> {
    if (!isAdmin(actor)) throw forbidden('only admin keys erase visitor data');
    return this.changes.apply(actor, async (tx, trail) => {
      const byOrder = 'orderId' in request;
      const clickIds = byOrder
        ? (
            await tx.$queryRaw<{ click_id: string }[]>`
              SELECT DISTINCT click_id FROM conversions
               WHERE advertiser_id = ${request.advertiserId} AND order_id = ${request.orderId} AND click_id IS NOT NULL`
          ).map((row) => row.click_id)
        : [request.clickId];
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
      const result: ErasureResult = { clickIds, clicks, reportClicks, inboundPostbacks, conversions };
      trail.record({
        action: 'erase',
        entity: 'visitor_data',
        entityId: byOrder ? `order:${request.advertiserId}:${request.orderId}` : request.clickId,
        before: null,
        after: result,
      });
      return result;
    });
  }
}
