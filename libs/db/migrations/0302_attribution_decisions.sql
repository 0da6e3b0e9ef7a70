-- What attribution needs to decide conversions correctly when several
-- instances (and the retry consumer) decide at the same time (owner: attribution).

-- The click id the advertiser reported, also when it matched no click
-- (conversions.click_id is then NULL): operators can still trace it.
ALTER TABLE conversions ADD COLUMN reported_click_id text;

-- Status changes of one conversion in the order they were booked (several may
-- share one transaction, hence one changed_at); the last one is the current status.
ALTER TABLE conversion_status_changes ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX conversion_status_changes_seq_idx ON conversion_status_changes (conversion_id, seq);

-- One conversion per click and goal (for goals that do not allow several)
-- and one per advertiser order id. The primary keys make the first claimant
-- win even when two instances decide at once; a claim is taken in the
-- transaction that books its conversion.
CREATE TABLE attribution_click_goal_claims (
  click_id      text NOT NULL,
  goal_id       integer NOT NULL,
  conversion_id text NOT NULL,
  PRIMARY KEY (click_id, goal_id)
);

CREATE TABLE attribution_order_claims (
  advertiser_id integer NOT NULL,
  order_id      text NOT NULL,
  conversion_id text NOT NULL,
  PRIMARY KEY (advertiser_id, order_id)
);

-- Claims for a batch of conversions, in order: a conversion that loses its
-- order id keeps no click/goal claim either, so a later conversion of that
-- click and goal is not refused because of it. goal_ids[i] is NULL when the
-- goal allows several conversions per click; order_ids[i] when there is none.
CREATE FUNCTION attribution_claim(conversion_ids text[], click_ids text[], goal_ids integer[], advertiser_ids integer[], order_ids text[])
RETURNS TABLE (claimant text, outcome text)
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1 .. coalesce(array_length(conversion_ids, 1), 0) LOOP
    claimant := conversion_ids[i];
    IF goal_ids[i] IS NOT NULL THEN
      INSERT INTO attribution_click_goal_claims (click_id, goal_id, conversion_id)
      VALUES (click_ids[i], goal_ids[i], conversion_ids[i])
      ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        outcome := 'duplicate_click_goal';
        RETURN NEXT;
        CONTINUE;
      END IF;
    END IF;
    IF order_ids[i] IS NOT NULL THEN
      INSERT INTO attribution_order_claims (advertiser_id, order_id, conversion_id)
      VALUES (advertiser_ids[i], order_ids[i], conversion_ids[i])
      ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        IF goal_ids[i] IS NOT NULL THEN
          DELETE FROM attribution_click_goal_claims
          WHERE click_id = click_ids[i] AND goal_id = goal_ids[i] AND conversion_id = conversion_ids[i];
        END IF;
        outcome := 'duplicate_order';
        RETURN NEXT;
        CONTINUE;
      END IF;
    END IF;
    outcome := 'claimed';
    RETURN NEXT;
  END LOOP;
END;
$$;

-- Conversions counted against caps, per offer (affiliate_id 0) or per offer
-- and affiliate, per day or month starting at period_start in the offer's
-- time zone. Deciders lock the rows they need (in key order, so two
-- instances never deadlock on them) before they read and increment them.
CREATE TABLE attribution_cap_counters (
  offer_id     integer NOT NULL,
  affiliate_id integer NOT NULL,
  period       text NOT NULL CHECK (period IN ('day', 'month')),
  period_start date NOT NULL,
  used         integer NOT NULL DEFAULT 0 CHECK (used >= 0),
  PRIMARY KEY (offer_id, affiliate_id, period, period_start)
);
