-- Retention per data family as network settings (issue 19, privacy): how long the maintenance jobs keep
-- each family. NULL: the service's own default (CLICK_RETENTION_DAYS, POSTBACK_LOG_RETENTION_DAYS,
-- REPORTING_RAW_RETENTION_MONTHS; receipts: kept for ever). Management checks click retention against the
-- offers' attribution windows when either is set, and receipts are kept at least 30 days (the longest replay
-- window); attribution never drops a click an offer can still convert, whatever is set.
ALTER TABLE network_settings
  ADD COLUMN click_retention_days integer CHECK (click_retention_days BETWEEN 1 AND 3650),
  ADD COLUMN receipt_retention_days integer CHECK (receipt_retention_days BETWEEN 30 AND 3650),
  ADD COLUMN postback_log_retention_days integer CHECK (postback_log_retention_days BETWEEN 1 AND 3650),
  ADD COLUMN raw_report_retention_months integer CHECK (raw_report_retention_months BETWEEN 1 AND 120);

-- The receipts purge walks them by age.
CREATE INDEX postback_receipts_received_idx ON postback_receipts (received_at);
