import { Pool } from 'pg';
import { CatalogContents, DEFAULT_SETTINGS } from './catalog-snapshot';
import { compileTargeting } from './offer-targeting';
import {
  AffiliatePostback,
  CatalogAdvertiser,
  CatalogAffiliate,
  CatalogCoupon,
  CatalogGoal,
  CatalogOffer,
  MoneyRule,
  NetworkSettings,
  OfferApproval,
  PayoutOverride,
} from './catalog.types';

type Row = Record<string, unknown>;

const rule = (type: unknown, amount: unknown, percent: unknown): MoneyRule => ({
  type: type as MoneyRule['type'],
  amount: String(amount),
  percent: String(percent),
});

const time = (value: unknown): number | null => (value instanceof Date ? value.getTime() : null);

/** Reads the whole catalogue in one repeatable-read transaction, so it is consistent. */
export async function loadCatalog(pool: Pool): Promise<CatalogContents> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const query = async (sql: string): Promise<Row[]> => (await client.query(sql)).rows;
    // One client runs one query at a time; the transaction keeps them consistent.
    const offers = await query(`SELECT * FROM offers WHERE status <> 'archived'`);
    const goals = await query(`SELECT * FROM goals WHERE status = 'active' ORDER BY offer_id, id`);
    const advertisers = await query(`SELECT * FROM advertisers WHERE status <> 'archived'`);
    const affiliates = await query(`SELECT * FROM affiliates WHERE status <> 'archived'`);
    const approvals = await query(`SELECT * FROM offer_affiliates`);
    const overrides = await query(`SELECT * FROM payout_overrides`);
    const postbacks = await query(`SELECT * FROM affiliate_postbacks`);
    const coupons = await query(`SELECT id, code, code_key, affiliate_id, offer_id FROM coupon_codes`);
    const settings = await query(`SELECT * FROM network_settings WHERE id = 1`);
    await client.query('COMMIT');

    const goalsByOffer = new Map<number, CatalogGoal[]>();
    for (const row of goals) {
      const goal: CatalogGoal = {
        id: row.id as number,
        offerId: row.offer_id as number,
        code: row.code as string,
        name: row.name as string,
        isDefault: row.is_default as boolean,
        allowMultiple: row.allow_multiple as boolean,
        revenue: rule(row.revenue_type, row.revenue_amount, row.revenue_percent),
        payout: rule(row.payout_type, row.payout_amount, row.payout_percent),
        defaultStatus: row.default_status as CatalogGoal['defaultStatus'],
      };
      goalsByOffer.set(goal.offerId, [...(goalsByOffer.get(goal.offerId) ?? []), goal]);
    }

    return {
      offers: offers.map((row): CatalogOffer => {
        const offerGoals = goalsByOffer.get(row.id as number) ?? [];
        return {
          id: row.id as number,
          advertiserId: row.advertiser_id as number,
          name: row.name as string,
          status: row.status as CatalogOffer['status'],
          visibility: row.visibility as CatalogOffer['visibility'],
          destinationUrl: row.destination_url as string,
          fallbackUrl: (row.fallback_url as string | null) ?? null,
          expiresAt: time(row.expires_at),
          timeZone: row.time_zone as string,
          currency: (row.currency as string).trim(),
          attributionWindowSeconds: row.attribution_window_seconds as number,
          minClickToConversionSeconds: row.min_click_to_conversion_seconds as number,
          dailyCap: row.daily_cap as number | null,
          monthlyCap: row.monthly_cap as number | null,
          affiliateDailyCap: row.affiliate_daily_cap as number | null,
          affiliateMonthlyCap: row.affiliate_monthly_cap as number | null,
          onBot: row.on_bot as CatalogOffer['onBot'],
          onRateLimited: row.on_rate_limited as CatalogOffer['onRateLimited'],
          onNonUnique: row.on_non_unique as CatalogOffer['onNonUnique'],
          maxPostbackAmount: (row.max_postback_amount as string | null) ?? null,
          targeting: compileTargeting(row.targeting),
          alternativeOfferId: (row.alternative_offer_id as number | null) ?? null,
          couponPrecedence: row.coupon_precedence as CatalogOffer['couponPrecedence'],
          goals: offerGoals,
          defaultGoal: offerGoals.find((goal) => goal.isDefault) ?? (offerGoals.length === 1 ? offerGoals[0] : null),
        };
      }),
      advertisers: advertisers.map(
        (row): CatalogAdvertiser => ({
          id: row.id as number,
          name: row.name as string,
          status: row.status as CatalogAdvertiser['status'],
          postbackToken: row.postback_token as string,
          signingSecret: row.signing_secret as string | null,
          requireSignature: row.require_signature as boolean,
          ipAllowlist: row.ip_allowlist as string[],
          paramMapping: (row.param_mapping ?? {}) as CatalogAdvertiser['paramMapping'],
        }),
      ),
      affiliates: affiliates.map(
        (row): CatalogAffiliate => ({
          id: row.id as number,
          name: row.name as string,
          status: row.status as CatalogAffiliate['status'],
          postbackUrl: row.postback_url as string | null,
          postbackMethod: row.postback_method as CatalogAffiliate['postbackMethod'],
          postbackStatuses: row.postback_statuses as string[],
          postbackSecret: row.postback_secret as string | null,
          referrerDomains: (row.referrer_domains as string[] | undefined) ?? [],
        }),
      ),
      approvals: approvals.map(
        (row): OfferApproval => ({
          offerId: row.offer_id as number,
          affiliateId: row.affiliate_id as number,
          status: row.status as OfferApproval['status'],
          dailyCap: row.daily_cap as number | null,
          monthlyCap: row.monthly_cap as number | null,
        }),
      ),
      payoutOverrides: overrides.map(
        (row): PayoutOverride => ({
          offerId: row.offer_id as number,
          affiliateId: row.affiliate_id as number,
          goalId: row.goal_id as number | null,
          payout: rule(row.payout_type, row.payout_amount, row.payout_percent),
        }),
      ),
      coupons: coupons.map(
        (row): CatalogCoupon => ({
          id: row.id as number,
          code: row.code as string,
          key: row.code_key as string,
          affiliateId: row.affiliate_id as number,
          offerId: row.offer_id as number | null,
        }),
      ),
      affiliatePostbacks: postbacks.map(
        (row): AffiliatePostback => ({
          affiliateId: row.affiliate_id as number,
          offerId: row.offer_id as number,
          url: row.url as string,
          method: row.method as AffiliatePostback['method'],
        }),
      ),
      settings: {
        name: (settings[0]?.name as string) ?? 'Tracklane network',
        defaultFallbackUrl: (settings[0]?.default_fallback_url as string | null) ?? null,
        advertisersSeePayouts: (settings[0]?.advertisers_see_payouts as boolean) ?? false,
        postbackReplayWindowSeconds: (settings[0]?.postback_replay_window_seconds as number) ?? DEFAULT_SETTINGS.postbackReplayWindowSeconds,
        maxPostbackAmount: (settings[0]?.max_postback_amount as string) ?? DEFAULT_SETTINGS.maxPostbackAmount,
        visitorIpStorage: (settings[0]?.visitor_ip_storage as NetworkSettings['visitorIpStorage']) ?? DEFAULT_SETTINGS.visitorIpStorage,
        userAgentStorage: (settings[0]?.user_agent_storage as NetworkSettings['userAgentStorage']) ?? DEFAULT_SETTINGS.userAgentStorage,
        visitorHashSecret: (settings[0]?.visitor_hash_secret as string) ?? DEFAULT_SETTINGS.visitorHashSecret,
      },
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
