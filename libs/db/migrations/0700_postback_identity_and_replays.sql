-- postback-ingest recognises two more kinds of postback again (owner: postback-ingest).
--
-- conversion_key: partners that send no order id identify a conversion by
-- something else, as the advertiser's partner mapping says: the click id
-- itself ("click_id:<id>") or one of their parameters ("param:<name>=<value>").
-- It plays the order id's part: a later status for the same key becomes a
-- status change of that conversion, a repeat gets the first answer.
--
-- fingerprint: a postback with neither order id, key nor Idempotency-Key is
-- recognised by its normalised content (advertiser and every field) for a
-- window (network_settings.postback_replay_window_seconds): an identical copy
-- inside it gets the first answer, never a second conversion. A fingerprint
-- past its window is cleared by the next copy, which then counts anew.
ALTER TABLE postback_receipts
  ADD COLUMN conversion_key text,
  ADD COLUMN fingerprint    text,
  ADD COLUMN replay_until   timestamptz;

ALTER TABLE postback_receipts
  DROP CONSTRAINT postback_receipts_check1,
  DROP CONSTRAINT postback_receipts_check2,
  ADD CONSTRAINT postback_receipts_status_change_identity
    CHECK (kind = 'conversion' OR ((order_id IS NOT NULL OR conversion_key IS NOT NULL) AND status IS NOT NULL)),
  -- A postback with none of them cannot be recognised again, so it gets no receipt.
  ADD CONSTRAINT postback_receipts_recognisable
    CHECK (order_id IS NOT NULL OR idempotency_key IS NOT NULL OR conversion_key IS NOT NULL OR replay_until IS NOT NULL);

CREATE UNIQUE INDEX postback_receipts_conversion_key_idx
  ON postback_receipts (advertiser_id, goal, conversion_key) WHERE kind = 'conversion' AND conversion_key IS NOT NULL;
CREATE UNIQUE INDEX postback_receipts_key_status_change_idx
  ON postback_receipts (advertiser_id, goal, conversion_key, status) WHERE kind = 'status_change' AND conversion_key IS NOT NULL;
CREATE UNIQUE INDEX postback_receipts_fingerprint_idx
  ON postback_receipts (advertiser_id, fingerprint) WHERE fingerprint IS NOT NULL;

-- How long an identical postback without order id or Idempotency-Key is a
-- replay of the first (0: never; each copy is a new conversion).
ALTER TABLE network_settings
  ADD COLUMN postback_replay_window_seconds integer NOT NULL DEFAULT 86400
    CHECK (postback_replay_window_seconds BETWEEN 0 AND 2592000);
