-- Reporting's read model (owner: reporting). Built from clicks.v1 and
-- attributions.v1 by reporting's projector; nothing else writes here.
--
-- Replays never count twice: a click is recorded once per click id, an
-- attribution event once per event id, and the rollups are changed only in
-- the same transaction that records the event for the first time.
--
-- rep_clicks / rep_conversions: raw rows for logs and for the sub-hour edges
-- of a report. rep_conversions holds each conversion's current state; the
-- rollups hold, per status, the sum of those current states.

CREATE TABLE rep_clicks (
  click_id      text PRIMARY KEY,
  occurred_at   timestamptz NOT NULL,
  advertiser_id integer NOT NULL,
  offer_id      integer NOT NULL,
  affiliate_id  integer NOT NULL,
  -- The offer's currency when the click was recorded ('XXX' when the offer is unknown):
  -- clicks are reported next to the money of the same currency.
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
  -- Flagged as a bot or rate limited, or not accepted by the offer (sent to a fallback);
  -- "unverified" (the checks could not run) does not make a click invalid.
  is_invalid    boolean NOT NULL,
  flags         text[] NOT NULL DEFAULT '{}',
  disposition   text NOT NULL,
  ip            text NOT NULL,
  user_agent    text NOT NULL,
  referrer      text,
  params        jsonb,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rep_clicks_time_idx ON rep_clicks (occurred_at, click_id);
CREATE INDEX rep_clicks_affiliate_idx ON rep_clicks (affiliate_id, occurred_at, click_id);
CREATE INDEX rep_clicks_advertiser_idx ON rep_clicks (advertiser_id, occurred_at, click_id);
CREATE INDEX rep_clicks_offer_idx ON rep_clicks (offer_id, occurred_at, click_id);

CREATE TABLE rep_conversions (
  conversion_id    text PRIMARY KEY,
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
  last_event_id    text NOT NULL
);
CREATE INDEX rep_conversions_time_idx ON rep_conversions (converted_at, conversion_id);
CREATE INDEX rep_conversions_affiliate_idx ON rep_conversions (affiliate_id, converted_at, conversion_id);
CREATE INDEX rep_conversions_advertiser_idx ON rep_conversions (advertiser_id, converted_at, conversion_id);
CREATE INDEX rep_conversions_offer_idx ON rep_conversions (offer_id, converted_at, conversion_id);

-- Every attributions.v1 event applied, by event id: the replay guard, and the
-- history of how each conversion reached its current state.
CREATE TABLE rep_attribution_events (
  event_id        text PRIMARY KEY,
  conversion_id   text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('decision', 'status_change')),
  status          text NOT NULL,
  previous_status text,
  reason          text NOT NULL,
  revenue         numeric(18, 4) NOT NULL,
  payout          numeric(18, 4) NOT NULL,
  currency        char(3) NOT NULL,
  decided_at      timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rep_attribution_events_conversion_idx ON rep_attribution_events (conversion_id, decided_at);

-- Time zones with daily rollups. A zone is added (and its days backfilled from
-- the raw tables) when a reporting instance starts with it in REPORTING_DAY_ZONES.
CREATE TABLE rep_day_zones (
  zone          text PRIMARY KEY,
  registered_at timestamptz NOT NULL DEFAULT now()
);

-- Rollups: see libs/reporting/src/read-model/rollup-levels.ts. Measures are sums;
-- money per status is kept only where the ledger keeps it (approved, pending), in
-- ten-thousandths of the currency unit (*_e4: the NUMERIC(18,4) amount × 10^4), exact
-- and much cheaper to sum than numeric.

CREATE TABLE rep_hourly_conversion (
  hour                  timestamptz NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  affiliate_id          integer,
  goal_id               integer,
  currency              char(3) NOT NULL,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, dims_key)
);
CREATE INDEX rep_hourly_conversion_advertiser_idx ON rep_hourly_conversion (advertiser_id, hour);
CREATE INDEX rep_hourly_conversion_affiliate_idx ON rep_hourly_conversion (affiliate_id, hour);

CREATE TABLE rep_daily_conversion (
  zone                  text NOT NULL,
  day                   date NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  affiliate_id          integer,
  goal_id               integer,
  currency              char(3) NOT NULL,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (zone, day, dims_key)
);
CREATE INDEX rep_daily_conversion_advertiser_idx ON rep_daily_conversion (zone, advertiser_id, day);
CREATE INDEX rep_daily_conversion_affiliate_idx ON rep_daily_conversion (zone, affiliate_id, day);

CREATE TABLE rep_hourly_offer (
  hour                  timestamptz NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  currency              char(3) NOT NULL,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, dims_key)
);
CREATE INDEX rep_hourly_offer_advertiser_idx ON rep_hourly_offer (advertiser_id, hour);

CREATE TABLE rep_daily_offer (
  zone                  text NOT NULL,
  day                   date NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  currency              char(3) NOT NULL,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (zone, day, dims_key)
);
CREATE INDEX rep_daily_offer_advertiser_idx ON rep_daily_offer (zone, advertiser_id, day);

CREATE TABLE rep_hourly_affiliate (
  hour                  timestamptz NOT NULL,
  dims_key              bytea NOT NULL,
  affiliate_id          integer,
  currency              char(3) NOT NULL,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, dims_key)
);
CREATE INDEX rep_hourly_affiliate_affiliate_idx ON rep_hourly_affiliate (affiliate_id, hour);

CREATE TABLE rep_daily_affiliate (
  zone                  text NOT NULL,
  day                   date NOT NULL,
  dims_key              bytea NOT NULL,
  affiliate_id          integer,
  currency              char(3) NOT NULL,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (zone, day, dims_key)
);
CREATE INDEX rep_daily_affiliate_affiliate_idx ON rep_daily_affiliate (zone, affiliate_id, day);

CREATE TABLE rep_hourly_offer_affiliate (
  hour                  timestamptz NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  affiliate_id          integer,
  currency              char(3) NOT NULL,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, dims_key)
);
CREATE INDEX rep_hourly_offer_affiliate_advertiser_idx ON rep_hourly_offer_affiliate (advertiser_id, hour);
CREATE INDEX rep_hourly_offer_affiliate_affiliate_idx ON rep_hourly_offer_affiliate (affiliate_id, hour);

CREATE TABLE rep_daily_offer_affiliate (
  zone                  text NOT NULL,
  day                   date NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  affiliate_id          integer,
  currency              char(3) NOT NULL,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (zone, day, dims_key)
);
CREATE INDEX rep_daily_offer_affiliate_advertiser_idx ON rep_daily_offer_affiliate (zone, advertiser_id, day);
CREATE INDEX rep_daily_offer_affiliate_affiliate_idx ON rep_daily_offer_affiliate (zone, affiliate_id, day);

CREATE TABLE rep_hourly_offer_geo (
  hour                  timestamptz NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  currency              char(3) NOT NULL,
  country               text,
  device                text,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, dims_key)
);
CREATE INDEX rep_hourly_offer_geo_advertiser_idx ON rep_hourly_offer_geo (advertiser_id, hour);

CREATE TABLE rep_daily_offer_geo (
  zone                  text NOT NULL,
  day                   date NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  currency              char(3) NOT NULL,
  country               text,
  device                text,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (zone, day, dims_key)
);
CREATE INDEX rep_daily_offer_geo_advertiser_idx ON rep_daily_offer_geo (zone, advertiser_id, day);

CREATE TABLE rep_hourly_offer_affiliate_geo (
  hour                  timestamptz NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  affiliate_id          integer,
  currency              char(3) NOT NULL,
  country               text,
  device                text,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, dims_key)
);
CREATE INDEX rep_hourly_offer_affiliate_geo_advertiser_idx ON rep_hourly_offer_affiliate_geo (advertiser_id, hour);
CREATE INDEX rep_hourly_offer_affiliate_geo_affiliate_idx ON rep_hourly_offer_affiliate_geo (affiliate_id, hour);

CREATE TABLE rep_daily_offer_affiliate_geo (
  zone                  text NOT NULL,
  day                   date NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  affiliate_id          integer,
  currency              char(3) NOT NULL,
  country               text,
  device                text,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (zone, day, dims_key)
);
CREATE INDEX rep_daily_offer_affiliate_geo_advertiser_idx ON rep_daily_offer_affiliate_geo (zone, advertiser_id, day);
CREATE INDEX rep_daily_offer_affiliate_geo_affiliate_idx ON rep_daily_offer_affiliate_geo (zone, affiliate_id, day);

CREATE TABLE rep_hourly_full (
  hour                  timestamptz NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  affiliate_id          integer,
  goal_id               integer,
  currency              char(3) NOT NULL,
  country               text,
  device                text,
  source                text,
  sub1                  text,
  sub2                  text,
  sub3                  text,
  sub4                  text,
  sub5                  text,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, dims_key)
);
CREATE INDEX rep_hourly_full_advertiser_idx ON rep_hourly_full (advertiser_id, hour);
CREATE INDEX rep_hourly_full_affiliate_idx ON rep_hourly_full (affiliate_id, hour);

CREATE TABLE rep_daily_full (
  zone                  text NOT NULL,
  day                   date NOT NULL,
  dims_key              bytea NOT NULL,
  advertiser_id         integer NOT NULL,
  offer_id              integer,
  affiliate_id          integer,
  goal_id               integer,
  currency              char(3) NOT NULL,
  country               text,
  device                text,
  source                text,
  sub1                  text,
  sub2                  text,
  sub3                  text,
  sub4                  text,
  sub5                  text,
  clicks                bigint NOT NULL DEFAULT 0,
  unique_clicks         bigint NOT NULL DEFAULT 0,
  invalid_clicks        bigint NOT NULL DEFAULT 0,
  approved_conversions  bigint NOT NULL DEFAULT 0,
  pending_conversions   bigint NOT NULL DEFAULT 0,
  rejected_conversions  bigint NOT NULL DEFAULT 0,
  refunded_conversions  bigint NOT NULL DEFAULT 0,
  approved_revenue_e4   bigint NOT NULL DEFAULT 0,
  pending_revenue_e4    bigint NOT NULL DEFAULT 0,
  approved_payout_e4    bigint NOT NULL DEFAULT 0,
  pending_payout_e4     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (zone, day, dims_key)
);
CREATE INDEX rep_daily_full_advertiser_idx ON rep_daily_full (zone, advertiser_id, day);
CREATE INDEX rep_daily_full_affiliate_idx ON rep_daily_full (zone, affiliate_id, day);

