-- Promo-code attribution (issue 19): a code an affiliate hands out stands in for a click. A postback
-- that carries the code (coupon_code, promo_code, coupon, …) and no click id is attributed to the code's
-- affiliate; with both, the offer's coupon_precedence says which wins.
--
-- A code belongs to one affiliate, on one offer or network-wide (offer_id NULL: any offer of the
-- posting advertiser the affiliate may run). code is kept as entered; code_key is its matching form
-- (NFC, lower case), written by management. A code is unique per advertiser among offer codes, and
-- among network-wide codes; an offer code shadows a network-wide code of the same key.
CREATE TABLE coupon_codes (
  id            serial PRIMARY KEY,
  code          text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  -- No upper bound: lower-casing may lengthen a code ('İ' becomes two code points).
  code_key      text NOT NULL CHECK (length(code_key) >= 1),
  affiliate_id  integer NOT NULL REFERENCES affiliates (id),
  offer_id      integer REFERENCES offers (id),
  -- The offer's advertiser (NULL with the offer), so codes are unique per advertiser.
  advertiser_id integer REFERENCES advertisers (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT coupon_codes_scope CHECK ((offer_id IS NULL) = (advertiser_id IS NULL))
);
CREATE UNIQUE INDEX coupon_codes_advertiser_key ON coupon_codes (advertiser_id, code_key) WHERE advertiser_id IS NOT NULL;
CREATE UNIQUE INDEX coupon_codes_network_key ON coupon_codes (code_key) WHERE advertiser_id IS NULL;
CREATE INDEX coupon_codes_affiliate_idx ON coupon_codes (affiliate_id);
CREATE INDEX coupon_codes_offer_idx ON coupon_codes (offer_id);

-- When a postback carries a click id and a code of this offer: 'click' (the click's affiliate; the code's
-- only when the click cannot be found) or 'coupon' (the code's affiliate).
ALTER TABLE offers ADD COLUMN coupon_precedence text NOT NULL DEFAULT 'click'
  CHECK (coupon_precedence IN ('click', 'coupon'));

-- A conversion posted with a code and no click id has no click.
ALTER TABLE postback_receipts ALTER COLUMN click_id DROP NOT NULL;

-- The code a conversion was posted with (as posted), whoever it was attributed to.
ALTER TABLE conversions ADD COLUMN coupon_code text;
ALTER TABLE rep_conversions ADD COLUMN coupon_code text;
