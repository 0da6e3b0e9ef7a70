import { CatalogOffer, PayoutOverride } from '@tracklane/catalog';
import { ClickV1, ConversionV1, newId } from '@tracklane/contracts';
import { clickRecordOf } from '../clicks/click-record';
import { CapRequest, capKeyId, grantCapSlots } from '../rules/caps';
import { DecisionReason } from '../rules/reasons';
import { catalogFixture, clickFixture, conversionFixture, goalFixture, offerFixture } from '../testing/fixtures';
import { ClaimOutcome, ClaimRequest, DecisionStore, decideConversions, unattributedRecord } from './decide-conversions';

/** The store's contract, in memory: first claimant wins, cap counters persist across calls. */
class MemoryStore implements DecisionStore {
  /** Click/goal claims and the conversion holding each. */
  readonly clickGoals = new Map<string, string>();
  readonly orders = new Set<string>();
  readonly counters = new Map<string, number>();
  capCalls = 0;

  async claim(requests: ClaimRequest[]): Promise<Map<string, ClaimOutcome>> {
    const outcomes = new Map<string, ClaimOutcome>();
    for (const request of requests) {
      const clickGoal = `${request.clickId}:${request.goalId}`;
      const order = `${request.advertiserId}:${request.orderId}`;
      if (request.goalId !== null && this.clickGoals.has(clickGoal)) outcomes.set(request.conversionId, 'duplicate_click_goal');
      else if (request.orderId !== null && this.orders.has(order)) outcomes.set(request.conversionId, 'duplicate_order');
      else {
        if (request.goalId !== null) this.clickGoals.set(clickGoal, request.conversionId);
        if (request.orderId !== null) this.orders.add(order);
        outcomes.set(request.conversionId, 'claimed');
      }
    }
    return outcomes;
  }

  async claimHolders(requests: ClaimRequest[]): Promise<Map<string, string>> {
    const holders = new Map<string, string>();
    for (const request of requests) {
      const holder = this.clickGoals.get(`${request.clickId}:${request.goalId}`);
      if (holder !== undefined && holder !== request.conversionId) holders.set(request.conversionId, holder);
    }
    return holders;
  }

  async takeCapSlots(requests: CapRequest[]): Promise<Map<string, DecisionReason>> {
    this.capCalls++;
    const grant = grantCapSlots(requests, this.counters);
    for (const [id, { by }] of grant.increments) this.counters.set(id, (this.counters.get(id) ?? 0) + by);
    return grant.refused;
  }
}

const NOW = Date.now();
const HOUR = 3_600_000;

function setup(offer: Partial<CatalogOffer> = {}, payoutOverrides: PayoutOverride[] = []) {
  const catalog = catalogFixture({ offers: [offerFixture(offer)], payoutOverrides });
  const store = new MemoryStore();
  const decideAll = (...pairs: Array<[ClickV1, ConversionV1]>) =>
    decideConversions(
      pairs.map(([click, conversion]) => ({ by: { click: clickRecordOf(click) }, conversion })),
      catalog,
      store,
      NOW,
    );
  const decide = async (...pairs: Array<[ClickV1, ConversionV1]>) => (await decideAll(...pairs)).records;
  return { store, decide, decideAll };
}

const pair = (clickOverrides: Partial<ClickV1> & { at?: number } = {}, conversionOverrides: Partial<ConversionV1> = {}): [ClickV1, ConversionV1] => {
  const click = clickFixture({ at: NOW - HOUR, ...clickOverrides });
  return [click, conversionFixture(click, { receivedAt: new Date(NOW).toISOString(), ...conversionOverrides })];
};

describe('deciding conversions', () => {
  it('attributes a conversion to its click with its money and the click fields', async () => {
    const { decide } = setup();
    const [click, conversion] = pair({}, { amount: '80.00', orderId: 'A-1', advSub1: 'x' });
    const [record] = await decide([click, conversion]);
    expect(record).toMatchObject({
      conversionId: conversion.conversionId,
      clickId: click.clickId,
      reportedClickId: click.clickId,
      advertiserId: 1,
      offerId: 10,
      affiliateId: 7,
      goalId: 100,
      goalCode: 'sale',
      orderId: 'A-1',
      status: 'approved',
      reason: 'attributed',
      saleAmount: '80.0000',
      revenue: '8.0000',
      payout: '3.0000',
      currency: 'USD',
      clickedAt: NOW - HOUR,
      convertedAt: NOW,
      decidedAt: NOW,
      sub1: 's1',
      source: 'newsletter',
      affClickId: 'aff-123',
      country: 'DE',
      device: 'mobile',
      advSub1: 'x',
    });
  });

  it("applies the affiliate's payout override", async () => {
    const { decide } = setup({}, [{ offerId: 10, affiliateId: 7, goalId: null, payout: { type: 'percent', amount: '0', percent: '5' } }]);
    const [record] = await decide(pair({}, { amount: '80.00' }));
    expect([record.revenue, record.payout]).toEqual(['8.0000', '4.0000']);
  });

  it.each<[string, Partial<ClickV1> & { at?: number }, Partial<ConversionV1>, Partial<CatalogOffer>, DecisionReason]>([
    ['a click sent to a fallback', { disposition: 'offer_paused' }, {}, {}, 'click_not_accepted'],
    ["another advertiser's click", { advertiserId: 2 }, {}, {}, 'advertiser_mismatch'],
    ['an offer no longer in the catalogue', { offerId: 99 }, {}, {}, 'offer_not_found'],
    ['an unknown goal', {}, { goal: 'subscription' }, {}, 'goal_not_found'],
    ['a conversion after the window', { at: NOW - 2 * HOUR }, {}, { attributionWindowSeconds: 3_600 }, 'outside_window'],
    ['a conversion faster than the minimum time', {}, {}, { minClickToConversionSeconds: 7_200 }, 'too_fast'],
    ['a percentage of a sale in another currency', {}, { currency: 'EUR' }, {}, 'currency_mismatch'],
    [
      'an amount the ledger cannot hold',
      {},
      { amount: '99999999999999' },
      { goals: [goalFixture({ revenue: { type: 'percent', amount: '0', percent: '200' } })] },
      'amount_out_of_range',
    ],
    ['a bot click', { flags: ['bot'] }, {}, {}, 'bot_click'],
    ['a rejection by the advertiser', {}, { status: 'rejected' }, {}, 'rejected_by_advertiser'],
  ])('rejects %s, with no money', async (_, clickOverrides, conversionOverrides, offer, reason) => {
    const { decide } = setup(offer);
    const [record] = await decide(pair(clickOverrides, conversionOverrides));
    expect(record).toMatchObject({ status: 'rejected', reason, revenue: '0.0000', payout: '0.0000' });
  });

  it("does not attribute to another advertiser's click", async () => {
    const { decide } = setup();
    const [record] = await decide(pair({ advertiserId: 2 }));
    expect(record).toMatchObject({ clickId: null, offerId: null, affiliateId: null, sub1: null });
  });

  it('holds conversions of rate-limited clicks as pending, with their money', async () => {
    const { decide } = setup();
    const [record] = await decide(pair({ flags: ['rate_limited'] }));
    expect(record).toMatchObject({ status: 'pending', reason: 'rate_limited_click', revenue: '5.0000' });
  });

  it("keeps the advertiser's pending and the goal's default status", async () => {
    const { decide } = setup({ goals: [goalFixture({ defaultStatus: 'pending' })] });
    const [byGoal, byAdvertiser] = await decide(pair(), pair({}, { status: 'approved' }));
    expect([byGoal.status, byAdvertiser.status]).toEqual(['pending', 'approved']);
  });

  it('counts one conversion per click and goal, in order, also within one batch', async () => {
    const { decide } = setup();
    const [click, first] = pair({}, { orderId: 'A-1' });
    const second = conversionFixture(click, { receivedAt: first.receivedAt, orderId: 'A-2' });
    const records = await decide([click, first], [click, second]);
    expect(records.map((record) => record.reason)).toEqual(['attributed', 'duplicate_click_goal']);
    const [later] = await decide([click, conversionFixture(click, { receivedAt: first.receivedAt, orderId: 'A-3' })]);
    expect(later.reason).toBe('duplicate_click_goal');
  });

  it('hears a later postback without order id on a one-per-click goal as the first conversion again, never as a second', async () => {
    const { decideAll } = setup();
    const [click, lead] = pair({}, { status: 'pending' });
    const sale = conversionFixture(click, { receivedAt: lead.receivedAt, status: 'approved' });
    const inOneBatch = await decideAll([click, lead], [click, sale]);
    expect(inOneBatch.records.map((record) => [record.conversionId, record.status])).toEqual([[lead.conversionId, 'pending']]);
    expect(inOneBatch.laterStatuses).toEqual([{ ...sale, kind: 'status_change', conversionId: lead.conversionId }]);

    const rejection = conversionFixture(click, { receivedAt: lead.receivedAt, status: 'rejected' });
    const repeat = conversionFixture(click, { receivedAt: lead.receivedAt });
    const later = await decideAll([click, rejection], [click, repeat]);
    expect(later.records).toEqual([]);
    expect(later.laterStatuses.map((message) => [message.eventId, message.conversionId, message.status])).toEqual([
      [rejection.eventId, lead.conversionId, 'rejected'],
      [repeat.eventId, lead.conversionId, null],
    ]);
  });

  it('counts several conversions per click for a goal that allows them, but never the same order twice', async () => {
    const { decide } = setup({ goals: [goalFixture({ allowMultiple: true })] });
    const [click, first] = pair({}, { orderId: 'A-1' });
    const records = await decide(
      [click, first],
      [click, conversionFixture(click, { receivedAt: first.receivedAt, orderId: 'A-2' })],
      [click, conversionFixture(click, { receivedAt: first.receivedAt })],
      [click, conversionFixture(click, { receivedAt: first.receivedAt, orderId: 'A-1' })],
    );
    expect(records.map((record) => record.reason)).toEqual(['attributed', 'attributed', 'attributed', 'duplicate_order']);
  });

  it("rejects an amount above the offer's own bound, booking no money; the bound itself is fine", async () => {
    const { decide } = setup({ maxPostbackAmount: '100.0000' });
    const records = await decide(pair({}, { amount: '100.0001' }), pair({}, { amount: '100' }));
    expect(records.map((record) => [record.reason, record.revenue])).toEqual([
      ['amount_out_of_range', '0.0000'],
      ['attributed', '10.0000'],
    ]);
  });

  it('decides each goal of a multi-goal offer on its own', async () => {
    const install = goalFixture({ id: 101, code: 'install', isDefault: false, revenue: { type: 'fixed', amount: '1', percent: '0' } });
    const { decide } = setup({ goals: [goalFixture(), install] });
    const [click, sale] = pair();
    const records = await decide([click, conversionFixture(click, { goal: 'install', receivedAt: sale.receivedAt })], [click, sale]);
    expect(records.map((record) => [record.goalCode, record.reason, record.revenue])).toEqual([
      ['install', 'attributed', '1.0000'],
      ['sale', 'attributed', '5.0000'],
    ]);
  });

  it('rejects beyond a cap, naming it, and gives no slot to conversions that will not count', async () => {
    const { decide, store } = setup({ dailyCap: 2 });
    const records = await decide(pair({ flags: ['bot'] }), pair(), pair({}, { status: 'rejected' }), pair(), pair());
    expect(records.map((record) => record.reason)).toEqual([
      'bot_click',
      'attributed',
      'rejected_by_advertiser',
      'attributed',
      'daily_cap_reached',
    ]);
    expect([...store.counters.values()]).toEqual([2]);
  });

  it('gives no cap slot to a duplicate', async () => {
    const { decide, store } = setup({ affiliateDailyCap: 5 });
    const [click, first] = pair();
    await decide([click, first], [click, conversionFixture(click, { receivedAt: first.receivedAt })]);
    const day = new Date(NOW).toISOString().slice(0, 10);
    expect(store.counters.get(capKeyId({ offerId: 10, affiliateId: 7, period: 'day', periodStart: day }))).toBe(1);
  });

  it('asks the store nothing when no conversion needs a claim or a cap', async () => {
    const { decide, store } = setup({ goals: [goalFixture({ allowMultiple: true })] });
    await decide(pair());
    expect(store.capCalls).toBe(0);
    expect(store.clickGoals.size + store.orders.size).toBe(0);
  });
});

describe('conversions attributed by a promo code', () => {
  const coupon = { id: 1, code: 'SAVE10', key: 'save10', affiliateId: 9, offerId: 10 };
  const couponConversion = (overrides: Partial<ConversionV1> = {}) =>
    conversionFixture({ clickId: null }, { couponCode: 'save10', amount: '80.00', orderId: newId(), receivedAt: new Date(NOW).toISOString(), ...overrides });

  function setupCoupons(offer: Partial<CatalogOffer> = {}, payoutOverrides: PayoutOverride[] = []) {
    const offers = [offerFixture(offer)];
    const catalog = catalogFixture({ offers, payoutOverrides });
    const store = new MemoryStore();
    const decide = async (...conversions: ConversionV1[]) =>
      (await decideConversions(conversions.map((conversion) => ({ conversion, by: { coupon, offer: offers[0] } })), catalog, store, NOW)).records;
    return { decide, store };
  }

  it("books the code's affiliate on its offer, reason coupon, with no click and no click window", async () => {
    // A window and minimum time no click could meet: a code has no click to time.
    const { decide } = setupCoupons({ attributionWindowSeconds: 1, minClickToConversionSeconds: 86_400 });
    const conversion = couponConversion();
    const [record] = await decide(conversion);
    expect(record).toMatchObject({
      conversionId: conversion.conversionId,
      clickId: null,
      reportedClickId: null,
      offerId: 10,
      affiliateId: 9,
      status: 'approved',
      reason: 'coupon',
      revenue: '8.0000',
      payout: '3.0000',
      clickedAt: null,
      sub1: null,
      couponCode: 'save10',
    });
  });

  it("pays the code's affiliate its own override, counts it in caps, and never books an order twice", async () => {
    const override: PayoutOverride = { offerId: 10, affiliateId: 9, goalId: null, payout: { type: 'fixed', amount: '4.5', percent: '0' } };
    const { decide, store } = setupCoupons({ affiliateDailyCap: 2 }, [override]);
    const repeated = couponConversion();
    const records = await decide(repeated, couponConversion({ orderId: repeated.orderId }), couponConversion(), couponConversion());
    expect(records.map((record) => [record.reason, record.payout])).toEqual([
      ['coupon', '4.5000'],
      ['duplicate_order', '0.0000'],
      ['coupon', '4.5000'],
      ['affiliate_daily_cap_reached', '0.0000'],
    ]);
    // Orders only: a code claims no click and goal.
    expect(store.clickGoals.size).toBe(0);
  });

  it("keeps the advertiser's status and reason words", async () => {
    const { decide } = setupCoupons();
    const records = await decide(couponConversion({ status: 'pending' }), couponConversion({ status: 'rejected' }));
    expect(records.map((record) => [record.status, record.reason])).toEqual([
      ['pending', 'coupon'],
      ['rejected', 'rejected_by_advertiser'],
    ]);
  });
});

describe('unattributed conversions', () => {
  it('keep the reported click id, the advertiser and the goal code, and book no money', () => {
    const [click, conversion] = pair({}, { goal: 'purchase', currency: 'EUR' });
    expect(unattributedRecord(conversion, 'click_not_found', NOW)).toMatchObject({
      clickId: null,
      reportedClickId: click.clickId,
      advertiserId: 1,
      offerId: null,
      goalCode: 'purchase',
      status: 'rejected',
      reason: 'click_not_found',
      revenue: '0.0000',
      currency: 'EUR',
    });
  });
});
