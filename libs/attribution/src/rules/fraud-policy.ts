import { CatalogOffer, FraudAction } from '@tracklane/catalog';
import { ClickRecord } from '../clicks/click-record';
import { DecisionReason } from './reasons';

export interface FraudVerdict {
  action: FraudAction;
  /** The flag behind the action; null when the click carries none that matters. */
  reason: DecisionReason | null;
}

const SEVERITY: Record<FraudAction, number> = { allow: 0, pending: 1, reject: 2 };

/**
 * What the offer's policy makes of the click's fraud flags (bot,
 * rate-limited, non-unique). The strictest action wins; among equally strict
 * flags, the first in that order names the reason.
 */
export function fraudVerdict(
  click: Pick<ClickRecord, 'flags' | 'unique'>,
  offer: Pick<CatalogOffer, 'onBot' | 'onRateLimited' | 'onNonUnique'>,
): FraudVerdict {
  const found: FraudVerdict[] = [];
  if (click.flags.includes('bot')) found.push({ action: offer.onBot, reason: 'bot_click' });
  if (click.flags.includes('rate_limited')) found.push({ action: offer.onRateLimited, reason: 'rate_limited_click' });
  if (!click.unique) found.push({ action: offer.onNonUnique, reason: 'non_unique_click' });
  let verdict: FraudVerdict = { action: 'allow', reason: null };
  for (const candidate of found) {
    if (SEVERITY[candidate.action] > SEVERITY[verdict.action]) verdict = candidate;
  }
  return verdict;
}
