-- Attribution's books (owner: attribution; readers: reporting for
-- reconciliation, management and reporting for conversion logs).
--
-- conversions: one row per conversion id with the FIRST decision; never updated.
-- conversion_status_changes: every later change, append-only.
-- ledger_entries: append-only double entry per decision and change. For each
-- event the amounts sum to zero: advertiser_receivable +revenue,
-- affiliate_payable -payout, network_margin -(revenue - payout). "state"
-- separates money held for review (pending) from money owed (approved).

CREATE TABLE conversions (
  conversion_id text PRIMARY KEY,
  -- NULL when the click was never found (booked as unattributed).
  click_id      text,
  advertiser_id integer NOT NULL,
  offer_id      integer,
  affiliate_id  integer,
  goal_id       integer,
  goal_code     text,
  order_id      text,
  status        text NOT NULL CHECK (status IN ('approved', 'pending', 'rejected')),
  reason        text NOT NULL,
  sale_amount   numeric(18, 4),
  revenue       numeric(18, 4) NOT NULL,
  payout        numeric(18, 4) NOT NULL,
  currency      char(3) NOT NULL,
  clicked_at    timestamptz,
  converted_at  timestamptz NOT NULL,
  decided_at    timestamptz NOT NULL DEFAULT now(),
  sub1          text,
  sub2          text,
  sub3          text,
  sub4          text,
  sub5          text,
  source        text,
  aff_click_id  text,
  country       text,
  device        text,
  adv_sub1      text,
  adv_sub2      text,
  adv_sub3      text,
  adv_sub4      text,
  adv_sub5      text,
  raw           jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX conversions_click_goal_idx ON conversions (click_id, goal_id) WHERE click_id IS NOT NULL;
CREATE INDEX conversions_order_idx ON conversions (advertiser_id, order_id) WHERE order_id IS NOT NULL;
CREATE INDEX conversions_converted_at_idx ON conversions (converted_at);
CREATE INDEX conversions_affiliate_idx ON conversions (affiliate_id, converted_at);
CREATE INDEX conversions_offer_idx ON conversions (offer_id, converted_at);

CREATE TABLE conversion_status_changes (
  -- The conversions.v1 event that asked for the change: replays find it and do nothing.
  event_id      text PRIMARY KEY,
  conversion_id text NOT NULL REFERENCES conversions (conversion_id),
  from_status   text NOT NULL CHECK (from_status IN ('approved', 'pending', 'rejected', 'refunded')),
  to_status     text NOT NULL CHECK (to_status IN ('approved', 'pending', 'rejected', 'refunded')),
  reason        text NOT NULL,
  changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversion_status_changes_conversion_idx ON conversion_status_changes (conversion_id, changed_at);

CREATE TABLE ledger_entries (
  id            bigserial PRIMARY KEY,
  conversion_id text NOT NULL REFERENCES conversions (conversion_id),
  -- The decision (conversion id) or status change (its event id) that booked the entry.
  event_id      text NOT NULL,
  account       text NOT NULL CHECK (account IN ('advertiser_receivable', 'affiliate_payable', 'network_margin')),
  state         text NOT NULL CHECK (state IN ('approved', 'pending')),
  kind          text NOT NULL CHECK (kind IN ('booking', 'reversal', 'release')),
  amount        numeric(18, 4) NOT NULL,
  currency      char(3) NOT NULL,
  booked_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, account, state)
);
CREATE INDEX ledger_entries_conversion_idx ON ledger_entries (conversion_id);
CREATE INDEX ledger_entries_booked_at_idx ON ledger_entries (booked_at);

-- The books are append-only, enforced by the database and not only by the code.
CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER conversions_append_only BEFORE UPDATE OR DELETE ON conversions
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER conversion_status_changes_append_only BEFORE UPDATE OR DELETE ON conversion_status_changes
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
