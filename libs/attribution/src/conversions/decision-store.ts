import { columnArrays, ColumnSpec, Prisma, unnestRows } from '@tracklane/db';
import { CapCounterKey, CapRequest, capKeyId, grantCapSlots } from '../rules/caps';
import { DecisionReason } from '../rules/reasons';
import { ClaimOutcome, ClaimRequest, DecisionStore } from './decide-conversions';

/** attribution_claim's five arrays; the click and goal also name a claim. */
const CLAIM_COLUMNS: ColumnSpec = [
  ['conversion_id', 'text'],
  ['click_id', 'text'],
  ['goal_id', 'int'],
  ['advertiser_id', 'int'],
  ['order_id', 'text'],
];

const COUNTER_KEY_COLUMNS: ColumnSpec = [
  ['offer_id', 'int'],
  ['affiliate_id', 'int'],
  ['period', 'text'],
  ['period_start', 'date'],
];

interface CounterRow {
  offer_id: number;
  affiliate_id: number;
  period: 'day' | 'month';
  period_start: string;
  used: number;
}

const keyValues = (key: CapCounterKey) => [key.offerId, key.affiliateId, key.period, key.periodStart];

/**
 * Claims and cap slots in Postgres, inside the transaction that books the
 * decisions: a rolled-back batch takes nothing, and concurrent deciders see
 * each other's committed claims and counts. Every statement is raw SQL: a
 * claim is taken by attribution_claim() (migration 0302), which settles races
 * between deciders in the database; cap counters are created with ON CONFLICT,
 * locked with FOR UPDATE in key order and raised in one UPDATE … FROM unnest,
 * none of which Prisma's models express for a batch.
 */
export class PgDecisionStore implements DecisionStore {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async claim(requests: ClaimRequest[]): Promise<Map<string, ClaimOutcome>> {
    const rows = await this.tx.$queryRaw<{ claimant: string; outcome: ClaimOutcome }[]>`
      SELECT claimant, outcome FROM attribution_claim(${columnArrays(CLAIM_COLUMNS, requests, (request) => [
        request.conversionId,
        request.clickId,
        request.goalId,
        request.advertiserId,
        request.orderId,
      ])})`;
    return new Map(rows.map((row) => [row.claimant, row.outcome]));
  }

  async claimHolders(requests: ClaimRequest[]): Promise<Map<string, string>> {
    const pairs = unnestRows(CLAIM_COLUMNS.slice(1, 3), requests, (request) => [request.clickId, request.goalId]);
    const rows = await this.tx.$queryRaw<{ click_id: string; goal_id: number; conversion_id: string }[]>`
      SELECT click_id, goal_id, conversion_id FROM attribution_click_goal_claims
      WHERE (click_id, goal_id) IN (SELECT click_id, goal_id FROM ${pairs})`;
    const holders = new Map(rows.map((row) => [`${row.click_id}:${row.goal_id}`, row.conversion_id]));
    const byRequest = new Map<string, string>();
    for (const request of requests) {
      const holder = holders.get(`${request.clickId}:${request.goalId}`);
      if (holder !== undefined && holder !== request.conversionId) byRequest.set(request.conversionId, holder);
    }
    return byRequest;
  }

  async takeCapSlots(requests: CapRequest[]): Promise<Map<string, DecisionReason>> {
    const keys = new Map<string, CapCounterKey>();
    for (const request of requests) for (const check of request.checks) keys.set(capKeyId(check.key), check.key);
    const counterKeys = () => unnestRows(COUNTER_KEY_COLUMNS, [...keys.values()], keyValues);
    await this.tx.$executeRaw`
      INSERT INTO attribution_cap_counters (offer_id, affiliate_id, period, period_start)
      SELECT * FROM ${counterKeys()}
      ORDER BY 1, 2, 3, 4
      ON CONFLICT DO NOTHING`;
    // Locked in key order: two deciders needing overlapping counters queue instead of deadlocking.
    const rows = await this.tx.$queryRaw<CounterRow[]>`
      SELECT offer_id, affiliate_id, period, to_char(period_start, 'YYYY-MM-DD') AS period_start, used
      FROM attribution_cap_counters
      WHERE (offer_id, affiliate_id, period, period_start) IN (SELECT * FROM ${counterKeys()})
      ORDER BY offer_id, affiliate_id, period, period_start
      FOR UPDATE`;
    const used = new Map(
      rows.map((row) => [
        capKeyId({ offerId: row.offer_id, affiliateId: row.affiliate_id, period: row.period, periodStart: row.period_start }),
        row.used,
      ]),
    );
    const grant = grantCapSlots(requests, used);
    if (grant.increments.size > 0) {
      const increments = unnestRows([...COUNTER_KEY_COLUMNS, ['by', 'int']], [...grant.increments.values()], ({ key, by }) => [...keyValues(key), by]);
      await this.tx.$executeRaw`
        UPDATE attribution_cap_counters c SET used = c.used + v.by
        FROM ${increments}
        WHERE c.offer_id = v.offer_id AND c.affiliate_id = v.affiliate_id AND c.period = v.period AND c.period_start = v.period_start`;
    }
    return grant.refused;
  }
}
