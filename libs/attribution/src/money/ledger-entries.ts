import { Money, formatMoney } from './decimal';

export type LedgerAccount = 'advertiser_receivable' | 'affiliate_payable' | 'network_margin';
/** pending: held for review; approved: owed. */
export type LedgerState = 'approved' | 'pending';
export type LedgerKind = 'booking' | 'reversal' | 'release';

export interface LedgerEntry {
  conversionId: string;
  /** The decision (its conversion id) or the status change (its event id) that booked it. */
  eventId: string;
  account: LedgerAccount;
  state: LedgerState;
  kind: LedgerKind;
  amount: string;
  currency: string;
}

export interface BookedAmounts {
  conversionId: string;
  revenue: string;
  payout: string;
  currency: string;
}

/**
 * The three legs of a conversion's money, which sum to zero: the advertiser
 * owes the revenue, the network owes the affiliate the payout and keeps the
 * margin. A reversal books the same legs negated.
 */
function legs(event: string, amounts: BookedAmounts, state: LedgerState, kind: LedgerKind, sign: 1 | -1): LedgerEntry[] {
  const revenue = new Money(amounts.revenue).times(sign);
  const payout = new Money(amounts.payout).times(sign);
  const entry = (account: LedgerAccount, amount: Money): LedgerEntry => ({
    conversionId: amounts.conversionId,
    eventId: event,
    account,
    state,
    kind,
    amount: formatMoney(amount),
    currency: amounts.currency,
  });
  return [
    entry('advertiser_receivable', revenue),
    entry('affiliate_payable', payout.negated()),
    entry('network_margin', revenue.minus(payout).negated()),
  ];
}

/** A new conversion's entries: approved or pending money; none for a rejected one. */
export function decisionEntries(amounts: BookedAmounts, status: 'approved' | 'pending' | 'rejected'): LedgerEntry[] {
  if (status === 'rejected') return [];
  return legs(amounts.conversionId, amounts, status, 'booking', 1);
}

export interface LedgerMove {
  /** Money taken back out of this state. */
  reverse: LedgerState | null;
  /** Money put into this state (pending → approved: the release). */
  book: LedgerState | null;
}

/** A status change's entries: reverse what it leaves, release into what it enters. */
export function statusChangeEntries(eventId: string, amounts: BookedAmounts, move: LedgerMove): LedgerEntry[] {
  return [
    ...(move.reverse ? legs(eventId, amounts, move.reverse, 'reversal', -1) : []),
    ...(move.book ? legs(eventId, amounts, move.book, 'release', 1) : []),
  ];
}
