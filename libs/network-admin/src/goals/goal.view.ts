import { MoneyRule } from '@tracklane/catalog';
import { Goal } from '@tracklane/db';
import { ruleView } from './money-rule';

export interface GoalView {
  id: number;
  offerId: number;
  code: string;
  name: string;
  isDefault: boolean;
  allowMultiple: boolean;
  /** What the advertiser owes; never shown to affiliates. */
  revenue?: MoneyRule;
  /** What the affiliate earns (for an affiliate: its own, overrides applied); shown to advertisers only when the network allows it. */
  payout?: MoneyRule;
  defaultStatus: 'approved' | 'pending';
  status: 'active' | 'archived';
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface GoalAudience {
  showRevenue: boolean;
  /** null hides the payout; otherwise the payout to show (the goal's own, or an affiliate's override). */
  payout: (goal: Goal) => MoneyRule | null;
}

export const goalPayout = (goal: Goal): MoneyRule => ruleView(goal.payoutType, goal.payoutAmount, goal.payoutPercent);

export function goalView(goal: Goal, audience: GoalAudience): GoalView {
  const payout = audience.payout(goal);
  return {
    id: goal.id,
    offerId: goal.offerId,
    code: goal.code,
    name: goal.name,
    isDefault: goal.isDefault,
    allowMultiple: goal.allowMultiple,
    ...(audience.showRevenue ? { revenue: ruleView(goal.revenueType, goal.revenueAmount, goal.revenuePercent) } : {}),
    ...(payout ? { payout } : {}),
    defaultStatus: goal.defaultStatus as GoalView['defaultStatus'],
    status: goal.status as GoalView['status'],
    createdAt: goal.createdAt.toISOString(),
    updatedAt: goal.updatedAt.toISOString(),
    archivedAt: goal.archivedAt?.toISOString() ?? null,
  };
}
