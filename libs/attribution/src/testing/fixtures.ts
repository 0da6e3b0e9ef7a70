import { CatalogContents, CatalogGoal, CatalogOffer, CatalogSnapshot, DEFAULT_SETTINGS } from '@tracklane/catalog';
import { ClickV1, ConversionV1, newId } from '@tracklane/contracts';

/** Building blocks for tests of the rules: a small catalogue, clicks and conversions. */
export function offerFixture(overrides: Partial<CatalogOffer> = {}): CatalogOffer {
  const goals: CatalogGoal[] = overrides.goals ?? [goalFixture()];
  return {
    id: 10,
    advertiserId: 1,
    name: 'Shoes',
    status: 'active',
    visibility: 'approval_required',
    destinationUrl: 'https://shop.example/?cid={click_id}',
    fallbackUrl: null,
    expiresAt: null,
    timeZone: 'UTC',
    currency: 'USD',
    attributionWindowSeconds: 30 * 86_400,
    minClickToConversionSeconds: 0,
    dailyCap: null,
    monthlyCap: null,
    affiliateDailyCap: null,
    affiliateMonthlyCap: null,
    onBot: 'reject',
    onRateLimited: 'pending',
    onNonUnique: 'allow',
    maxPostbackAmount: null,
    targeting: null,
    alternativeOfferId: null,
    couponPrecedence: 'click',
    goals,
    defaultGoal: goals.find((goal) => goal.isDefault) ?? null,
    ...overrides,
  };
}

export function goalFixture(overrides: Partial<CatalogGoal> = {}): CatalogGoal {
  return {
    id: 100,
    offerId: 10,
    code: 'sale',
    name: 'Sale',
    isDefault: true,
    allowMultiple: false,
    revenue: { type: 'percent', amount: '0', percent: '10' },
    payout: { type: 'fixed', amount: '3', percent: '0' },
    defaultStatus: 'approved',
    ...overrides,
  };
}

export function catalogFixture(contents: Partial<CatalogContents> = {}): CatalogSnapshot {
  return new CatalogSnapshot(
    {
      offers: [offerFixture()],
      advertisers: [],
      affiliates: [],
      approvals: [],
      payoutOverrides: [],
      affiliatePostbacks: [],
      coupons: [],
      settings: { ...DEFAULT_SETTINGS, name: 'Test network' },
      ...contents,
    },
    1,
    Date.now(),
  );
}

export function clickFixture(overrides: Partial<ClickV1> & { at?: number } = {}): ClickV1 {
  const { at, ...rest } = overrides;
  const clickId = rest.clickId ?? newId(at ?? Date.now() - 3_600_000);
  return {
    v: 1,
    clickId,
    occurredAt: new Date(at ?? Date.now() - 3_600_000).toISOString(),
    offerId: 10,
    advertiserId: 1,
    affiliateId: 7,
    sub1: 's1',
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: 'newsletter',
    affClickId: 'aff-123',
    ip: '203.0.113.9',
    userAgent: 'Mozilla/5.0',
    referrer: null,
    country: 'DE',
    device: 'mobile',
    unique: true,
    flags: [],
    disposition: 'accepted',
    params: {},
    ...rest,
  };
}

export function conversionFixture(click: { clickId: string | null }, overrides: Partial<ConversionV1> = {}): ConversionV1 {
  const conversionId = overrides.conversionId ?? newId();
  return {
    v: 1,
    kind: 'conversion',
    eventId: conversionId,
    conversionId,
    receivedAt: new Date().toISOString(),
    clickId: click.clickId,
    advertiserId: 1,
    goal: null,
    amount: '50.00',
    currency: 'USD',
    orderId: null,
    status: null,
    advSub1: null,
    advSub2: null,
    advSub3: null,
    advSub4: null,
    advSub5: null,
    raw: {},
    ...overrides,
  };
}

export function statusChangeFixture(conversion: ConversionV1, status: ConversionV1['status']): ConversionV1 {
  return { ...conversion, kind: 'status_change', eventId: newId(), receivedAt: new Date().toISOString(), status };
}
