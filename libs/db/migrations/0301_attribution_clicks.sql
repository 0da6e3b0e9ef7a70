-- Clicks as attribution keeps them (owner: attribution). Consumed from
-- clicks.v1 in batches; the Redis copy answers most lookups and this table
-- answers the rest. Partitioned by UTC day so that old clicks leave by
-- dropping a table, not by deleting rows. clicked_at is the time encoded in
-- the click id, so (click_id, clicked_at) is known from the id alone: a
-- replayed click hits the same key, and a lookup touches one partition.
CREATE TABLE clicks (
  click_id      text NOT NULL,
  clicked_at    timestamptz NOT NULL,
  offer_id      integer NOT NULL,
  advertiser_id integer NOT NULL,
  affiliate_id  integer NOT NULL,
  sub1          text,
  sub2          text,
  sub3          text,
  sub4          text,
  sub5          text,
  source        text,
  aff_click_id  text,
  ip            text NOT NULL,
  user_agent    text NOT NULL,
  referrer      text,
  country       text,
  device        text,
  is_unique     boolean NOT NULL,
  flags         text[] NOT NULL DEFAULT '{}',
  disposition   text NOT NULL,
  -- Extra tracking-link parameters; NULL when there were none.
  params        jsonb,
  PRIMARY KEY (click_id, clicked_at)
) PARTITION BY RANGE (clicked_at);

-- Creates the missing daily partitions (clicks_YYYYMMDD) for the given UTC days.
-- Every instance may call it at any time; the lock keeps concurrent calls from racing.
CREATE FUNCTION attribution_ensure_click_partitions(days date[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  d date;
  created integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(7246351301);
  FOREACH d IN ARRAY days LOOP
    IF to_regclass('clicks_' || to_char(d, 'YYYYMMDD')) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF clicks FOR VALUES FROM (%L) TO (%L)',
        'clicks_' || to_char(d, 'YYYYMMDD'),
        d::timestamp AT TIME ZONE 'UTC',
        (d + 1)::timestamp AT TIME ZONE 'UTC'
      );
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END;
$$;

-- Drops the daily partitions of days before `before`; returns their names.
CREATE FUNCTION attribution_drop_click_partitions(before date) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
  partition_name text;
  dropped text[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(7246351301);
  FOR partition_name IN
    SELECT child.relname
    FROM pg_inherits
    JOIN pg_class child ON child.oid = pg_inherits.inhrelid
    WHERE pg_inherits.inhparent = 'clicks'::regclass
      AND child.relname ~ '^clicks_[0-9]{8}$'
      AND to_date(substr(child.relname, 8), 'YYYYMMDD') < before
    ORDER BY child.relname
  LOOP
    EXECUTE format('DROP TABLE %I', partition_name);
    dropped := dropped || partition_name;
  END LOOP;
  RETURN dropped;
END;
$$;
