-- Rollup indexes in the order reports page through them: time, then the
-- dimension grouped by, then currency. A report grouped by hour (or day) and
-- one dimension, sorted by its group keys (the default), reads one rollup at
-- its own grain; with these Postgres walks the index in the report's order,
-- sums as it goes and stops after the page, instead of summing and sorting
-- every group of the range to return the first thousand. Offer and affiliate
-- are what dashboards group by; the other levels keep only their primary keys.
CREATE INDEX rep_hourly_offer_order_idx ON rep_hourly_offer (hour, offer_id, currency);
CREATE INDEX rep_daily_offer_order_idx ON rep_daily_offer (zone, day, offer_id, currency);
CREATE INDEX rep_hourly_affiliate_order_idx ON rep_hourly_affiliate (hour, affiliate_id, currency);
CREATE INDEX rep_daily_affiliate_order_idx ON rep_daily_affiliate (zone, day, affiliate_id, currency);

-- The planner takes the page's walk only if it knows the range holds more
-- groups than the page: without these it guesses a tenth of the rows (900
-- day × offer groups for 90 days of 100 offers, not 9000), sums them all in a
-- hash and sorts them. ANALYZE (autovacuum) fills them in.
CREATE STATISTICS rep_hourly_offer_order_stats (ndistinct) ON hour, offer_id, currency FROM rep_hourly_offer;
CREATE STATISTICS rep_daily_offer_order_stats (ndistinct) ON day, offer_id, currency FROM rep_daily_offer;
CREATE STATISTICS rep_hourly_affiliate_order_stats (ndistinct) ON hour, affiliate_id, currency FROM rep_hourly_affiliate;
CREATE STATISTICS rep_daily_affiliate_order_stats (ndistinct) ON day, affiliate_id, currency FROM rep_daily_affiliate;
