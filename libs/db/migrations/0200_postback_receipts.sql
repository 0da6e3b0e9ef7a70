-- What postback-ingest said to each postback it could recognise again (owner:
-- postback-ingest). One row per conversions.v1 event it published or is about
-- to publish: a new conversion, or a status change of one. The unique indexes
-- are the idempotency rules: the same (advertiser, goal, order id), the same
-- status change of that order, or the same Idempotency-Key gets the first
-- answer again instead of a second event.
--
-- A row is written *before* the event goes to Kafka (ids and message fixed),
-- and marked published once Kafka acknowledged it. A retry of a postback
-- whose first attempt failed (Kafka down, crash) publishes that same message
-- again, so even an attempt whose outcome was unknown can never become two
-- different conversions downstream.
CREATE TABLE postback_receipts (
  -- The conversions.v1 eventId.
  event_id        text PRIMARY KEY,
  advertiser_id   integer NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('conversion', 'status_change')),
  -- Goal as the postback named it, lower-cased; '' when it named none (the offer's default goal).
  goal            text NOT NULL,
  order_id        text,
  -- The status the event carried (NULL: the goal's default status applies).
  status          text CHECK (status IN ('approved', 'pending', 'rejected', 'refunded')),
  idempotency_key text,
  conversion_id   text NOT NULL,
  click_id        text NOT NULL,
  -- The response body of the first answer, replayed to duplicates (json keeps it as written).
  answer          json NOT NULL,
  -- The event to (re)publish; cleared once Kafka acknowledged it.
  message         text,
  -- Until then the attempt that wrote the row owns its publication; afterwards a retry may take over.
  lease_until     timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  published_at    timestamptz,
  CHECK ((published_at IS NULL) = (message IS NOT NULL)),
  CHECK (kind = 'conversion' OR (order_id IS NOT NULL AND status IS NOT NULL)),
  -- A postback with neither cannot be recognised again, so it gets no receipt.
  CHECK (order_id IS NOT NULL OR idempotency_key IS NOT NULL)
);

CREATE UNIQUE INDEX postback_receipts_order_idx
  ON postback_receipts (advertiser_id, goal, order_id) WHERE kind = 'conversion';
CREATE UNIQUE INDEX postback_receipts_status_change_idx
  ON postback_receipts (advertiser_id, goal, order_id, status) WHERE kind = 'status_change';
CREATE UNIQUE INDEX postback_receipts_idempotency_key_idx
  ON postback_receipts (advertiser_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
