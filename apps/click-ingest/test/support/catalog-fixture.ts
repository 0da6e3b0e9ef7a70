import { Pool } from 'pg';

export const DESTINATION =
  'https://shop.example/land?cid={click_id}&tid={transaction_id}&o={offer_id}&a={aff_id}&adv={advertiser_id}' +
  '&s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}&src={source}&acid={aff_click_id}&ts={timestamp}&x={no_such_macro}';
export const OFFER_FALLBACK = 'https://fallback.example/offer?cid={click_id}&s1={sub1}';
export const NETWORK_FALLBACK = 'https://network.example/fallback?cid={click_id}&o={offer_id}';

/**
 * A small network with one of everything the redirect decides on:
 *
 * offers   10 approval required, with a fallback     11 public, no fallback
 *          12 paused, with a fallback                13 active but past its expiry date
 *          14 status expired                          15 of a paused advertiser
 *          16 archived                                17 destination with spaces and a tab
 * affiliates 7 approved on 10 · 8 active, application pending on 10 · 9 suspended · 20 blocked on 11
 */
const sql = (text: string) => `'${text.replace(/'/g, "''")}'`;

export async function seedCatalog(databaseUrl: string): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl });
  try {
    await pool.query(`
      UPDATE network_settings SET default_fallback_url = ${sql(NETWORK_FALLBACK)};
      INSERT INTO advertisers (id, name, postback_token, status) VALUES
        (1, 'Acme', 'tok-acme', 'active'), (2, 'Dormant', 'tok-dormant', 'paused');
      INSERT INTO offers (id, advertiser_id, name, status, visibility, destination_url, fallback_url, expires_at) VALUES
        (10, 1, 'Shoes', 'active', 'approval_required', ${sql(DESTINATION)}, ${sql(OFFER_FALLBACK)}, NULL),
        (11, 1, 'Public', 'active', 'public', 'https://shop.example/public?cid={click_id}', NULL, NULL),
        (12, 1, 'Paused', 'paused', 'public', 'https://shop.example/paused', ${sql(OFFER_FALLBACK)}, NULL),
        (13, 1, 'Past date', 'active', 'public', 'https://shop.example/late', NULL, now() - interval '1 day'),
        (14, 1, 'Expired', 'expired', 'public', 'https://shop.example/expired', NULL, NULL),
        (15, 2, 'Dormant', 'active', 'public', 'https://dormant.example/', NULL, NULL),
        (16, 1, 'Archived', 'archived', 'public', 'https://shop.example/archived', NULL, NULL),
        (17, 1, 'Sloppy', 'active', 'public', E'https://shop.example/a b\\tc?cid={click_id}&name=Ärger', NULL, NULL);
      INSERT INTO affiliates (id, name, status) VALUES
        (7, 'Approved', 'active'), (8, 'Applicant', 'active'), (9, 'Suspended', 'suspended'), (20, 'Blocked', 'active');
      INSERT INTO offer_affiliates (offer_id, affiliate_id, status) VALUES
        (10, 7, 'approved'), (10, 8, 'pending'), (10, 9, 'approved'), (11, 20, 'blocked');
    `);
  } finally {
    await pool.end();
  }
}
