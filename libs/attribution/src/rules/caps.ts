import { CatalogOffer, OfferApproval } from '@tracklane/catalog';
import { DecisionReason } from './reasons';

export interface CapCounterKey {
  offerId: number;
  /** 0: the whole offer. */
  affiliateId: number;
  period: 'day' | 'month';
  /** First day of the period in the offer's time zone, YYYY-MM-DD. */
  periodStart: string;
}

export interface CapCheck {
  key: CapCounterKey;
  limit: number;
  reason: DecisionReason;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      // An unknown zone in the catalogue must not stop every decision; caps then count in UTC.
      formatter = formatterFor('UTC');
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The day and month an instant falls in, in a time zone, as YYYY-MM-DD (the month as its first day). */
export function localPeriods(instant: number, timeZone: string): { day: string; month: string } {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((each) => each.type === type)?.value ?? '';
  const month = `${part('year')}-${part('month')}`;
  return { day: `${month}-${part('day')}`, month: `${month}-01` };
}

/**
 * The caps a conversion must fit under, strictest scope first: the offer's
 * daily and monthly caps, then the affiliate's on this offer (the approval's
 * own caps, else the offer's default per-affiliate caps). Caps count in the
 * offer's time zone, by when the advertiser reported the conversion.
 */
export function capChecks(
  offer: Pick<CatalogOffer, 'id' | 'timeZone' | 'dailyCap' | 'monthlyCap' | 'affiliateDailyCap' | 'affiliateMonthlyCap'>,
  approval: Pick<OfferApproval, 'dailyCap' | 'monthlyCap'> | undefined,
  affiliateId: number,
  convertedAt: number,
): CapCheck[] {
  const candidates: Array<[number | null, number, 'day' | 'month', DecisionReason]> = [
    [offer.dailyCap, 0, 'day', 'daily_cap_reached'],
    [offer.monthlyCap, 0, 'month', 'monthly_cap_reached'],
    [approval?.dailyCap ?? offer.affiliateDailyCap, affiliateId, 'day', 'affiliate_daily_cap_reached'],
    [approval?.monthlyCap ?? offer.affiliateMonthlyCap, affiliateId, 'month', 'affiliate_monthly_cap_reached'],
  ];
  const capped = candidates.filter(([limit]) => limit !== null);
  if (capped.length === 0) return [];
  const periods = localPeriods(convertedAt, offer.timeZone);
  return capped.map(([limit, scope, period, reason]) => ({
    key: { offerId: offer.id, affiliateId: scope, period, periodStart: periods[period] },
    limit: limit as number,
    reason,
  }));
}

export function capKeyId(key: CapCounterKey): string {
  return `${key.offerId}:${key.affiliateId}:${key.period}:${key.periodStart}`;
}

export interface CapRequest {
  id: string;
  checks: CapCheck[];
}

export interface CapGrant {
  /** Requests that did not fit, with the first cap that was full. */
  refused: Map<string, DecisionReason>;
  /** How much each counter grows. */
  increments: Map<string, { key: CapCounterKey; by: number }>;
}

/**
 * Hands out cap slots to requests in order, given how many each counter has
 * used: a request gets a slot in every one of its counters or in none.
 */
export function grantCapSlots(requests: CapRequest[], used: ReadonlyMap<string, number>): CapGrant {
  const current = new Map(used);
  const refused = new Map<string, DecisionReason>();
  const increments = new Map<string, { key: CapCounterKey; by: number }>();
  for (const request of requests) {
    const full = request.checks.find((check) => (current.get(capKeyId(check.key)) ?? 0) >= check.limit);
    if (full) {
      refused.set(request.id, full.reason);
      continue;
    }
    for (const check of request.checks) {
      const id = capKeyId(check.key);
      current.set(id, (current.get(id) ?? 0) + 1);
      const increment = increments.get(id) ?? { key: check.key, by: 0 };
      increment.by++;
      increments.set(id, increment);
    }
  }
  return { refused, increments };
}
