-- Rollup money sums as numeric(38, 0) instead of bigint (owner: reporting).
--
-- A rollup row sums every conversion of its key: one amount can reach the
-- postback bound (max_postback_amount, numeric(18, 4): up to 10^14), which is
-- 10^18 in ten-thousandths, so a bigint (9.2 × 10^18) overflowed after ten such
-- conversions in one row. 38 digits hold 10^20 of them; the *_e4 columns still
-- hold whole ten-thousandths, exact.

ALTER TABLE rep_hourly_conversion
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_hourly_offer
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_hourly_affiliate
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_hourly_offer_affiliate
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_hourly_offer_geo
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_hourly_offer_affiliate_geo
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_hourly_full
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_daily_conversion
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_daily_offer
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_daily_affiliate
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_daily_offer_affiliate
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_daily_offer_geo
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_daily_offer_affiliate_geo
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
ALTER TABLE rep_daily_full
  ALTER COLUMN approved_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_revenue_e4 TYPE numeric(38, 0),
  ALTER COLUMN approved_payout_e4 TYPE numeric(38, 0),
  ALTER COLUMN pending_payout_e4 TYPE numeric(38, 0);
