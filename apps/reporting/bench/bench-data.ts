import { Pool } from 'pg';

/** The shape of a generated network: sizes and the period its traffic covers. */
export interface BenchShape {
  clicks: number;
  conversions: number;
  days: number;
  advertisers: number;
  offers: number;
  affiliates: number;
  /** End of the period (exclusive), a UTC midnight. */
  end: Date;
}

const CHUNK = 1_000_000;

/**
 * Writes a network's catalogue and its raw clicks and conversions straight
 * into the tables with generate_series: clicks spread evenly over the period,
 * offers and affiliates skewed (a few big ones, a long tail), a sub1 with tens
 * of thousands of values, ten countries weighted towards the first ones.
 * Rollups are built afterwards from these rows (rebuildRollups).
 */
export async function loadBenchData(pool: Pool, shape: BenchShape, progress: (message: string) => void): Promise<void> {
  const start = new Date(shape.end.getTime() - shape.days * 86_400_000);
  // Conversions may land up to six hours after their click, still before the end.
  await pool.query(`SELECT reporting_ensure_raw_partitions(array(SELECT generate_series($1::timestamptz, $2::timestamptz, interval '1 day')))`, [
    start,
    shape.end,
  ]);
  await pool.query(`INSERT INTO advertisers (id, name, postback_token) SELECT g, 'Advertiser ' || g, 'bench-token-' || g FROM generate_series(1, $1::int) g`, [
    shape.advertisers,
  ]);
  await pool.query(
    `INSERT INTO offers (id, advertiser_id, name, destination_url, currency)
     SELECT g, 1 + (g - 1) % $1::int, 'Offer ' || g, 'https://advertiser.example/?c={click_id}', CASE WHEN g % 10 = 0 THEN 'EUR' ELSE 'USD' END
     FROM generate_series(1, $2::int) g`,
    [shape.advertisers, shape.offers],
  );
  await pool.query(`INSERT INTO goals (id, offer_id, code, name, is_default) SELECT g, g, 'sale', 'Sale', true FROM generate_series(1, $1::int) g`, [
    shape.offers,
  ]);
  await pool.query(`INSERT INTO affiliates (id, name) SELECT g, 'Affiliate ' || g FROM generate_series(1, $1::int) g`, [shape.affiliates]);
  for (let from = 1; from <= shape.clicks; from += CHUNK) {
    const to = Math.min(from + CHUNK - 1, shape.clicks);
    await pool.query(
      `INSERT INTO rep_clicks (click_id, occurred_at, advertiser_id, offer_id, affiliate_id, currency, sub1, sub2, source, country, device,
         is_unique, is_invalid, flags, disposition, ip, user_agent)
       SELECT lpad(to_hex(s.g), 30, '0'),
              $1::timestamptz + (s.g - 1) * ($2::timestamptz - $1::timestamptz) / $3::bigint,
              1 + (d.offer_id - 1) % $6::int, d.offer_id, d.affiliate_id,
              CASE WHEN d.offer_id % 10 = 0 THEN 'EUR' ELSE 'USD' END,
              'p' || floor(random() * 20000)::int,
              CASE WHEN random() < 0.5 THEN NULL ELSE 'c' || floor(random() * 10)::int END,
              's' || floor(random() ^ 2 * 30)::int,
              (ARRAY['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'CA', 'AU', 'ES', 'IT'])[1 + floor(random() ^ 2 * 10)::int],
              (ARRAY['mobile', 'desktop', 'tablet'])[1 + floor(random() ^ 2 * 3)::int],
              random() < 0.8, s.bot, CASE WHEN s.bot THEN '{bot}'::text[] ELSE '{}'::text[] END, 'accepted',
              '198.51.100.' || (s.g % 250), 'Mozilla/5.0 (bench)'
       FROM (SELECT g, random() < 0.03 AS bot, random() AS r1, random() AS r2 FROM generate_series($4::bigint, $5::bigint) g) s
       CROSS JOIN LATERAL (SELECT 1 + floor(s.r1 ^ 2 * $7::int)::int AS offer_id, 1 + floor(s.r2 ^ 2 * $8::int)::int AS affiliate_id) d`,
      [start, shape.end, shape.clicks, from, to, shape.advertisers, shape.offers, shape.affiliates],
    );
    progress(`clicks ${to.toLocaleString('en')} / ${shape.clicks.toLocaleString('en')}`);
  }
  await pool.query(
    `INSERT INTO rep_conversions (conversion_id, click_id, advertiser_id, offer_id, affiliate_id, goal_id, goal_code, status, reason,
       revenue, payout, currency, clicked_at, converted_at, first_decided_at, last_decided_at, sub1, sub2, source, country, device, last_event_id)
     SELECT 'cv' || c.click_id, c.click_id, c.advertiser_id, c.offer_id, c.affiliate_id, c.offer_id, 'sale', x.status, 'bench',
            x.revenue, round(x.revenue * 0.7, 4), c.currency, c.occurred_at, x.converted_at, x.converted_at, x.converted_at,
            c.sub1, c.sub2, c.source, c.country, c.device, 'cv' || c.click_id
     FROM (SELECT g, random() AS r, random() AS amount, random() AS delay FROM generate_series(1, $1::bigint, $2::bigint) g) s
     JOIN rep_clicks c ON c.click_id = lpad(to_hex(s.g), 30, '0')
     CROSS JOIN LATERAL (
       SELECT CASE WHEN s.r < 0.8 THEN 'approved' WHEN s.r < 0.9 THEN 'pending' WHEN s.r < 0.97 THEN 'rejected' ELSE 'refunded' END AS status,
              round((1 + s.amount * 99)::numeric, 4) AS revenue,
              least(c.occurred_at + s.delay * interval '6 hours', $3::timestamptz - interval '1 millisecond') AS converted_at
     ) x`,
    [shape.clicks, Math.max(1, Math.floor(shape.clicks / shape.conversions)), shape.end],
  );
  progress('conversions');
}
