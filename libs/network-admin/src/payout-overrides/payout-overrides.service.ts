import { Injectable } from '@nestjs/common';
import { PrismaService } from '@tracklane/db';
import { Actor, conflict, forbidden, invalid, isAdmin, notFound } from '../access';
import { idCursor, Page, PageQuery, pageSize, toPage } from '../lists';
import { ChangeLog, lockRow, Removal, Tx } from '../changes';
import { MoneyRuleInput, moneyRule } from '../goals/money-rule';
import { PayoutOverrideView, payoutOverrideView } from './payout-override.view';

export interface PayoutOverrideInput {
  offerId: number;
  affiliateId: number;
  /** Leave out (or null) for every goal of the offer. */
  goalId?: number | null;
  payout: MoneyRuleInput;
}

export interface PayoutOverrideListQuery extends PageQuery {
  offerId?: number;
  affiliateId?: number;
}

/** A different payout for one affiliate on an offer. Admin only: it is the network's margin. */
@Injectable()
export class PayoutOverridesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
  ) {}

  async list(actor: Actor, query: PayoutOverrideListQuery): Promise<Page<PayoutOverrideView>> {
    adminOnly(actor);
    const size = pageSize(query);
    const rows = await this.prisma.payoutOverride.findMany({
      where: { offerId: query.offerId, affiliateId: query.affiliateId, id: { gt: idCursor(query) } },
      orderBy: { id: 'asc' },
      take: size + 1,
    });
    return toPage(rows, size, (row) => String(row.id), payoutOverrideView);
  }

  async get(actor: Actor, id: number): Promise<PayoutOverrideView> {
    adminOnly(actor);
    const row = await this.prisma.payoutOverride.findUnique({ where: { id } });
    if (!row) throw notFound('payout override', id);
    return payoutOverrideView(row);
  }

  async create(actor: Actor, input: PayoutOverrideInput): Promise<PayoutOverrideView> {
    adminOnly(actor);
    const payout = moneyRule('payout', input.payout);
    const goalId = input.goalId ?? null;
    return this.changes.apply(actor, async (tx, trail) => {
      await checkReferences(tx, input.offerId, input.affiliateId, goalId);
      const existing = await tx.payoutOverride.findFirst({ where: { offerId: input.offerId, affiliateId: input.affiliateId, goalId } });
      if (existing) {
        throw conflict(goalId === null ? 'offerId' : 'goalId', `already has payout override ${existing.id} for this affiliate; change that one`);
      }
      const row = await tx.payoutOverride.create({
        data: {
          offerId: input.offerId,
          affiliateId: input.affiliateId,
          goalId,
          payoutType: payout.type,
          payoutAmount: payout.amount,
          payoutPercent: payout.percent,
        },
      });
      trail.record({ action: 'create', entity: 'payout_override', entityId: row.id, before: null, after: row });
      return payoutOverrideView(row);
    });
  }

  async update(actor: Actor, id: number, patch: { payout: MoneyRuleInput }): Promise<PayoutOverrideView> {
    adminOnly(actor);
    const payout = moneyRule('payout', patch.payout);
    return this.changes.apply(actor, async (tx, trail) => {
      await lockRow(tx, 'payout_overrides', id);
      const before = await tx.payoutOverride.findUnique({ where: { id } });
      if (!before) throw notFound('payout override', id);
      const after = await tx.payoutOverride.update({
        where: { id },
        data: { payoutType: payout.type, payoutAmount: payout.amount, payoutPercent: payout.percent },
      });
      trail.record({ action: 'update', entity: 'payout_override', entityId: id, before, after });
      return payoutOverrideView(after);
    });
  }

  /** Overrides are settings, not history: the audit log keeps what was removed. */
  async remove(actor: Actor, id: number): Promise<Removal> {
    adminOnly(actor);
    return this.changes.apply(actor, async (tx, trail) => {
      await lockRow(tx, 'payout_overrides', id);
      const before = await tx.payoutOverride.findUnique({ where: { id } });
      if (!before) throw notFound('payout override', id);
      await tx.payoutOverride.delete({ where: { id } });
      trail.record({ action: 'delete', entity: 'payout_override', entityId: id, before, after: null });
      return { id, outcome: 'deleted', reason: null };
    });
  }
}

function adminOnly(actor: Actor): void {
  if (!isAdmin(actor)) throw forbidden('payout overrides are managed with admin keys');
}

async function checkReferences(tx: Tx, offerId: number, affiliateId: number, goalId: number | null): Promise<void> {
  if (!(await tx.offer.findUnique({ where: { id: offerId }, select: { id: true } }))) {
    throw invalid('offerId', `names no offer (${offerId})`);
  }
  if (!(await tx.affiliate.findUnique({ where: { id: affiliateId }, select: { id: true } }))) {
    throw invalid('affiliateId', `names no affiliate (${affiliateId})`);
  }
  if (goalId !== null && !(await tx.goal.findFirst({ where: { id: goalId, offerId }, select: { id: true } }))) {
    throw invalid('goalId', `names no goal of offer ${offerId} (${goalId})`);
  }
}
