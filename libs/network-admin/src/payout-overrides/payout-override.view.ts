import { MoneyRule } from '@tracklane/catalog';
import { PayoutOverride } from '@tracklane/db';
import { ruleView } from '../goals/money-rule';

export interface PayoutOverrideView {
  id: number;
  offerId: number;
  affiliateId: number;
  /** null: every goal of the offer that has no goal-specific override. */
  goalId: number | null;
  payout: MoneyRule;
  createdAt: string;
  updatedAt: string;
}

export function payoutOverrideView(row: PayoutOverride): PayoutOverrideView {
  return {
    id: row.id,
    offerId: row.offerId,
    affiliateId: row.affiliateId,
    goalId: row.goalId,
    payout: ruleView(row.payoutType, row.payoutAmount, row.payoutPercent),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
