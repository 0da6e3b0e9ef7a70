import { attributionsV1, AttributionV1, newId } from '@tracklane/contracts';
import { TestStack, waitFor } from '@tracklane/testing';
import { Producer } from 'kafkajs';
import { Pool } from 'pg';

/** Settings that make retries, pauses and polls take milliseconds instead of minutes. */
export const FAST_DISPATCH_ENV = {
  // Test receivers listen on whatever loopback port is free; production lists exact ports.
  POSTBACK_ALLOWED_TARGETS: 'http://127.0.0.1:*',
  POSTBACK_TIMEOUT_MS: '1500',
  POSTBACK_MAX_ATTEMPTS: '4',
  POSTBACK_RETRY_BASE_MS: '100',
  POSTBACK_RETRY_MAX_MS: '400',
  POSTBACK_PER_HOST_CONCURRENCY: '4',
  POSTBACK_PAUSE_AFTER_FAILURES: '50',
  POSTBACK_PAUSE_MS: '1000',
  POSTBACK_POLL_MS: '100',
  LOG_LEVEL: 'error',
};

export const OFFER_ID = 10;

/** An advertiser and one offer, enough for attributions to point at. */
export async function seedOffer(pool: Pool): Promise<void> {
  await pool.query(`
    INSERT INTO advertisers (id, name, postback_token) VALUES (1, 'Acme', 'tok-acme');
    INSERT INTO offers (id, advertiser_id, name, destination_url) VALUES (${OFFER_ID}, 1, 'Shoes', 'https://acme.example/?c={click_id}');
  `);
}

export interface AffiliateSettings {
  url: string | null;
  method?: 'GET' | 'POST';
  statuses?: string[];
  secret?: string | null;
}

export async function createAffiliate(pool: Pool, settings: AffiliateSettings): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO affiliates (name, postback_url, postback_method, postback_statuses, postback_secret)
     VALUES ('Publisher', $1, $2, $3, $4) RETURNING id`,
    [settings.url, settings.method ?? 'GET', settings.statuses ?? ['approved'], settings.secret ?? null],
  );
  return rows[0].id;
}

/** A conversion decided by attribution, paying the affiliate; revenue is deliberately recognisable. */
export function decision(affiliateId: number, overrides: Partial<AttributionV1> = {}): AttributionV1 {
  return {
    v: 1,
    kind: 'decision',
    eventId: newId(),
    conversionId: newId(),
    clickId: newId(),
    advertiserId: 1,
    offerId: OFFER_ID,
    affiliateId,
    goalId: null,
    goalCode: 'sale',
    status: 'approved',
    previousStatus: null,
    reason: 'attributed',
    revenue: '987.6543',
    payout: '12.5000',
    currency: 'EUR',
    saleAmount: '4321.0000',
    orderId: 'ORDER-77',
    clickAt: '2026-11-28T10:00:00.000Z',
    convertedAt: '2026-11-28T10:05:00.000Z',
    decidedAt: '2026-11-28T10:05:01.000Z',
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: null,
    affClickId: null,
    country: null,
    device: null,
    ...overrides,
  };
}

export async function publish(producer: Producer, stack: TestStack, attributions: AttributionV1[]): Promise<void> {
  await producer.send({
    topic: `${stack.topics.prefix}${attributionsV1.topic}`,
    messages: attributions.map((attribution) => ({ key: attributionsV1.keyOf(attribution), value: attributionsV1.encode(attribution) })),
  });
}

export interface DeliveryRow {
  delivery_key: string;
  state: string;
  attempts: number;
  url_masked: string;
  method: string;
  last_status_code: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
  delivered_at: Date | null;
}

export async function deliveryRows(pool: Pool, affiliateId: number): Promise<DeliveryRow[]> {
  const { rows } = await pool.query<DeliveryRow>(
    'SELECT * FROM postback_deliveries WHERE affiliate_id = $1 ORDER BY delivery_key',
    [affiliateId],
  );
  return rows;
}

/** Waits until the affiliate's deliveries number `count` and are all in one of `states`. */
export function waitForDeliveries(
  pool: Pool,
  affiliateId: number,
  count: number,
  states: string[],
  timeoutMs = 20_000,
): Promise<DeliveryRow[]> {
  return waitFor(
    async () => {
      const rows = await deliveryRows(pool, affiliateId);
      return rows.length === count && rows.every((row) => states.includes(row.state)) && rows;
    },
    { timeoutMs, intervalMs: 50, what: `${count} deliveries of affiliate ${affiliateId} in ${states.join('/')}` },
  );
}
