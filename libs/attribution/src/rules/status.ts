import { AttributionStatus, PostbackStatus } from '@tracklane/contracts';
import { LedgerMove } from '../money/ledger-entries';
import { FraudVerdict } from './fraud-policy';
import { DecisionReason, StatusChangeReason } from './reasons';

export type DecidedStatus = 'approved' | 'pending' | 'rejected';

export interface StatusOutcome {
  status: DecidedStatus;
  reason: DecisionReason;
}

/**
 * The status of a conversion that passed the click, timing and duplicate
 * rules: the fraud policy first (a rejected flag wins over everything, a
 * held one turns approved into pending), then what the advertiser said, then
 * the goal's default.
 */
export function decidedStatus(
  requested: PostbackStatus | null,
  goalDefault: 'approved' | 'pending',
  fraud: FraudVerdict,
  /** Why it counts: its click ('attributed') or its promo code ('coupon'). */
  counted: Extract<DecisionReason, 'attributed' | 'coupon'> = 'attributed',
): StatusOutcome {
  if (fraud.action === 'reject' && fraud.reason) return { status: 'rejected', reason: fraud.reason };
  if (requested === 'rejected') return { status: 'rejected', reason: 'rejected_by_advertiser' };
  if (requested === 'refunded') return { status: 'rejected', reason: 'refunded_by_advertiser' };
  if (fraud.action === 'pending' && fraud.reason) return { status: 'pending', reason: fraud.reason };
  return { status: requested ?? goalDefault, reason: counted };
}

export type Transition =
  | { ok: true; move: LedgerMove; reason: StatusChangeReason }
  | { ok: false; why: 'unchanged' | 'not_allowed' };

/**
 * Which later changes a conversion accepts, and what each does to the money:
 * pending may become approved (its money is released), rejected or refunded
 * (its money is reversed); approved may become rejected or refunded
 * (reversed). Rejected and refunded are final, and approved never goes back
 * to pending.
 */
export function statusTransition(from: AttributionStatus, to: AttributionStatus): Transition {
  if (from === to) return { ok: false, why: 'unchanged' };
  if (from === 'pending' && to === 'approved') {
    return { ok: true, move: { reverse: 'pending', book: 'approved' }, reason: 'approved_by_advertiser' };
  }
  if (from === 'pending' && (to === 'rejected' || to === 'refunded')) {
    return { ok: true, move: { reverse: 'pending', book: null }, reason: `${to}_by_advertiser` };
  }
  if (from === 'approved' && (to === 'rejected' || to === 'refunded')) {
    return { ok: true, move: { reverse: 'approved', book: null }, reason: `${to}_by_advertiser` };
  }
  return { ok: false, why: 'not_allowed' };
}
