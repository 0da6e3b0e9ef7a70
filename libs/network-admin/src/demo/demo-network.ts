import { Injectable } from '@nestjs/common';
import { PrismaService } from '@tracklane/db';
import { Pool } from 'pg';
import { SYSTEM_ACTOR } from '../access';
import { AdvertisersService } from '../advertisers/advertisers.service';
import { AffiliatesService } from '../affiliates/affiliates.service';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApprovalsService } from '../approvals/approvals.service';
import { GoalInput, GoalsService } from '../goals/goals.service';
import { OfferInput, OffersService } from '../offers/offers.service';
import { PayoutOverridesService } from '../payout-overrides/payout-overrides.service';

export interface DemoNetwork {
  advertiser: { id: number; name: string; postbackToken: string };
  offers: Array<{ id: number; name: string; goals: string[] }>;
  affiliates: Array<{ id: number; name: string; postbackUrl: string | null }>;
  /** Fresh keys: each run revokes the demo keys of the previous run and issues new ones. */
  keys: { admin: string; advertiser: string; affiliate: string };
}

const ADVERTISER = 'Demo Shop';
const PUBLISHER = 'Demo Publisher';
const MEDIA_BUYER = 'Demo Media Buyer';
const SEED_LOCK = 7_246_351_004;

const OFFERS: Array<{ offer: Omit<OfferInput, 'advertiserId'>; goals: GoalInput[] }> = [
  {
    offer: {
      name: 'Demo Shop: Sneakers',
      visibility: 'approval_required',
      destinationUrl: 'https://shop.example/sneakers?click_id={click_id}&aff={aff_id}&s1={sub1}',
      currency: 'USD',
      timeZone: 'UTC',
    },
    goals: [
      {
        code: 'sale',
        name: 'Sale',
        isDefault: true,
        revenue: { type: 'percent', percent: '12' },
        payout: { type: 'percent', percent: '8' },
      },
      {
        code: 'lead',
        name: 'Newsletter sign-up',
        revenue: { type: 'fixed', amount: '2.50' },
        payout: { type: 'fixed', amount: '1.75' },
      },
    ],
  },
  {
    offer: {
      name: 'Demo Shop: App install',
      visibility: 'public',
      destinationUrl: 'https://shop.example/app?click_id={click_id}&src={source}',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
    },
    goals: [
      { code: 'install', name: 'Install', isDefault: true, revenue: { type: 'fixed', amount: '3.00' }, payout: { type: 'fixed', amount: '2.00' } },
      {
        code: 'purchase',
        name: 'In-app purchase',
        allowMultiple: true,
        revenue: { type: 'percent', percent: '30' },
        payout: { type: 'percent', percent: '15' },
      },
    ],
  },
];

/**
 * Creates the demo network, or finds it from an earlier run (by name; live
 * objects only): an advertiser with two offers and their goals, two
 * affiliates (one approved, with its postback going to the local demo
 * receiver, and a better payout on sales; one pending), and API keys for
 * each role. Every change is audited as "system" and announced like any other.
 */
@Injectable()
export class DemoNetworkSeeder {
  constructor(
    private readonly prisma: PrismaService,
    private readonly pool: Pool,
    private readonly advertisers: AdvertisersService,
    private readonly offers: OffersService,
    private readonly goals: GoalsService,
    private readonly affiliates: AffiliatesService,
    private readonly approvals: ApprovalsService,
    private readonly payoutOverrides: PayoutOverridesService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async ensure(options: { receiverUrl: string }): Promise<DemoNetwork> {
    const lock = await this.pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [SEED_LOCK]);
      return await this.seed(options.receiverUrl);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK]).catch(() => undefined);
      lock.release();
    }
  }

  private async seed(receiverUrl: string): Promise<DemoNetwork> {
    const advertiser =
      (await this.prisma.advertiser.findFirst({ where: { name: ADVERTISER, status: { not: 'archived' } }, orderBy: { id: 'asc' } })) ??
      (await this.advertisers.create(SYSTEM_ACTOR, { name: ADVERTISER }));

    const offers: DemoNetwork['offers'] = [];
    for (const { offer, goals } of OFFERS) {
      const existing = await this.prisma.offer.findFirst({
        where: { advertiserId: advertiser.id, name: offer.name, status: { not: 'archived' } },
        orderBy: { id: 'asc' },
      });
      const { id } = existing ?? (await this.offers.create(SYSTEM_ACTOR, { ...offer, advertiserId: advertiser.id }));
      for (const goal of goals) {
        if (!(await this.prisma.goal.findFirst({ where: { offerId: id, code: goal.code } }))) {
          await this.goals.create(SYSTEM_ACTOR, id, goal);
        }
      }
      offers.push({ id, name: offer.name, goals: goals.map((goal) => goal.code) });
    }
    const [sneakers] = offers;

    const publisherPostback =
      `${receiverUrl}/postback?click_id={click_id}&conversion_id={conversion_id}&goal={goal}` +
      '&status={status}&payout={payout}&currency={currency}&sub1={sub1}';
    const publisher = await this.affiliate(PUBLISHER, publisherPostback);
    const mediaBuyer = await this.affiliate(MEDIA_BUYER, null);

    await this.approveOnce(sneakers.id, publisher.id, 'approved');
    await this.approveOnce(sneakers.id, mediaBuyer.id, 'pending');
    const saleGoal = await this.prisma.goal.findFirstOrThrow({ where: { offerId: sneakers.id, code: 'sale' } });
    const override = await this.prisma.payoutOverride.findFirst({
      where: { offerId: sneakers.id, affiliateId: publisher.id, goalId: saleGoal.id },
    });
    if (!override) {
      await this.payoutOverrides.create(SYSTEM_ACTOR, {
        offerId: sneakers.id,
        affiliateId: publisher.id,
        goalId: saleGoal.id,
        payout: { type: 'percent', percent: '9' },
      });
    }

    const token = (await this.prisma.advertiser.findUniqueOrThrow({ where: { id: advertiser.id } })).postbackToken;
    return {
      advertiser: { id: advertiser.id, name: ADVERTISER, postbackToken: token },
      offers,
      affiliates: [
        { id: publisher.id, name: PUBLISHER, postbackUrl: publisher.postbackUrl },
        { id: mediaBuyer.id, name: MEDIA_BUYER, postbackUrl: null },
      ],
      keys: {
        admin: await this.freshKey('demo admin', { role: 'admin' }),
        advertiser: await this.freshKey('demo advertiser', { role: 'advertiser', advertiserId: advertiser.id }),
        affiliate: await this.freshKey('demo affiliate', { role: 'affiliate', affiliateId: publisher.id }),
      },
    };
  }

  private async affiliate(name: string, postbackUrl: string | null): Promise<{ id: number; postbackUrl: string | null }> {
    const existing = await this.prisma.affiliate.findFirst({ where: { name, status: { not: 'archived' } }, orderBy: { id: 'asc' } });
    return existing ?? this.affiliates.create(SYSTEM_ACTOR, { name, postbackUrl, postbackStatuses: ['approved', 'pending', 'rejected', 'refunded'] });
  }

  private async approveOnce(offerId: number, affiliateId: number, status: 'approved' | 'pending'): Promise<void> {
    const existing = await this.prisma.offerAffiliate.findUnique({ where: { offerId_affiliateId: { offerId, affiliateId } } });
    if (!existing) await this.approvals.put(SYSTEM_ACTOR, offerId, affiliateId, { status });
  }

  /** Keys are shown once, so a re-run cannot print the old ones: it revokes them and issues new ones. */
  private async freshKey(
    name: string,
    owner: { role: 'admin' | 'advertiser' | 'affiliate'; advertiserId?: number; affiliateId?: number },
  ): Promise<string> {
    const previous = await this.prisma.apiKey.findMany({ where: { name, role: owner.role, revokedAt: null } });
    for (const key of previous) await this.apiKeys.revoke(SYSTEM_ACTOR, key.id);
    return (await this.apiKeys.create(SYSTEM_ACTOR, { name, ...owner })).key;
  }
}
