import { Injectable } from '@nestjs/common';
import { Goal, PrismaService } from '@tracklane/db';
import { Actor, advertiserOf, affiliateOf, conflict, forbidden, isAdmin, notFound } from '../access';
import { AuditTrail, ChangeLog, goalHistory, lockRow, Removal, Tx } from '../changes';
import { offerScope } from '../offers/offer-scope';
import { payoutOverrideView } from '../payout-overrides/payout-override.view';
import { goalPayout, GoalAudience, GoalView, goalView } from './goal.view';
import { MoneyRuleInput, moneyRule } from './money-rule';

export interface GoalInput {
  /** What postbacks send as goal=…; unique per offer, ignoring case. */
  code: string;
  name: string;
  /** The goal of postbacks that name none. The offer's first goal becomes its default unless this says otherwise. */
  isDefault?: boolean;
  allowMultiple?: boolean;
  revenue?: MoneyRuleInput;
  payout?: MoneyRuleInput;
  defaultStatus?: 'approved' | 'pending';
}

export type GoalPatch = Partial<GoalInput> & {
  /** "active" restores an archived goal. */
  status?: 'active';
};

@Injectable()
export class GoalsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
  ) {}

  async list(actor: Actor, offerId: number): Promise<GoalView[]> {
    await this.visibleOffer(actor, offerId);
    const goals = await this.prisma.goal.findMany({
      where: { offerId, ...(affiliateOf(actor) !== null ? { status: 'active' } : {}) },
      orderBy: { id: 'asc' },
    });
    const audience = await this.audience(actor, offerId);
    return goals.map((goal) => goalView(goal, audience));
  }

  async get(actor: Actor, offerId: number, goalId: number): Promise<GoalView> {
    await this.visibleOffer(actor, offerId);
    const goal = await this.prisma.goal.findFirst({
      where: { id: goalId, offerId, ...(affiliateOf(actor) !== null ? { status: 'active' } : {}) },
    });
    if (!goal) throw notFound('goal', goalId);
    return goalView(goal, await this.audience(actor, offerId));
  }

  async create(actor: Actor, offerId: number, input: GoalInput): Promise<GoalView> {
    if (!isAdmin(actor)) throw forbidden('only admin keys create goals');
    return this.changes.apply(actor, async (tx, trail) => {
      await lockRow(tx, 'offers', offerId); // serialises default-goal decisions per offer
      const offer = await tx.offer.findUnique({ where: { id: offerId } });
      if (!offer) throw notFound('offer', offerId);
      await this.checkCodeFree(tx, offerId, input.code, null);
      const hasDefault = (await tx.goal.count({ where: { offerId, isDefault: true, status: 'active' } })) > 0;
      const isDefault = input.isDefault ?? !hasDefault;
      if (isDefault) await this.clearDefault(tx, trail, offerId);
      const row = await tx.goal.create({
        data: { offerId, code: input.code, name: input.name, isDefault, allowMultiple: input.allowMultiple, defaultStatus: input.defaultStatus, ...rules(input) },
      });
      trail.record({ action: 'create', entity: 'goal', entityId: row.id, before: null, after: row });
      return goalView(row, FULL);
    });
  }

  async update(actor: Actor, offerId: number, goalId: number, patch: GoalPatch): Promise<GoalView> {
    if (!isAdmin(actor)) throw forbidden('only admin keys change goals');
    return this.changes.apply(actor, async (tx, trail) => {
      await lockRow(tx, 'offers', offerId);
      const before = await tx.goal.findFirst({ where: { id: goalId, offerId } });
      if (!before) throw notFound('goal', goalId);
      if (patch.code !== undefined) await this.checkCodeFree(tx, offerId, patch.code, goalId);
      const restoring = patch.status === 'active' && before.status === 'archived';
      const activeAfter = restoring || before.status === 'active';
      let isDefault = patch.isDefault;
      if (isDefault && activeAfter) await this.clearDefault(tx, trail, offerId, goalId);
      // A restored goal does not take the default back from the goal that has it now.
      if (restoring && isDefault === undefined && before.isDefault) isDefault = false;
      const after = await tx.goal.update({
        where: { id: goalId },
        data: {
          code: patch.code,
          name: patch.name,
          isDefault,
          allowMultiple: patch.allowMultiple,
          defaultStatus: patch.defaultStatus,
          ...rules(patch),
          ...(restoring ? { status: 'active', archivedAt: null } : {}),
        },
      });
      trail.record({ action: restoring ? 'restore' : 'update', entity: 'goal', entityId: goalId, before, after });
      return goalView(after, FULL);
    });
  }

  /** Deletes a goal without history; archives one with history (and it stops being the default). */
  async remove(actor: Actor, offerId: number, goalId: number): Promise<Removal> {
    if (!isAdmin(actor)) throw forbidden('only admin keys delete goals');
    return this.changes.apply(actor, async (tx, trail) => {
      await lockRow(tx, 'offers', offerId);
      const before = await tx.goal.findFirst({ where: { id: goalId, offerId } });
      if (!before) throw notFound('goal', goalId);
      if (before.status === 'archived') return { id: goalId, outcome: 'archived', reason: 'it was already archived' };
      const reason = await goalHistory(tx, before);
      if (reason === null) {
        await tx.goal.delete({ where: { id: goalId } });
        trail.record({ action: 'delete', entity: 'goal', entityId: goalId, before, after: null });
        return { id: goalId, outcome: 'deleted', reason: null };
      }
      const after = await tx.goal.update({
        where: { id: goalId },
        data: { status: 'archived', archivedAt: new Date(), isDefault: false },
      });
      trail.record({ action: 'archive', entity: 'goal', entityId: goalId, before, after });
      return { id: goalId, outcome: 'archived', reason };
    });
  }

  private async visibleOffer(actor: Actor, offerId: number): Promise<void> {
    const offer = await this.prisma.offer.findFirst({ where: { AND: [offerScope(actor), { id: offerId }] }, select: { id: true } });
    if (!offer) throw notFound('offer', offerId);
  }

  /** Goal codes are matched without regard to case by postback-ingest, so "Sale" and "sale" would collide. */
  private async checkCodeFree(tx: Tx, offerId: number, code: string, goalId: number | null): Promise<void> {
    const taken = await tx.goal.findFirst({
      where: { offerId, code: { equals: code, mode: 'insensitive' }, ...(goalId === null ? {} : { id: { not: goalId } }) },
    });
    if (taken) throw conflict('code', `"${code}" is already used by goal ${taken.id} of offer ${offerId}`);
  }

  private async clearDefault(tx: Tx, trail: AuditTrail, offerId: number, except?: number): Promise<void> {
    const current = await tx.goal.findMany({ where: { offerId, isDefault: true, status: 'active', id: { not: except } } });
    for (const before of current) {
      const after = await tx.goal.update({ where: { id: before.id }, data: { isDefault: false } });
      trail.record({ action: 'update', entity: 'goal', entityId: before.id, before, after });
    }
  }

  /** Who sees which money: revenue only admins and the advertiser; payouts admins, the affiliate (its own) and, if allowed, the advertiser. */
  private async audience(actor: Actor, offerId: number): Promise<GoalAudience> {
    const affiliateId = affiliateOf(actor);
    if (affiliateId !== null) {
      const overrides = await this.prisma.payoutOverride.findMany({ where: { offerId, affiliateId } });
      const byGoal = new Map(overrides.map((override) => [override.goalId, payoutOverrideView(override).payout]));
      return { showRevenue: false, payout: (goal: Goal) => byGoal.get(goal.id) ?? byGoal.get(null) ?? goalPayout(goal) };
    }
    if (advertiserOf(actor) !== null) {
      const settings = await this.prisma.networkSettings.findUnique({ where: { id: 1 } });
      return { showRevenue: true, payout: (goal: Goal) => (settings?.advertisersSeePayouts ? goalPayout(goal) : null) };
    }
    return FULL;
  }
}

const FULL: GoalAudience = { showRevenue: true, payout: goalPayout };

function rules(input: Pick<GoalInput, 'revenue' | 'payout'>) {
  const revenue = input.revenue && moneyRule('revenue', input.revenue);
  const payout = input.payout && moneyRule('payout', input.payout);
  return {
    revenueType: revenue?.type,
    revenueAmount: revenue?.amount,
    revenuePercent: revenue?.percent,
    payoutType: payout?.type,
    payoutAmount: payout?.amount,
    payoutPercent: payout?.percent,
  };
}
