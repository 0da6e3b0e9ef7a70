-- The inbound postback log (owner: postback-ingest; read by reporting):
-- every postback the endpoint answered, accepted or refused, for
-- advertisers debugging their integration. Written in batches after the
-- answer (a full queue drops rows, never postbacks); rows older than
-- POSTBACK_LOG_RETENTION_DAYS are deleted by postback-ingest.
CREATE TABLE inbound_postbacks (
  -- A Tracklane id: sorts by the time it was received.
  id             text PRIMARY KEY,
  received_at    timestamptz NOT NULL,
  -- NULL: the request named no advertiser (no token, or an unknown one); only admins see such rows.
  advertiser_id  integer,
  endpoint       text NOT NULL CHECK (endpoint IN ('postback', 'pixel')),
  method         text NOT NULL,
  content_type   text,
  -- Parameters as received (query, form or JSON paths), secrets masked.
  params         jsonb NOT NULL,
  -- The advertiser's partner mapping (preset and overrides) at the time.
  mapping        jsonb,
  -- The fields read: value, the parameter it came from, what was sent when translated or scaled.
  fields         jsonb,
  conversion_key text,
  outcome        text NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'replay', 'refused', 'unavailable', 'failed')),
  http_status    integer NOT NULL,
  kind           text,
  conversion_id  text,
  event_id       text,
  click_id       text,
  order_id       text,
  error          text,
  reason         text,
  problems       jsonb
);

CREATE INDEX inbound_postbacks_received_idx ON inbound_postbacks (received_at, id);
CREATE INDEX inbound_postbacks_advertiser_idx ON inbound_postbacks (advertiser_id, received_at, id);
