import { issueApiKey } from '@tracklane/api-keys';
import { AttributionStatus, AttributionV1, ClickV1, EventContract, attributionsV1, clicksV1, newId, topicNames } from '@tracklane/contracts';
import { TestStack, waitFor } from '@tracklane/testing';
import Decimal from 'decimal.js';
import { Partitioners, Producer } from 'kafkajs';
import { Pool } from 'pg';

/** The catalogue every reporting test shares: two advertisers, three offers (one in EUR), two affiliates. */
export const CATALOG = `
  INSERT INTO advertisers (id, name, postback_token) VALUES (1, 'Acme', 'tok-1'), (2, 'Globex', 'tok-2');
  INSERT INTO offers (id, advertiser_id, name, destination_url, currency) VALUES
    (10, 1, 'Acme Shoes', 'https://acme.example', 'USD'),
    (11, 1, 'Acme Hats', 'https://acme.example', 'USD'),
    (20, 2, 'Globex Loans', 'https://globex.example', 'EUR');
  INSERT INTO goals (id, offer_id, code, name, is_default) VALUES
    (100, 10, 'sale', 'Sale', true), (101, 10, 'lead', 'Lead', false), (110, 11, 'sale', 'Sale', true), (200, 20, 'loan', 'Loan', true);
  INSERT INTO affiliates (id, name) VALUES (7, 'Pub Seven'), (8, 'Pub Eight');
`;

export function click(at: string, overrides: Partial<ClickV1> = {}): ClickV1 {
  return {
    v: 1,
    clickId: newId(Date.parse(at)),
    occurredAt: at,
    offerId: 10,
    advertiserId: 1,
    affiliateId: 7,
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: null,
    affClickId: null,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    referrer: null,
    country: 'US',
    device: 'mobile',
    unique: true,
    flags: [],
    disposition: 'accepted',
    params: {},
    ...overrides,
  };
}

/** A first decision, as attribution publishes it for a conversion of `clicked`. */
export function decision(clicked: ClickV1, convertedAt: string, money: { revenue: string; payout: string; status?: AttributionStatus; goalId?: number; currency?: string }): AttributionV1 {
  const conversionId = newId(Date.parse(convertedAt));
  return {
    v: 1,
    kind: 'decision',
    eventId: conversionId,
    conversionId,
    clickId: clicked.clickId,
    advertiserId: clicked.advertiserId,
    offerId: clicked.offerId,
    affiliateId: clicked.affiliateId,
    goalId: money.goalId ?? 100,
    goalCode: 'sale',
    status: money.status ?? 'approved',
    previousStatus: null,
    reason: 'attributed',
    revenue: money.revenue,
    payout: money.payout,
    currency: money.currency ?? 'USD',
    saleAmount: null,
    orderId: `order-${conversionId.slice(-6)}`,
    clickAt: clicked.occurredAt,
    convertedAt,
    decidedAt: convertedAt,
    sub1: clicked.sub1,
    sub2: clicked.sub2,
    sub3: clicked.sub3,
    sub4: clicked.sub4,
    sub5: clicked.sub5,
    source: clicked.source,
    affClickId: clicked.affClickId,
    country: clicked.country,
    device: clicked.device,
  };
}

/** A later status change of the same conversion (full amounts, as attribution sends them). */
export function statusChange(of: AttributionV1, status: AttributionStatus, decidedAt: string): AttributionV1 {
  return { ...of, kind: 'status_change', eventId: newId(Date.parse(decidedAt)), previousStatus: of.status, status, reason: `changed_to_${status}`, decidedAt };
}

export class Publisher {
  private constructor(
    private readonly producer: Producer,
    private readonly prefix: string,
  ) {}

  static async connect(stack: TestStack): Promise<Publisher> {
    const producer = stack.topics.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    return new Publisher(producer, stack.topics.prefix);
  }

  async publish<T extends { v: number }>(contract: EventContract<T>, values: T[]): Promise<void> {
    await this.producer.send({
      topic: topicNames(contract as EventContract<unknown>, this.prefix).main,
      acks: -1,
      messages: values.map((value) => ({ key: contract.keyOf(value), value: contract.encode(value) })),
    });
  }

  clicks(values: ClickV1[]): Promise<void> {
    return this.publish(clicksV1, values);
  }

  attributions(values: AttributionV1[]): Promise<void> {
    return this.publish(attributionsV1, values);
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

export async function storeApiKey(pool: Pool, role: 'admin' | 'advertiser' | 'affiliate', id: number | null = null, readOnly = true): Promise<string> {
  const issued = issueApiKey();
  await pool.query(
    `INSERT INTO api_keys (key_prefix, key_hash, name, role, advertiser_id, affiliate_id, read_only) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [issued.prefix, issued.hash, `${role} ${id ?? ''}`, role, role === 'advertiser' ? id : null, role === 'affiliate' ? id : null, readOnly],
  );
  return issued.key;
}

/** Waits until the read model holds this many clicks and attribution events. */
export async function projected(pool: Pool, expected: { clicks: number; events: number }): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await pool.query(
        'SELECT (SELECT count(*) FROM rep_clicks)::int AS clicks, (SELECT count(*) FROM rep_attribution_events)::int AS events',
      );
      return rows[0].clicks === expected.clicks && rows[0].events === expected.events;
    },
    { timeoutMs: 90_000, what: `read model with ${expected.clicks} clicks and ${expected.events} events` },
  );
}

/**
 * Books a decision or a status change in attribution's tables exactly as
 * attribution does (tests own both sides while attribution is built in parallel).
 */
export async function book(pool: Pool, event: AttributionV1, changedFrom?: AttributionStatus): Promise<void> {
  const legs = (state: 'approved' | 'pending', sign: 1 | -1, kind: string, eventId: string) => {
    const revenue = new Decimal(event.revenue).times(sign);
    const payout = new Decimal(event.payout).times(sign);
    return [
      [event.conversionId, eventId, 'advertiser_receivable', state, kind, revenue.toFixed(4), event.currency],
      [event.conversionId, eventId, 'affiliate_payable', state, kind, payout.negated().toFixed(4), event.currency],
      [event.conversionId, eventId, 'network_margin', state, kind, revenue.minus(payout).negated().toFixed(4), event.currency],
    ];
  };
  const held = (status: AttributionStatus | undefined) => (status === 'approved' || status === 'pending' ? status : null);
  let entries: unknown[][] = [];
  if (event.kind === 'decision') {
    await pool.query(
      `INSERT INTO conversions (conversion_id, click_id, advertiser_id, offer_id, affiliate_id, goal_id, goal_code, order_id, status, reason,
         revenue, payout, currency, clicked_at, converted_at, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        event.conversionId, event.clickId, event.advertiserId, event.offerId, event.affiliateId, event.goalId, event.goalCode, event.orderId,
        event.status, event.reason, event.revenue, event.payout, event.currency, event.clickAt, event.convertedAt, event.decidedAt,
      ],
    );
    const state = held(event.status);
    if (state) entries = legs(state, 1, 'booking', event.conversionId);
  } else {
    await pool.query(
      `INSERT INTO conversion_status_changes (event_id, conversion_id, from_status, to_status, reason, changed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [event.eventId, event.conversionId, changedFrom, event.status, event.reason, event.decidedAt],
    );
    const reverse = held(changedFrom);
    const into = held(event.status);
    entries = [...(reverse ? legs(reverse, -1, 'reversal', event.eventId) : []), ...(into ? legs(into, 1, 'release', event.eventId) : [])];
  }
  for (const entry of entries) {
    await pool.query(
      `INSERT INTO ledger_entries (conversion_id, event_id, account, state, kind, amount, currency) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      entry,
    );
  }
}

export async function getJson<T = Record<string, unknown>>(url: string, key?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { headers: key ? { 'x-api-key': key } : {} });
  return { status: response.status, body: (await response.json()) as T };
}
