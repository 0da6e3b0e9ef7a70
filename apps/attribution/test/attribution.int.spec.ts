import { checkBooks, clickFixture, conversionFixture, seedNetwork, statusChangeFixture } from '@tracklane/attribution/testing';
import { Catalog } from '@tracklane/catalog';
import { ClickV1, ConversionV1, newId } from '@tracklane/contracts';
import { DEAD_LETTER_HEADERS } from '@tracklane/messaging';
import { RunningService } from '@tracklane/observability';
import { waitFor } from '@tracklane/testing';
import { AttributionEnv } from '../src/attribution.env';
import { AttributionHarness } from './harness';

const NOW = Date.now();
const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A click and its conversion, the conversion received "now". */
function scenario(click: Partial<ClickV1> & { at?: number } = {}, conversion: Partial<ConversionV1> = {}): [ClickV1, ConversionV1] {
  const made = clickFixture({ at: NOW - HOUR, ...click });
  return [made, conversionFixture(made, { receivedAt: new Date(NOW).toISOString(), ...conversion })];
}

describe('attribution', () => {
  let harness: AttributionHarness;
  let attribution: RunningService<AttributionEnv>;

  beforeAll(async () => {
    harness = await AttributionHarness.create();
    await seedNetwork(harness.pool, {
      advertisers: [1, 2],
      affiliates: [7, 8],
      offers: [
        { id: 10 },
        { id: 11, attributionWindowSeconds: 3_600, minClickToConversionSeconds: 60 },
        { id: 12, dailyCap: 2, timeZone: 'America/New_York' },
        { id: 13, advertiserId: 2 },
      ],
      goals: [
        { id: 100, offerId: 10, code: 'sale', isDefault: true, revenue: ['percent', '0', '10'], payout: ['fixed', '3', '0'] },
        { id: 101, offerId: 10, code: 'install', revenue: ['fixed', '2', '0'], payout: ['fixed', '1', '0'] },
        { id: 102, offerId: 10, code: 'lead', allowMultiple: true, revenue: ['fixed_plus_percent', '1', '1'], payout: ['fixed', '0.5', '0'] },
        { id: 103, offerId: 10, code: 'trial', defaultStatus: 'pending', revenue: ['fixed', '5', '0'], payout: ['fixed', '2', '0'] },
        { id: 110, offerId: 11, code: 'sale', isDefault: true },
        { id: 120, offerId: 12, code: 'sale', isDefault: true },
        { id: 130, offerId: 13, code: 'sale', isDefault: true },
      ],
    });
    await harness.pool.query(
      `INSERT INTO payout_overrides (offer_id, affiliate_id, goal_id, payout_type, payout_percent) VALUES (10, 8, NULL, 'percent', 5)`,
    );
    await harness.pool.query(
      `INSERT INTO coupon_codes (code, code_key, affiliate_id, offer_id, advertiser_id) VALUES ('SAVE10', 'save10', 8, 10, 1), ('NOPE', 'nope', 7, 10, 1);
       INSERT INTO offer_affiliates (offer_id, affiliate_id, status) VALUES (10, 8, 'approved')`,
    );
    attribution = await harness.start({ CONVERSION_RETRY_MAX_MS: 4_000 });
  });
  afterAll(() => harness?.destroy());

  it('attributes a conversion to its click, books its money and publishes the decision with the click fields', async () => {
    const [click, conversion] = scenario({}, { amount: '80.00', orderId: 'A-100' });
    await harness.publishClicks([click]);
    await harness.publishConversions([conversion]);
    const row = (await harness.booked([conversion.conversionId])).get(conversion.conversionId);
    expect(row).toMatchObject({
      click_id: click.clickId,
      status: 'approved',
      reason: 'attributed',
      revenue: '8.0000',
      payout: '3.0000',
      offer_id: 10,
      affiliate_id: 7,
    });
    const [event] = await harness.eventsFor([conversion.conversionId]);
    expect(event).toMatchObject({
      kind: 'decision',
      eventId: conversion.conversionId,
      clickId: click.clickId,
      status: 'approved',
      previousStatus: null,
      reason: 'attributed',
      revenue: '8.0000',
      payout: '3.0000',
      currency: 'USD',
      saleAmount: '80.0000',
      orderId: 'A-100',
      clickAt: click.occurredAt,
      sub1: click.sub1,
      source: click.source,
      affClickId: click.affClickId,
      country: click.country,
      device: click.device,
    });
    const { rows } = await harness.pool.query(`SELECT account, state, kind, amount::text FROM ledger_entries WHERE conversion_id = $1 ORDER BY account`, [
      conversion.conversionId,
    ]);
    expect(rows).toEqual([
      { account: 'advertiser_receivable', state: 'approved', kind: 'booking', amount: '8.0000' },
      { account: 'affiliate_payable', state: 'approved', kind: 'booking', amount: '-3.0000' },
      { account: 'network_margin', state: 'approved', kind: 'booking', amount: '-5.0000' },
    ]);
  });

  it('keeps the click in Postgres once and in Redis until 72 hours after it (its 30-day window closes later)', async () => {
    const click = clickFixture();
    await harness.publishClicks([click, click]);
    const stored = await waitFor(async () => {
      const { rows } = await harness.pool.query('SELECT count(*)::int AS n FROM clicks WHERE click_id = $1', [click.clickId]);
      return rows[0].n > 0 ? rows[0].n : undefined;
    });
    expect(stored).toBe(1);
    const ttl = await waitFor(async () => {
      const seconds = await harness.stack.redis.client.ttl(`attr:click:${click.clickId}`);
      return seconds > 0 ? seconds : undefined;
    });
    // The fixture's click is an hour old; ATTRIBUTION_CLICK_CACHE_HOURS is 72 by default.
    expect(ttl).toBeGreaterThan(72 * 3_600 - HOUR / SECOND - 60);
    expect(ttl).toBeLessThanOrEqual(72 * 3_600 - HOUR / SECOND);
  });

  it('records a machine-readable reason for every outcome, and books money only for what counts', async () => {
    const shared = clickFixture({ at: NOW - HOUR });
    const cases: Array<[string, ClickV1 | null, ConversionV1, [status: string, reason: string, revenue: string, payout: string]]> = [];
    const add = (name: string, [click, conversion]: [ClickV1, ConversionV1], expected: [string, string, string, string], publishClick = true) =>
      cases.push([name, publishClick ? click : null, conversion, expected]);

    add('affiliate override', scenario({ affiliateId: 8 }), ['approved', 'attributed', '5.0000', '2.5000']);
    add('fallback traffic', scenario({ disposition: 'affiliate_not_approved' }), ['rejected', 'click_not_accepted', '0.0000', '0.0000']);
    add("another advertiser's click", scenario({ offerId: 13, advertiserId: 2 }), ['rejected', 'advertiser_mismatch', '0.0000', '0.0000']);
    add('unknown offer', scenario({ offerId: 99 }), ['rejected', 'offer_not_found', '0.0000', '0.0000']);
    add('unknown goal', scenario({}, { goal: 'subscription' }), ['rejected', 'goal_not_found', '0.0000', '0.0000']);
    add('just inside the window', scenario({ offerId: 11, at: NOW - HOUR + 5 * SECOND }), ['approved', 'attributed', '10.0000', '6.0000']);
    add('just outside the window', scenario({ offerId: 11, at: NOW - HOUR - 5 * SECOND }), ['rejected', 'outside_window', '0.0000', '0.0000']);
    add('too fast', scenario({ offerId: 11, at: NOW - 30 * SECOND }), ['rejected', 'too_fast', '0.0000', '0.0000']);
    add('a sale in another currency', scenario({}, { currency: 'EUR' }), ['rejected', 'currency_mismatch', '0.0000', '0.0000']);
    add('rejected by the advertiser', scenario({}, { status: 'rejected' }), ['rejected', 'rejected_by_advertiser', '0.0000', '0.0000']);
    add('a bot click', scenario({ flags: ['bot'] }), ['rejected', 'bot_click', '0.0000', '0.0000']);
    add('a rate-limited click', scenario({ flags: ['rate_limited'] }), ['pending', 'rate_limited_click', '5.0000', '3.0000']);
    add('a non-unique click', scenario({ unique: false }), ['approved', 'attributed', '5.0000', '3.0000']);
    add('a goal held for review', scenario({}, { goal: 'trial' }), ['pending', 'attributed', '5.0000', '2.0000']);
    add('an expired click', scenario({ at: NOW - 100 * DAY }), ['rejected', 'click_expired', '0.0000', '0.0000'], false);
    add('a click that never came', scenario(), ['rejected', 'click_not_found', '0.0000', '0.0000'], false);
    // One click, several goals.
    add('sale', [shared, conversionFixture(shared, { receivedAt: new Date(NOW).toISOString(), orderId: 'B-1' })], ['approved', 'attributed', '5.0000', '3.0000']);
    add('install', [shared, conversionFixture(shared, { goal: 'install' })], ['approved', 'attributed', '2.0000', '1.0000']);
    add('lead', [shared, conversionFixture(shared, { goal: 'lead', amount: '10' })], ['approved', 'attributed', '1.1000', '0.5000']);
    add('another lead', [shared, conversionFixture(shared, { goal: 'lead', amount: '20' })], ['approved', 'attributed', '1.2000', '0.5000']);
    add('another sale', [shared, conversionFixture(shared, { orderId: 'B-2' })], ['rejected', 'duplicate_click_goal', '0.0000', '0.0000']);

    await harness.publishClicks(cases.flatMap(([, click]) => (click ? [click] : [])));
    // Conversions of one click in order; each after its click is stored, as a postback follows its click.
    await waitFor(async () => {
      const { rows } = await harness.pool.query('SELECT count(*)::int AS n FROM clicks WHERE click_id = ANY($1)', [
        cases.flatMap(([, click]) => (click ? [click.clickId] : [])),
      ]);
      return rows[0].n === new Set(cases.flatMap(([, click]) => (click ? [click.clickId] : []))).size;
    });
    await harness.publishConversions(cases.map(([, , conversion]) => conversion));

    const rows = await harness.booked(cases.map(([, , conversion]) => conversion.conversionId));
    const outcomes = cases.map(([name, , conversion]) => {
      const row = rows.get(conversion.conversionId);
      return [name, row?.status, row?.reason, row?.revenue, row?.payout];
    });
    expect(outcomes).toEqual(cases.map(([name, , , expected]) => [name, ...expected]));
    expect(rows.get(cases[1][2].conversionId)?.click_id).toBe(cases[1][1]?.clickId);
    expect(rows.get(cases[2][2].conversionId)?.click_id).toBeNull();
    const events = await harness.eventsFor(cases.map(([, , conversion]) => conversion.conversionId));
    expect(events.map((event) => [event.conversionId, event.status, event.reason]).sort()).toEqual(
      cases.map(([, , conversion]) => [conversion.conversionId, rows.get(conversion.conversionId)?.status, rows.get(conversion.conversionId)?.reason]).sort(),
    );

    // The same order id from the same advertiser, on another click (another partition), once the first is booked.
    const [click, sameOrder] = scenario({}, { orderId: 'B-1' });
    await harness.publishClicks([click]);
    await harness.publishConversions([sameOrder]);
    expect((await harness.booked([sameOrder.conversionId])).get(sameOrder.conversionId)).toMatchObject({ status: 'rejected', reason: 'duplicate_order' });
  });

  it("counts caps in the offer's time zone, and rejects beyond them", async () => {
    const pairs = Array.from({ length: 4 }, () => scenario({ offerId: 12 }));
    await harness.publishClicks(pairs.map(([click]) => click));
    await harness.publishConversions(pairs.map(([, conversion]) => conversion));
    const rows = await harness.booked(pairs.map(([, conversion]) => conversion.conversionId));
    expect([...rows.values()].map((row) => row.reason).sort()).toEqual(['attributed', 'attributed', 'daily_cap_reached', 'daily_cap_reached']);
    const newYorkDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(NOW);
    const { rows: counters } = await harness.pool.query(
      `SELECT to_char(period_start, 'YYYY-MM-DD') AS day, used FROM attribution_cap_counters WHERE offer_id = 12 AND period = 'day'`,
    );
    expect(counters).toEqual([{ day: newYorkDay, used: 2 }]);
  });

  it('attributes to an offer created a moment ago, before the catalogue heard of it', async () => {
    // A catalogue loaded a moment before the offer was made: under a second old, and without it.
    await attribution.app.get(Catalog).reload();
    await harness.pool.query(`
      INSERT INTO offers (id, advertiser_id, name, destination_url) VALUES (14, 1, 'New', 'https://shop.example/');
      INSERT INTO goals (id, offer_id, code, name, is_default, revenue_amount, payout_amount) VALUES (140, 14, 'sale', 'Sale', true, 4, 1);
    `);
    const [click, conversion] = scenario({ offerId: 14 });
    await harness.publishClicks([click]);
    await harness.publishConversions([conversion]);
    const row = (await harness.booked([conversion.conversionId])).get(conversion.conversionId);
    expect(row).toMatchObject({ offer_id: 14, status: 'approved', reason: 'attributed', revenue: '4.0000', payout: '1.0000' });
  });

  it('waits for a click that arrives after its conversion', async () => {
    const [click, conversion] = scenario();
    await harness.publishConversions([conversion]);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await harness.conversions([conversion.conversionId])).size).toBe(0);
    await harness.publishClicks([click]);
    const row = (await harness.booked([conversion.conversionId])).get(conversion.conversionId);
    expect(row).toMatchObject({ click_id: click.clickId, status: 'approved', reason: 'attributed' });
  });

  describe('promo codes', () => {
    const coupon = (conversion: Partial<ConversionV1> = {}) =>
      scenario({ affiliateId: 7 }, { couponCode: 'save10', amount: '80.00', orderId: `P-${newId()}`, ...conversion });

    it("books a code without a click to the code's affiliate, with its payout override and no click", async () => {
      const [, conversion] = coupon({ clickId: null });
      await harness.publishConversions([conversion]);
      const row = (await harness.booked([conversion.conversionId])).get(conversion.conversionId);
      expect(row).toMatchObject({ click_id: null, offer_id: 10, affiliate_id: 8, reason: 'coupon', payout: '4.0000', coupon_code: 'SAVE10' });
    });

    it('lets the click win when it is found, and the code when the click never comes', async () => {
      const [click, withClick] = coupon();
      const [, lostClick] = coupon();
      await harness.publishClicks([click]);
      await harness.publishConversions([withClick, lostClick]);
      const rows = await harness.booked([withClick.conversionId, lostClick.conversionId]);
      expect(rows.get(withClick.conversionId)).toMatchObject({ click_id: click.clickId, affiliate_id: 7, reason: 'attributed', coupon_code: 'SAVE10' });
      // After the retry wait (CONVERSION_RETRY_MAX_MS), the code still says whose sale it was.
      expect(rows.get(lostClick.conversionId)).toMatchObject({ click_id: null, reported_click_id: lostClick.clickId, affiliate_id: 8, reason: 'coupon' });
    });

    it('rejects a code nobody holds, and one whose affiliate may not run its offer, with no money', async () => {
      const [, unknown] = coupon({ clickId: null, couponCode: 'NOBODY' });
      const [, notApproved] = coupon({ clickId: null, couponCode: 'nope' });
      await harness.publishConversions([unknown, notApproved]);
      const rows = await harness.booked([unknown.conversionId, notApproved.conversionId]);
      expect(rows.get(unknown.conversionId)).toMatchObject({ affiliate_id: null, status: 'rejected', reason: 'coupon_not_found', payout: '0.0000', coupon_code: 'NOBODY' });
      expect(rows.get(notApproved.conversionId)).toMatchObject({ affiliate_id: null, status: 'rejected', reason: 'coupon_not_allowed', coupon_code: 'nope' });
    });
  });

  describe('status changes', () => {
    async function booked(goal: string | null): Promise<ConversionV1> {
      const [click, conversion] = scenario({}, { goal });
      await harness.publishClicks([click]);
      await harness.publishConversions([conversion]);
      await harness.booked([conversion.conversionId]);
      return conversion;
    }

    const entries = async (conversionId: string) =>
      (
        await harness.pool.query(
          `SELECT event_id, kind, state, account, amount::text FROM ledger_entries WHERE conversion_id = $1 ORDER BY id`,
          [conversionId],
        )
      ).rows.map((row) => `${row.event_id === conversionId ? 'decision' : 'change'} ${row.kind} ${row.state} ${row.account} ${row.amount}`);

    it('releases pending money when the advertiser approves, and publishes the change with both statuses', async () => {
      const conversion = await booked('trial');
      const approve = statusChangeFixture(conversion, 'approved');
      await harness.publishConversions([approve]);
      const [event] = await harness.eventsFor([approve.eventId]);
      expect(event).toMatchObject({
        kind: 'status_change',
        status: 'approved',
        previousStatus: 'pending',
        reason: 'approved_by_advertiser',
        revenue: '5.0000',
        payout: '2.0000',
      });
      expect(await entries(conversion.conversionId)).toEqual([
        'decision booking pending advertiser_receivable 5.0000',
        'decision booking pending affiliate_payable -2.0000',
        'decision booking pending network_margin -3.0000',
        'change reversal pending advertiser_receivable -5.0000',
        'change reversal pending affiliate_payable 2.0000',
        'change reversal pending network_margin 3.0000',
        'change release approved advertiser_receivable 5.0000',
        'change release approved affiliate_payable -2.0000',
        'change release approved network_margin -3.0000',
      ]);
    });

    it('reverses approved money on a refund after payout, and ignores what comes after', async () => {
      const conversion = await booked(null);
      const refund = statusChangeFixture(conversion, 'refunded');
      const approveAgain = statusChangeFixture(conversion, 'approved');
      await harness.publishConversions([refund, approveAgain]);
      const [event] = await harness.eventsFor([refund.eventId]);
      expect(event).toMatchObject({ status: 'refunded', previousStatus: 'approved', reason: 'refunded_by_advertiser' });
      await waitFor(async () => (await entries(conversion.conversionId)).length === 6);
      expect((await entries(conversion.conversionId)).slice(3)).toEqual([
        'change reversal approved advertiser_receivable -5.0000',
        'change reversal approved affiliate_payable 3.0000',
        'change reversal approved network_margin 2.0000',
      ]);
      const { rows } = await harness.pool.query('SELECT from_status, to_status FROM conversion_status_changes WHERE conversion_id = $1', [
        conversion.conversionId,
      ]);
      expect(rows).toEqual([{ from_status: 'approved', to_status: 'refunded' }]);
      expect(harness.events.some((each) => each.eventId === approveAgain.eventId)).toBe(false);
    });

    it('reverses pending money when the advertiser rejects', async () => {
      const conversion = await booked('trial');
      const reject = statusChangeFixture(conversion, 'rejected');
      await harness.publishConversions([reject]);
      await harness.eventsFor([reject.eventId]);
      expect((await entries(conversion.conversionId)).filter((line) => line.startsWith('change'))).toEqual([
        'change reversal pending advertiser_receivable -5.0000',
        'change reversal pending affiliate_payable 2.0000',
        'change reversal pending network_margin 3.0000',
      ]);
    });

    it('waits for the conversion a status change names', async () => {
      const [click, conversion] = scenario({}, { goal: 'trial' });
      const approve = statusChangeFixture(conversion, 'approved');
      await harness.publishConversions([approve]);
      await harness.publishClicks([click]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await harness.publishConversions([conversion]);
      const [event] = await harness.eventsFor([approve.eventId]);
      expect(event).toMatchObject({ status: 'approved', previousStatus: 'pending' });
    });

    it("dead-letters a change of another advertiser's conversion, and of a conversion that never came", async () => {
      const conversion = await booked(null);
      const foreign = { ...statusChangeFixture(conversion, 'rejected'), advertiserId: 2 };
      const orphan = statusChangeFixture(conversionFixture(clickFixture()), 'approved');
      await harness.publishConversions([foreign, orphan]);
      const letters = await waitFor(
        () => {
          const found = harness.deadLetters.filter((letter) => letter.key === foreign.clickId || letter.key === orphan.clickId);
          return found.length === 2 ? found : undefined;
        },
        { timeoutMs: 15_000, what: 'two dead letters' },
      );
      expect(letters.map((letter) => letter.headers[DEAD_LETTER_HEADERS.error]).sort()).toEqual([
        `advertiserId: conversion ${conversion.conversionId} belongs to another advertiser`,
        `conversionId: no conversion ${orphan.conversionId} was booked`,
      ]);
      expect(await entries(conversion.conversionId)).toHaveLength(3);
    });
  });

  describe('a partner that sends no order id', () => {
    it('changes the conversion of the click and goal with later statuses, and books no second conversion', async () => {
      const [click, lead] = scenario({}, { status: 'pending' });
      await harness.publishClicks([click]);
      await harness.publishConversions([lead]);
      await harness.booked([lead.conversionId]);
      const later = (status: ConversionV1['status']) => conversionFixture(click, { receivedAt: new Date(NOW).toISOString(), status });
      const [sale, repeat, rejection] = [later('approved'), later(null), later('rejected')];
      await harness.publishConversions([sale, repeat, rejection]);

      const events = await harness.eventsFor([sale.eventId, rejection.eventId]);
      expect(events.map((event) => [event.kind, event.conversionId, event.previousStatus, event.status])).toEqual([
        ['status_change', lead.conversionId, 'pending', 'approved'],
        ['status_change', lead.conversionId, 'approved', 'rejected'],
      ]);
      const { rows: conversions } = await harness.pool.query('SELECT conversion_id FROM conversions WHERE click_id = $1', [click.clickId]);
      expect(conversions).toEqual([{ conversion_id: lead.conversionId }]);
      const { rows: changes } = await harness.pool.query(
        'SELECT event_id, from_status, to_status FROM conversion_status_changes WHERE conversion_id = $1 ORDER BY seq',
        [lead.conversionId],
      );
      expect(changes).toEqual([
        { event_id: sale.eventId, from_status: 'pending', to_status: 'approved' },
        { event_id: rejection.eventId, from_status: 'approved', to_status: 'rejected' },
      ]);
      // The repeat changed nothing and told nobody.
      expect(harness.events.some((event) => event.eventId === repeat.eventId || event.conversionId === repeat.conversionId)).toBe(false);
      const { rows: money } = await harness.pool.query('SELECT sum(amount)::text AS total FROM ledger_entries WHERE conversion_id = $1 AND account = $2', [
        lead.conversionId,
        'advertiser_receivable',
      ]);
      expect(money).toEqual([{ total: '0.0000' }]);
    });
  });

  it('dead-letters unreadable and invalid messages, stores text PostgreSQL would refuse repaired, and books the rest of the batch', async () => {
    const [click, good] = scenario();
    const badClick = clickFixture({ userAgent: 'bad\u0000agent' });
    const futureClick = clickFixture({ at: Date.now() + 2 * DAY });
    const repaired = conversionFixture(click, { advSub1: 'nul\u0000byte', goal: 'install' });
    await harness.publishClicks([click, badClick, futureClick]);
    await waitFor(async () => (await harness.pool.query('SELECT 1 FROM clicks WHERE click_id = $1', [click.clickId])).rowCount === 1);
    const key = newId();
    await harness.publishRaw('conversions', key, '{"v":1,"kind":"conversion"');
    await harness.publishConversions([repaired, good]);
    await harness.booked([good.conversionId, repaired.conversionId]);
    const letters = await waitFor(
      () => {
        const found = harness.deadLetters.filter((letter) => [key, futureClick.clickId].includes(letter.key ?? ''));
        return found.length === 2 ? found : undefined;
      },
      { what: 'two dead letters' },
    );
    const errors = Object.fromEntries(letters.map((letter) => [letter.key === key ? 'unreadable' : 'future click', letter.headers[DEAD_LETTER_HEADERS.error]]));
    expect(errors).toEqual({
      unreadable: 'unreadable message: $: value is not valid JSON',
      'future click': 'clickId: its time is more than a day in the future',
    });
    // A NUL byte (which PostgreSQL refuses) does not cost a redirected click or a conversion: both are stored without it.
    const { rows: clicks } = await harness.pool.query('SELECT user_agent FROM clicks WHERE click_id = $1', [badClick.clickId]);
    expect(clicks).toEqual([{ user_agent: 'badagent' }]);
    const { rows: conversions } = await harness.pool.query('SELECT adv_sub1 FROM conversions WHERE conversion_id = $1', [repaired.conversionId]);
    expect(conversions).toEqual([{ adv_sub1: 'nulbyte' }]);
    expect(harness.deadLetters.filter((letter) => [badClick.clickId, repaired.clickId].includes(letter.key ?? ''))).toEqual([]);
  });

  it('keeps the books: every event balances and the ledger equals the conversions table', async () => {
    const books = await checkBooks(harness.pool);
    expect(books.unbalancedEvents).toEqual([]);
    expect(books.mismatches).toEqual([]);
    expect(books.totals.ledger).toEqual(books.totals.conversions);
    expect(Object.keys(books.totals.ledger).sort()).toEqual([
      'approved:advertiser_receivable',
      'approved:affiliate_payable',
      'approved:network_margin',
      'pending:advertiser_receivable',
      'pending:affiliate_payable',
      'pending:network_margin',
    ]);
  });
});
