-- Management API (owner of the catalogue tables from 0001): what it needs
-- beyond them.

-- The audit log is evidence of who changed what: once written, never changed.
CREATE FUNCTION refuse_audit_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_log_change();

-- "What did this key change?" and the per-tenant key lists.
CREATE INDEX audit_log_actor_idx ON audit_log (actor_key_id, id) WHERE actor_key_id IS NOT NULL;
CREATE INDEX api_keys_advertiser_idx ON api_keys (advertiser_id) WHERE advertiser_id IS NOT NULL;
CREATE INDEX api_keys_affiliate_idx ON api_keys (affiliate_id) WHERE affiliate_id IS NOT NULL;

-- Rules the API enforces, held by the database too, so no other writer can break them.
ALTER TABLE offers ADD CONSTRAINT offers_currency_code CHECK (currency ~ '^[A-Z]{3}$');
ALTER TABLE offers ADD CONSTRAINT offers_min_time_inside_window
  CHECK (min_click_to_conversion_seconds < attribution_window_seconds);
ALTER TABLE goals ADD CONSTRAINT goals_percent_at_most_100 CHECK (revenue_percent <= 100 AND payout_percent <= 100);
ALTER TABLE payout_overrides ADD CONSTRAINT payout_overrides_percent_at_most_100 CHECK (payout_percent <= 100);
