import type { CatalogOffer, NetworkSettings } from '@tracklane/catalog';
import { ClickDisposition, ClickFlag, clicksV1, ClickV1, newId } from '@tracklane/contracts';
import type { Durability, DurablePublisher } from '@tracklane/spool';
import type { ClickChecks } from '../checks/click-checks';
import type { TrackingLink } from '../link/tracking-link';
import { storedIp, storedUserAgent } from '../visitor/stored-visitor';
import type { Visitor } from '../visitor/visitor';

export interface RecordedClick {
  click: ClickV1;
  durability: Durability;
}

/**
 * Turns one tracking-link hit into a clicks.v1 event and makes it durable
 * (Kafka, or the local spool) before anyone may answer the browser.
 */
export class ClickRecorder {
  constructor(
    private readonly checks: ClickChecks,
    private readonly publisher: DurablePublisher,
    private readonly topic: string,
  ) {}

  /** The checks see the visitor as it came (keyed digests in Redis); the click carries only what the network's privacy settings keep. */
  async record(
    link: TrackingLink,
    visitor: Visitor,
    offer: CatalogOffer,
    disposition: ClickDisposition,
    nowMs: number,
    privacy: Pick<NetworkSettings, 'visitorIpStorage' | 'userAgentStorage' | 'visitorHashSecret'>,
  ): Promise<RecordedClick> {
    const checked = await this.checks.check(offer.id, link.affiliateId, visitor.ip, visitor.userAgent, nowMs, privacy.visitorHashSecret);
    const flags: ClickFlag[] = [];
    if (visitor.bot) flags.push('bot');
    if (checked.rateLimited) flags.push('rate_limited');
    if (!checked.verified) flags.push('unverified');

    const click: ClickV1 = {
      v: 1,
      clickId: newId(nowMs),
      occurredAt: new Date(nowMs).toISOString(),
      offerId: offer.id,
      advertiserId: offer.advertiserId,
      affiliateId: link.affiliateId,
      sub1: link.sub1,
      sub2: link.sub2,
      sub3: link.sub3,
      sub4: link.sub4,
      sub5: link.sub5,
      source: link.source,
      affClickId: link.affClickId,
      ip: storedIp(visitor.ip, privacy.visitorIpStorage, privacy.visitorHashSecret),
      userAgent: storedUserAgent(visitor.userAgent, visitor.device, privacy.userAgentStorage),
      referrer: visitor.referrer,
      country: visitor.country,
      device: visitor.device,
      unique: checked.unique,
      flags,
      disposition,
      params: link.params,
    };
    const durability = await this.publisher.publish({ topic: this.topic, key: click.clickId, value: clicksV1.encode(click) });
    return { click, durability };
  }
}
