import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@tracklane/db';
import { Actor, affiliateOf, forbidden, invalid, isAdmin, notFound } from '../access';
import { Page, PageQuery, pageSize, toPage } from '../lists';
import { ChangeLog, Removal } from '../changes';
import { ApprovalStatus, ApprovalView, approvalView } from './approval.view';

export interface ApprovalInput {
  status: ApprovalStatus;
  dailyCap?: number | null;
  monthlyCap?: number | null;
}

export interface ApprovalListQuery extends PageQuery {
  offerId?: number;
  affiliateId?: number;
  status?: ApprovalStatus;
}

const CURSOR = /^(\d+):(\d+)$/;

/** An affiliate's standing on an offer. Admins decide; an affiliate may read its own. */
@Injectable()
export class ApprovalsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
  ) {}

  async list(actor: Actor, query: ApprovalListQuery): Promise<Page<ApprovalView>> {
    const size = pageSize(query);
    const rows = await this.prisma.offerAffiliate.findMany({
      where: { AND: [scope(actor), { offerId: query.offerId, affiliateId: query.affiliateId, status: query.status }, after(query.after)] },
      orderBy: [{ offerId: 'asc' }, { affiliateId: 'asc' }],
      take: size + 1,
    });
    return toPage(rows, size, (row) => `${row.offerId}:${row.affiliateId}`, approvalView);
  }

  async get(actor: Actor, offerId: number, affiliateId: number): Promise<ApprovalView> {
    const row = await this.prisma.offerAffiliate.findFirst({ where: { AND: [scope(actor), { offerId, affiliateId }] } });
    if (!row) throw notFound('approval', `${offerId}:${affiliateId}`);
    return approvalView(row);
  }

  /** Sets the affiliate's standing on the offer (PUT: absent caps become null, i.e. the offer's defaults). */
  async put(actor: Actor, offerId: number, affiliateId: number, input: ApprovalInput): Promise<ApprovalView> {
    if (!isAdmin(actor)) throw forbidden('approvals are decided with admin keys');
    return this.changes.apply(actor, async (tx, trail) => {
      if (!(await tx.offer.findUnique({ where: { id: offerId }, select: { id: true } }))) throw notFound('offer', offerId);
      if (!(await tx.affiliate.findUnique({ where: { id: affiliateId }, select: { id: true } }))) throw notFound('affiliate', affiliateId);
      const key = { offerId_affiliateId: { offerId, affiliateId } };
      const before = await tx.offerAffiliate.findUnique({ where: key });
      const data = { status: input.status, dailyCap: input.dailyCap ?? null, monthlyCap: input.monthlyCap ?? null };
      const after = await tx.offerAffiliate.upsert({ where: key, create: { offerId, affiliateId, ...data }, update: data });
      trail.record({ action: before ? 'update' : 'create', entity: 'offer_affiliate', entityId: `${offerId}:${affiliateId}`, before, after });
      return approvalView(after);
    });
  }

  async remove(actor: Actor, offerId: number, affiliateId: number): Promise<Removal> {
    if (!isAdmin(actor)) throw forbidden('approvals are decided with admin keys');
    return this.changes.apply(actor, async (tx, trail) => {
      const key = { offerId_affiliateId: { offerId, affiliateId } };
      const before = await tx.offerAffiliate.findUnique({ where: key });
      if (!before) throw notFound('approval', `${offerId}:${affiliateId}`);
      await tx.offerAffiliate.delete({ where: key });
      trail.record({ action: 'delete', entity: 'offer_affiliate', entityId: `${offerId}:${affiliateId}`, before, after: null });
      return { id: `${offerId}:${affiliateId}`, outcome: 'deleted', reason: null };
    });
  }
}

function scope(actor: Actor): Prisma.OfferAffiliateWhereInput {
  if (isAdmin(actor)) return {};
  return { affiliateId: affiliateOf(actor) ?? -1 };
}

function after(cursor: string | undefined): Prisma.OfferAffiliateWhereInput {
  if (cursor === undefined) return {};
  const match = CURSOR.exec(cursor);
  if (!match) throw invalid('after', 'must be a cursor from a previous page ("offerId:affiliateId")');
  const [offerId, affiliateId] = [Number(match[1]), Number(match[2])];
  return { OR: [{ offerId: { gt: offerId } }, { offerId, affiliateId: { gt: affiliateId } }] };
}
