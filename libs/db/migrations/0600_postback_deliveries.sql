-- Outbound postbacks to affiliates (owner: postback-dispatch; reader: reporting's
-- /v1/reports/postbacks). One row per conversion, status and target: the
-- delivery's current state, updated as attempts happen (this is an
-- operational log, not the books).
CREATE TABLE postback_deliveries (
  id               bigserial PRIMARY KEY,
  -- Also the Idempotency-Key sent to the receiver: stable across retries and restarts.
  delivery_key     text NOT NULL UNIQUE,
  conversion_id    text NOT NULL,
  -- The attributions.v1 event that asked for this postback.
  event_id         text NOT NULL,
  affiliate_id     integer NOT NULL,
  offer_id         integer,
  -- The conversion status the postback tells the affiliate about.
  status           text NOT NULL,
  method           text NOT NULL CHECK (method IN ('GET', 'POST')),
  -- The target with secrets (tokens, keys, signatures) masked.
  url_masked       text NOT NULL,
  state            text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'dead_lettered', 'refused')),
  attempts         integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error       text,
  last_latency_ms  integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz
);
CREATE INDEX postback_deliveries_affiliate_idx ON postback_deliveries (affiliate_id, created_at);
CREATE INDEX postback_deliveries_conversion_idx ON postback_deliveries (conversion_id);
CREATE INDEX postback_deliveries_state_idx ON postback_deliveries (state, updated_at) WHERE state IN ('pending', 'failed');
