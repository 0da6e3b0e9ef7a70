import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@tracklane/db';
import { Actor, affiliateOf, isAdmin, notFound } from '../access';
import { ChangeLog, Removal, Tx } from '../changes';
import { NETWORK_ADMIN_OPTIONS, NetworkAdminOptions } from '../network-admin.options';
import { offerScope } from '../offers/offer-scope';
import { checkPostbackTarget } from '../validation/postback-target';
import { AffiliatePostbackView, affiliatePostbackView } from './affiliate-postback.view';

export interface AffiliatePostbackInput {
  url: string;
  method?: 'GET' | 'POST';
}

/** Per-offer postback URLs of an affiliate: admins for anyone, an affiliate for itself on offers it may run. */
@Injectable()
export class AffiliatePostbacksService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
    @Inject(NETWORK_ADMIN_OPTIONS) private readonly options: NetworkAdminOptions,
  ) {}

  async list(actor: Actor, affiliateId: number): Promise<AffiliatePostbackView[]> {
    await checkAffiliate(this.prisma, actor, affiliateId);
    const rows = await this.prisma.affiliatePostback.findMany({ where: { affiliateId }, orderBy: { offerId: 'asc' } });
    return rows.map(affiliatePostbackView);
  }

  async get(actor: Actor, affiliateId: number, offerId: number): Promise<AffiliatePostbackView> {
    await checkAffiliate(this.prisma, actor, affiliateId);
    const row = await this.prisma.affiliatePostback.findUnique({ where: { affiliateId_offerId: { affiliateId, offerId } } });
    if (!row) throw notFound('affiliate postback for offer', offerId);
    return affiliatePostbackView(row);
  }

  async put(actor: Actor, affiliateId: number, offerId: number, input: AffiliatePostbackInput): Promise<AffiliatePostbackView> {
    checkPostbackTarget(this.options.postbackTargets, 'url', input.url);
    return this.changes.apply(actor, async (tx, trail) => {
      await checkAffiliate(tx, actor, affiliateId);
      if (!(await tx.offer.findFirst({ where: { AND: [offerScope(actor), { id: offerId }] }, select: { id: true } }))) {
        throw notFound('offer', offerId);
      }
      const key = { affiliateId_offerId: { affiliateId, offerId } };
      const before = await tx.affiliatePostback.findUnique({ where: key });
      const data = { url: input.url, method: input.method ?? 'GET' };
      const after = await tx.affiliatePostback.upsert({ where: key, create: { affiliateId, offerId, ...data }, update: data });
      trail.record({ action: before ? 'update' : 'create', entity: 'affiliate_postback', entityId: after.id, before, after });
      return affiliatePostbackView(after);
    });
  }

  async remove(actor: Actor, affiliateId: number, offerId: number): Promise<Removal> {
    return this.changes.apply(actor, async (tx, trail) => {
      await checkAffiliate(tx, actor, affiliateId);
      const before = await tx.affiliatePostback.findUnique({ where: { affiliateId_offerId: { affiliateId, offerId } } });
      if (!before) throw notFound('affiliate postback for offer', offerId);
      await tx.affiliatePostback.delete({ where: { id: before.id } });
      trail.record({ action: 'delete', entity: 'affiliate_postback', entityId: before.id, before, after: null });
      return { id: before.id, outcome: 'deleted', reason: null };
    });
  }
}

async function checkAffiliate(db: Tx, actor: Actor, affiliateId: number): Promise<void> {
  const mayAct = isAdmin(actor) || affiliateOf(actor) === affiliateId;
  if (!mayAct || !(await db.affiliate.findUnique({ where: { id: affiliateId }, select: { id: true } }))) {
    throw notFound('affiliate', affiliateId);
  }
}
