import { Pool } from 'pg';

export interface OfferSeed {
  id: number;
  advertiserId?: number;
  timeZone?: string;
  currency?: string;
  attributionWindowSeconds?: number;
  minClickToConversionSeconds?: number;
  dailyCap?: number | null;
  monthlyCap?: number | null;
  affiliateDailyCap?: number | null;
  onBot?: 'allow' | 'pending' | 'reject';
  onRateLimited?: 'allow' | 'pending' | 'reject';
  onNonUnique?: 'allow' | 'pending' | 'reject';
}

export interface GoalSeed {
  id: number;
  offerId: number;
  code: string;
  isDefault?: boolean;
  allowMultiple?: boolean;
  revenue?: [type: string, amount: string, percent: string];
  payout?: [type: string, amount: string, percent: string];
  defaultStatus?: 'approved' | 'pending';
}

/** Writes a small network into the catalogue tables (as the management API would). */
export async function seedNetwork(
  pool: Pool,
  network: { advertisers: number[]; affiliates: number[]; offers: OfferSeed[]; goals: GoalSeed[] },
): Promise<void> {
  for (const id of network.advertisers) {
    await pool.query(`INSERT INTO advertisers (id, name, postback_token) VALUES ($1, $2, $3)`, [id, `Advertiser ${id}`, `token-${id}`]);
  }
  for (const id of network.affiliates) {
    await pool.query(`INSERT INTO affiliates (id, name) VALUES ($1, $2)`, [id, `Affiliate ${id}`]);
  }
  for (const offer of network.offers) {
    await pool.query(
      `INSERT INTO offers (id, advertiser_id, name, destination_url, time_zone, currency, attribution_window_seconds,
                           min_click_to_conversion_seconds, daily_cap, monthly_cap, affiliate_daily_cap,
                           on_bot, on_rate_limited, on_non_unique)
       VALUES ($1, $2, $3, 'https://shop.example/?cid={click_id}', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        offer.id,
        offer.advertiserId ?? 1,
        `Offer ${offer.id}`,
        offer.timeZone ?? 'UTC',
        offer.currency ?? 'USD',
        offer.attributionWindowSeconds ?? 30 * 86_400,
        offer.minClickToConversionSeconds ?? 0,
        offer.dailyCap ?? null,
        offer.monthlyCap ?? null,
        offer.affiliateDailyCap ?? null,
        offer.onBot ?? 'reject',
        offer.onRateLimited ?? 'pending',
        offer.onNonUnique ?? 'allow',
      ],
    );
  }
  for (const goal of network.goals) {
    const [revenueType, revenueAmount, revenuePercent] = goal.revenue ?? ['fixed', '10', '0'];
    const [payoutType, payoutAmount, payoutPercent] = goal.payout ?? ['fixed', '6', '0'];
    await pool.query(
      `INSERT INTO goals (id, offer_id, code, name, is_default, allow_multiple, revenue_type, revenue_amount, revenue_percent,
                          payout_type, payout_amount, payout_percent, default_status)
       VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        goal.id,
        goal.offerId,
        goal.code,
        goal.isDefault ?? false,
        goal.allowMultiple ?? false,
        revenueType,
        revenueAmount,
        revenuePercent,
        payoutType,
        payoutAmount,
        payoutPercent,
        goal.defaultStatus ?? 'approved',
      ],
    );
  }
}
