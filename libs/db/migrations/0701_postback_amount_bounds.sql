-- The largest amount one postback may carry, in the offer's currency
-- (owner: management; read by postback-ingest and attribution). A network-wide
-- bound with a per-offer override keeps one mistyped or hostile postback
-- (10^13 in a "cents" field) out of the books and every sum built on them.
ALTER TABLE network_settings
  ADD COLUMN max_postback_amount numeric(18, 4) NOT NULL DEFAULT 1000000
    CHECK (max_postback_amount > 0);

-- NULL: the network's bound applies.
ALTER TABLE offers
  ADD COLUMN max_postback_amount numeric(18, 4)
    CHECK (max_postback_amount > 0);
