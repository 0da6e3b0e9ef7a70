import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@tracklane/db';
import { Actor, advertiserOf, affiliateOf, forbidden, invalid, isAdmin, notFound } from '../access';
import { ApprovalStatus } from '../approvals/approval.view';
import { NETWORK_ADMIN_OPTIONS, NetworkAdminOptions } from '../network-admin.options';
import { offerScope } from '../offers/offer-scope';
import { directLink, DirectLinkView } from './direct-link';
import { TRACKING_LINK_PARAMETERS, trackingLink, TrackingLinkValues } from './tracking-link';

export interface TrackingLinkView {
  offerId: number;
  affiliateId: number;
  url: string;
  /** null: a public offer the affiliate was never explicitly approved for. */
  approvalStatus: ApprovalStatus | null;
  /** The placeholders of url and what to put in them. */
  parameters: Record<string, string>;
}

@Injectable()
export class TrackingLinksService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(NETWORK_ADMIN_OPTIONS) private readonly options: NetworkAdminOptions,
  ) {}

  /**
   * An affiliate gets its own link for an offer it may run (404 otherwise);
   * an admin names the affiliate (affiliate_id) and sees its approval status.
   */
  async forOffer(actor: Actor, offerId: number, affiliateId: number | undefined, values: TrackingLinkValues): Promise<TrackingLinkView> {
    const own = affiliateOf(actor);
    if (own === null && !isAdmin(actor)) throw forbidden('tracking links are for affiliate and admin keys');
    if (own !== null && affiliateId !== undefined && affiliateId !== own) throw notFound('affiliate', affiliateId);
    const forAffiliate = own ?? affiliateId;
    if (forAffiliate === undefined) throw invalid('affiliate_id', 'is required with an admin key');

    const offer = await this.prisma.offer.findFirst({ where: { AND: [offerScope(actor), { id: offerId }] }, select: { id: true } });
    if (!offer) throw notFound('offer', offerId);
    const affiliate = await this.prisma.affiliate.findUnique({ where: { id: forAffiliate }, select: { id: true } });
    if (!affiliate) throw notFound('affiliate', forAffiliate);
    const approval = await this.prisma.offerAffiliate.findUnique({
      where: { offerId_affiliateId: { offerId, affiliateId: forAffiliate } },
      select: { status: true },
    });
    return {
      offerId,
      affiliateId: forAffiliate,
      url: trackingLink(this.options.clickIngestUrl, offerId, forAffiliate, values),
      approvalStatus: (approval?.status as ApprovalStatus | undefined) ?? null,
      parameters: TRACKING_LINK_PARAMETERS,
    };
  }

  /** The landing-page script of an offer, for its advertiser (or an admin) to put on the offer's landing page. */
  async directLinkForOffer(actor: Actor, offerId: number): Promise<DirectLinkView> {
    if (!isAdmin(actor) && advertiserOf(actor) === null) throw forbidden('direct-link scripts are for admin and advertiser keys');
    const offer = await this.prisma.offer.findFirst({ where: { AND: [offerScope(actor), { id: offerId }] }, select: { id: true, destinationUrl: true } });
    if (!offer) throw notFound('offer', offerId);
    return directLink(this.options.clickIngestUrl, offer.id, offer.destinationUrl);
  }
}
