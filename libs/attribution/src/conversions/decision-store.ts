import { PoolClient } from 'pg';
import { CapCounterKey, CapRequest, capKeyId, grantCapSlots } from '../rules/caps';
import { DecisionReason } from '../rules/reasons';
import { columnsOf } from '../postgres/unnest';
import { ClaimOutcome, ClaimRequest, DecisionStore } from './decide-conversions';

const CLAIM = `SELECT claimant, outcome FROM attribution_claim($1::text[], $2::text[], $3::int[], $4::int[], $5::text[])`;

const CLAIM_HOLDERS = `
  SELECT click_id, goal_id, conversion_id FROM attribution_click_goal_claims
  WHERE (click_id, goal_id) IN (SELECT * FROM unnest($1::text[], $2::int[]))`;

const ENSURE_COUNTERS = `
  INSERT INTO attribution_cap_counters (offer_id, affiliate_id, period, period_start)
  SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::date[])
  ORDER BY 1, 2, 3, 4
  ON CONFLICT DO NOTHING`;

// Locked in key order: two deciders needing overlapping counters queue instead of deadlocking.
const LOCK_COUNTERS = `
  SELECT offer_id, affiliate_id, period, to_char(period_start, 'YYYY-MM-DD') AS period_start, used
  FROM attribution_cap_counters
  WHERE (offer_id, affiliate_id, period, period_start) IN (SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::date[]))
  ORDER BY offer_id, affiliate_id, period, period_start
  FOR UPDATE`;

const INCREMENT_COUNTERS = `
  UPDATE attribution_cap_counters c SET used = c.used + i.by
  FROM unnest($1::int[], $2::int[], $3::text[], $4::date[], $5::int[]) AS i(offer_id, affiliate_id, period, period_start, by)
  WHERE c.offer_id = i.offer_id AND c.affiliate_id = i.affiliate_id AND c.period = i.period AND c.period_start = i.period_start`;

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
 * each other's committed claims and counts.
 */
export class PgDecisionStore implements DecisionStore {
  constructor(private readonly client: PoolClient) {}

  async claim(requests: ClaimRequest[]): Promise<Map<string, ClaimOutcome>> {
    const columns = columnsOf(requests, 5, (request) => [
      request.conversionId,
      request.clickId,
      request.goalId,
      request.advertiserId,
      request.orderId,
    ]);
    const { rows } = await this.client.query<{ claimant: string; outcome: ClaimOutcome }>(CLAIM, columns);
    return new Map(rows.map((row) => [row.claimant, row.outcome]));
  }

  async claimHolders(requests: ClaimRequest[]): Promise<Map<string, string>> {
    const { rows } = await this.client.query<{ click_id: string; goal_id: number; conversion_id: string }>(CLAIM_HOLDERS, [
      requests.map((request) => request.clickId),
      requests.map((request) => request.goalId),
    ]);
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
    const keyColumns = columnsOf([...keys.values()], 4, keyValues);
    await this.client.query(ENSURE_COUNTERS, keyColumns);
    const { rows } = await this.client.query<CounterRow>(LOCK_COUNTERS, keyColumns);
    const used = new Map(
      rows.map((row) => [
        capKeyId({ offerId: row.offer_id, affiliateId: row.affiliate_id, period: row.period, periodStart: row.period_start }),
        row.used,
      ]),
    );
    const grant = grantCapSlots(requests, used);
    if (grant.increments.size > 0) {
      const increments = [...grant.increments.values()];
      await this.client.query(INCREMENT_COUNTERS, columnsOf(increments, 5, ({ key, by }) => [...keyValues(key), by]));
    }
    return grant.refused;
  }
}
