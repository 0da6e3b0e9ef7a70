-- What postback-dispatch needs to deliver from the database rather than from
-- memory, so retries survive restarts and never hold up a Kafka partition.

-- Deliveries are scheduled in the table itself: a row is due when
-- next_attempt_at has passed. Claiming a row pushes next_attempt_at past the
-- attempt's timeout (a lease), so a crashed sender's rows become due again.
-- target_host (host:port) bounds concurrent requests per receiving host.
ALTER TABLE postback_deliveries
  ADD COLUMN target_host     text NOT NULL DEFAULT '',
  ADD COLUMN next_attempt_at timestamptz;
CREATE INDEX postback_deliveries_due_idx ON postback_deliveries (next_attempt_at) WHERE state IN ('pending', 'failed');

-- The exact request (the URL may carry the affiliate's own tokens, so it is
-- kept apart from the log that reporting reads) and the attributions.v1
-- message it came from, which is what goes to the dead-letter topic.
CREATE TABLE postback_delivery_requests (
  delivery_id      bigint PRIMARY KEY REFERENCES postback_deliveries (id),
  url              text NOT NULL,
  -- JSON body of a POST postback; NULL for GET.
  body             text,
  event            text NOT NULL,
  source_topic     text NOT NULL,
  source_partition integer NOT NULL,
  source_offset    text NOT NULL
);

-- One row per affiliate whose endpoint has failed: consecutive failures, and
-- whether its postbacks are paused (state 'paused' until paused_until, then
-- one probe decides: success resumes, failure pauses again for longer).
CREATE TABLE postback_affiliate_health (
  affiliate_id         integer PRIMARY KEY,
  state                text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused')),
  consecutive_failures integer NOT NULL DEFAULT 0,
  -- How many times in a row it was paused; lengthens the next pause.
  pauses               integer NOT NULL DEFAULT 0,
  paused_at            timestamptz,
  paused_until         timestamptz,
  last_error           text,
  updated_at           timestamptz NOT NULL DEFAULT now()
);
