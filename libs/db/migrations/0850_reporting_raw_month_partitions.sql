-- Reporting's raw tables partitioned by UTC month (owner: reporting).
--
-- rep_clicks (by occurred_at), rep_attribution_events (by decided_at) and
-- rep_conversions (by converted_at) grow with the traffic; a report's
-- sub-hour edges and the logs read one or two months of them, and old
-- months leave by dropping a table, not by deleting rows. Each row's
-- partition time comes with the event and never changes (a replayed click
-- or event carries the same time, and a conversion's time is fixed by its
-- first decision), so the replay guards stay one key: (id, time).
--
-- Retention (reporting_drop_raw_partitions) drops months of rep_clicks and
-- rep_attribution_events only. rep_conversions keeps every month: a refund
-- or chargeback may come long after the conversion, and the rollups can take
-- back its old state only while that state is here.


-- The tables as they were are moved aside; their rows are copied into the
-- month partitions they belong to at the end.
ALTER TABLE rep_clicks RENAME TO rep_clicks_0850;
ALTER TABLE rep_conversions RENAME TO rep_conversions_0850;
ALTER TABLE rep_attribution_events RENAME TO rep_attribution_events_0850;
DROP INDEX rep_clicks_time_idx, rep_clicks_affiliate_idx, rep_clicks_advertiser_idx, rep_clicks_offer_idx,
  rep_conversions_time_idx, rep_conversions_affiliate_idx, rep_conversions_advertiser_idx, rep_conversions_offer_idx,
  rep_attribution_events_conversion_idx;
ALTER TABLE rep_clicks_0850 DROP CONSTRAINT rep_clicks_pkey;
ALTER TABLE rep_conversions_0850 DROP CONSTRAINT rep_conversions_pkey;
ALTER TABLE rep_attribution_events_0850 DROP CONSTRAINT rep_attribution_events_pkey;

CREATE TABLE rep_clicks (
  click_id      text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  advertiser_id integer NOT NULL,
  offer_id      integer NOT NULL,
  affiliate_id  integer NOT NULL,
  currency      char(3) NOT NULL,
  sub1          text,
  sub2          text,
  sub3          text,
  sub4          text,
  sub5          text,
  source        text,
  aff_click_id  text,
  country       text,
  device        text,
  is_unique     boolean NOT NULL,
  is_invalid    boolean NOT NULL,
  flags         text[] NOT NULL DEFAULT '{}',
  disposition   text NOT NULL,
  ip            text NOT NULL,
  user_agent    text NOT NULL,
  referrer      text,
  params        jsonb,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (click_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX rep_clicks_time_idx ON rep_clicks (occurred_at, click_id);
CREATE INDEX rep_clicks_affiliate_idx ON rep_clicks (affiliate_id, occurred_at, click_id);
CREATE INDEX rep_clicks_advertiser_idx ON rep_clicks (advertiser_id, occurred_at, click_id);
CREATE INDEX rep_clicks_offer_idx ON rep_clicks (offer_id, occurred_at, click_id);

CREATE TABLE rep_conversions (
  conversion_id    text NOT NULL,
  click_id         text,
  advertiser_id    integer NOT NULL,
  offer_id         integer,
  affiliate_id     integer,
  goal_id          integer,
  goal_code        text,
  status           text NOT NULL CHECK (status IN ('approved', 'pending', 'rejected', 'refunded')),
  reason           text NOT NULL,
  revenue          numeric(18, 4) NOT NULL,
  payout           numeric(18, 4) NOT NULL,
  currency         char(3) NOT NULL,
  sale_amount      numeric(18, 4),
  order_id         text,
  clicked_at       timestamptz,
  converted_at     timestamptz NOT NULL,
  first_decided_at timestamptz NOT NULL,
  last_decided_at  timestamptz NOT NULL,
  sub1             text,
  sub2             text,
  sub3             text,
  sub4             text,
  sub5             text,
  source           text,
  aff_click_id     text,
  country          text,
  device           text,
  last_event_id    text NOT NULL,
  PRIMARY KEY (conversion_id, converted_at)
) PARTITION BY RANGE (converted_at);
CREATE INDEX rep_conversions_time_idx ON rep_conversions (converted_at, conversion_id);
CREATE INDEX rep_conversions_affiliate_idx ON rep_conversions (affiliate_id, converted_at, conversion_id);
CREATE INDEX rep_conversions_advertiser_idx ON rep_conversions (advertiser_id, converted_at, conversion_id);
CREATE INDEX rep_conversions_offer_idx ON rep_conversions (offer_id, converted_at, conversion_id);

CREATE TABLE rep_attribution_events (
  event_id        text NOT NULL,
  conversion_id   text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('decision', 'status_change')),
  status          text NOT NULL,
  previous_status text,
  reason          text NOT NULL,
  revenue         numeric(18, 4) NOT NULL,
  payout          numeric(18, 4) NOT NULL,
  currency        char(3) NOT NULL,
  decided_at      timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, decided_at)
) PARTITION BY RANGE (decided_at);
CREATE INDEX rep_attribution_events_conversion_idx ON rep_attribution_events (conversion_id, decided_at);

-- Creates the missing month partitions (<table>_YYYYMM) of every raw table for
-- the months of the given instants. Any instance may call it at any time; the
-- lock keeps concurrent calls from racing.
CREATE FUNCTION reporting_ensure_raw_partitions(instants timestamptz[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  month date;
  parent text;
  created integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(7246351501);
  FOR month IN SELECT DISTINCT date_trunc('month', i AT TIME ZONE 'UTC')::date FROM unnest(instants) i ORDER BY 1 LOOP
    FOREACH parent IN ARRAY ARRAY['rep_clicks', 'rep_conversions', 'rep_attribution_events'] LOOP
      IF to_regclass(parent || '_' || to_char(month, 'YYYYMM')) IS NULL THEN
        EXECUTE format(
          'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
          parent || '_' || to_char(month, 'YYYYMM'),
          parent,
          month::timestamp AT TIME ZONE 'UTC',
          (month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
        );
        created := created + 1;
      END IF;
    END LOOP;
  END LOOP;
  RETURN created;
END;
$$;

-- Drops the month partitions of rep_clicks and rep_attribution_events for
-- months before `before` (rep_conversions keeps every month); returns their names.
CREATE FUNCTION reporting_drop_raw_partitions(before date) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
  partition_name text;
  dropped text[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(7246351501);
  FOR partition_name IN
    SELECT child.relname
    FROM pg_inherits
    JOIN pg_class child ON child.oid = pg_inherits.inhrelid
    WHERE pg_inherits.inhparent IN ('rep_clicks'::regclass, 'rep_attribution_events'::regclass)
      AND child.relname ~ '_[0-9]{6}$'
      AND to_date(right(child.relname, 6), 'YYYYMM') < before
    ORDER BY child.relname
  LOOP
    EXECUTE format('DROP TABLE %I', partition_name);
    dropped := dropped || partition_name;
  END LOOP;
  RETURN dropped;
END;
$$;

SELECT reporting_ensure_raw_partitions(array_agg(month)) FROM (
  SELECT date_trunc('month', occurred_at, 'UTC') AS month FROM rep_clicks_0850
  UNION SELECT date_trunc('month', converted_at, 'UTC') FROM rep_conversions_0850
  UNION SELECT date_trunc('month', decided_at, 'UTC') FROM rep_attribution_events_0850
  UNION SELECT now()
) months;

INSERT INTO rep_clicks SELECT * FROM rep_clicks_0850;
INSERT INTO rep_conversions SELECT * FROM rep_conversions_0850;
INSERT INTO rep_attribution_events SELECT * FROM rep_attribution_events_0850;
DROP TABLE rep_clicks_0850, rep_conversions_0850, rep_attribution_events_0850;
