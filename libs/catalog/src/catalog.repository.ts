import { Prisma, PrismaClient } from '@tracklane/db';
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

/** An amount as numeric(18, 4) or (9, 4) prints it ("12.3400"), as the money rules have always read it. */
const decimal = (value: Prisma.Decimal): string => value.toFixed(4);

const rule = (type: string, amount: Prisma.Decimal, percent: Prisma.Decimal): MoneyRule => ({
  type: type as MoneyRule['type'],
  amount: decimal(amount),
  percent: decimal(percent),
});

/**
 * Reads the whole catalogue in one read-only, repeatable-read transaction, so
 * it is consistent: model calls, one table at a time on the transaction's one
 * connection.
 */
export async function loadCatalog(prisma: Pick<PrismaClient, '$transaction'>): Promise<CatalogContents> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET TRANSACTION READ ONLY`;
      const offers = await tx.offer.findMany({ where: { status: { not: 'archived' } }, orderBy: { id: 'asc' } });
      const goals = await tx.goal.findMany({ where: { status: 'active' }, orderBy: [{ offerId: 'asc' }, { id: 'asc' }] });
      const advertisers = await tx.advertiser.findMany({ where: { status: { not: 'archived' } } });
      const affiliates = await tx.affiliate.findMany({ where: { status: { not: 'archived' } } });
      const approvals = await tx.offerAffiliate.findMany();
      const overrides = await tx.payoutOverride.findMany();
      const postbacks = await tx.affiliatePostback.findMany();
      const coupons = await tx.couponCode.findMany({ select: { id: true, code: true, codeKey: true, affiliateId: true, offerId: true } });
      const settings = await tx.networkSettings.findUnique({ where: { id: 1 } });
      return contentsOf({ offers, goals, advertisers, affiliates, approvals, overrides, postbacks, coupons, settings });
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
  );
}

interface CatalogRows {
  offers: Prisma.OfferGetPayload<object>[];
  goals: Prisma.GoalGetPayload<object>[];
  advertisers: Prisma.AdvertiserGetPayload<object>[];
  affiliates: Prisma.AffiliateGetPayload<object>[];
  approvals: Prisma.OfferAffiliateGetPayload<object>[];
  overrides: Prisma.PayoutOverrideGetPayload<object>[];
  postbacks: Prisma.AffiliatePostbackGetPayload<object>[];
  coupons: { id: number; code: string; codeKey: string; affiliateId: number; offerId: number | null }[];
  settings: Prisma.NetworkSettingsGetPayload<object> | null;
}

function contentsOf({ offers, goals, advertisers, affiliates, approvals, overrides, postbacks, coupons, settings }: CatalogRows): CatalogContents {
  const goalsByOffer = new Map<number, CatalogGoal[]>();
  for (const row of goals) {
    const goal: CatalogGoal = {
      id: row.id,
      offerId: row.offerId,
      code: row.code,
      name: row.name,
      isDefault: row.isDefault,
      allowMultiple: row.allowMultiple,
      revenue: rule(row.revenueType, row.revenueAmount, row.revenuePercent),
      payout: rule(row.payoutType, row.payoutAmount, row.payoutPercent),
      defaultStatus: row.defaultStatus as CatalogGoal['defaultStatus'],
    };
    goalsByOffer.set(goal.offerId, [...(goalsByOffer.get(goal.offerId) ?? []), goal]);
  }

  return {
    offers: offers.map((row): CatalogOffer => {
      const offerGoals = goalsByOffer.get(row.id) ?? [];
      return {
        id: row.id,
        advertiserId: row.advertiserId,
        name: row.name,
        status: row.status as CatalogOffer['status'],
        visibility: row.visibility as CatalogOffer['visibility'],
        destinationUrl: row.destinationUrl,
        fallbackUrl: row.fallbackUrl,
        expiresAt: row.expiresAt?.getTime() ?? null,
        timeZone: row.timeZone,
        currency: row.currency.trim(),
        attributionWindowSeconds: row.attributionWindowSeconds,
        minClickToConversionSeconds: row.minClickToConversionSeconds,
        dailyCap: row.dailyCap,
        monthlyCap: row.monthlyCap,
        affiliateDailyCap: row.affiliateDailyCap,
        affiliateMonthlyCap: row.affiliateMonthlyCap,
        onBot: row.onBot as CatalogOffer['onBot'],
        onRateLimited: row.onRateLimited as CatalogOffer['onRateLimited'],
        onNonUnique: row.onNonUnique as CatalogOffer['onNonUnique'],
        maxPostbackAmount: row.maxPostbackAmount === null ? null : decimal(row.maxPostbackAmount),
        targeting: compileTargeting(row.targeting),
        alternativeOfferId: row.alternativeOfferId,
        couponPrecedence: row.couponPrecedence as CatalogOffer['couponPrecedence'],
        goals: offerGoals,
        defaultGoal: offerGoals.find((goal) => goal.isDefault) ?? (offerGoals.length === 1 ? offerGoals[0] : null),
      };
    }),
    advertisers: advertisers.map(
      (row): CatalogAdvertiser => ({
        id: row.id,
        name: row.name,
        status: row.status as CatalogAdvertiser['status'],
        postbackToken: row.postbackToken,
        signingSecret: row.signingSecret,
        requireSignature: row.requireSignature,
        ipAllowlist: row.ipAllowlist,
        paramMapping: (row.paramMapping ?? {}) as CatalogAdvertiser['paramMapping'],
      }),
    ),
    affiliates: affiliates.map(
      (row): CatalogAffiliate => ({
        id: row.id,
        name: row.name,
        status: row.status as CatalogAffiliate['status'],
        postbackUrl: row.postbackUrl,
        postbackMethod: row.postbackMethod as CatalogAffiliate['postbackMethod'],
        postbackStatuses: row.postbackStatuses,
        postbackSecret: row.postbackSecret,
        referrerDomains: row.referrerDomains,
      }),
    ),
    approvals: approvals.map(
      (row): OfferApproval => ({
        offerId: row.offerId,
        affiliateId: row.affiliateId,
        status: row.status as OfferApproval['status'],
        dailyCap: row.dailyCap,
        monthlyCap: row.monthlyCap,
      }),
    ),
    payoutOverrides: overrides.map(
      (row): PayoutOverride => ({
        offerId: row.offerId,
        affiliateId: row.affiliateId,
        goalId: row.goalId,
        payout: rule(row.payoutType, row.payoutAmount, row.payoutPercent),
      }),
    ),
    coupons: coupons.map(
      (row): CatalogCoupon => ({
        id: row.id,
        code: row.code,
        key: row.codeKey,
        affiliateId: row.affiliateId,
        offerId: row.offerId,
      }),
    ),
    affiliatePostbacks: postbacks.map(
      (row): AffiliatePostback => ({
        affiliateId: row.affiliateId,
        offerId: row.offerId,
        url: row.url,
        method: row.method as AffiliatePostback['method'],
      }),
    ),
    settings: settings
      ? {
          name: settings.name,
          defaultFallbackUrl: settings.defaultFallbackUrl,
          advertisersSeePayouts: settings.advertisersSeePayouts,
          postbackReplayWindowSeconds: settings.postbackReplayWindowSeconds,
          maxPostbackAmount: decimal(settings.maxPostbackAmount),
          visitorIpStorage: settings.visitorIpStorage as NetworkSettings['visitorIpStorage'],
          userAgentStorage: settings.userAgentStorage as NetworkSettings['userAgentStorage'],
          visitorHashSecret: settings.visitorHashSecret,
        }
      : DEFAULT_SETTINGS,
  };
}
