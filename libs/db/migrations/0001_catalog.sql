-- The network's catalogue: who advertises what, who may send traffic to it,
-- and how much each conversion is worth. Written by the management API,
-- read (through in-process caches) by click-ingest, postback-ingest and
-- attribution. Money is NUMERIC(18,4): exact, never floating point.

CREATE TABLE network_settings (
  id                      smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  name                    text NOT NULL DEFAULT 'Tracklane network',
  -- Where a click goes when its offer cannot take it and the offer has no fallback of its own.
  default_fallback_url    text,
  -- Whether advertiser keys may see what affiliates are paid.
  advertisers_see_payouts boolean NOT NULL DEFAULT false,
  updated_at              timestamptz NOT NULL DEFAULT now()
);
INSERT INTO network_settings (id) VALUES (1);

CREATE TABLE advertisers (
  id                serial PRIMARY KEY,
  name              text NOT NULL,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
  -- Shared secret in every postback URL (query or header); compared in constant time.
  postback_token    text NOT NULL UNIQUE,
  -- HMAC-SHA256 key for signed postbacks; required when require_signature is set.
  signing_secret    text,
  require_signature boolean NOT NULL DEFAULT false,
  -- Addresses and CIDR ranges postbacks may come from; empty means any.
  ip_allowlist      text[] NOT NULL DEFAULT '{}',
  -- A partner's own postback format: {"params": {"theirs": "ours"}, "values": {"status": {"sale": "approved"}}}
  param_mapping     jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  archived_at       timestamptz,
  CHECK (NOT require_signature OR signing_secret IS NOT NULL)
);

CREATE TABLE offers (
  id                              serial PRIMARY KEY,
  advertiser_id                   integer NOT NULL REFERENCES advertisers (id),
  name                            text NOT NULL,
  status                          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'expired', 'archived')),
  -- "public": any active affiliate may send traffic; "approval_required": only approved ones.
  visibility                      text NOT NULL DEFAULT 'approval_required' CHECK (visibility IN ('public', 'approval_required')),
  -- Where the browser goes, with macros such as {click_id}; never taken from a request.
  destination_url                 text NOT NULL,
  fallback_url                    text,
  expires_at                      timestamptz,
  time_zone                       text NOT NULL DEFAULT 'UTC',
  currency                        char(3) NOT NULL DEFAULT 'USD',
  attribution_window_seconds      integer NOT NULL DEFAULT 2592000 CHECK (attribution_window_seconds > 0),
  min_click_to_conversion_seconds integer NOT NULL DEFAULT 0 CHECK (min_click_to_conversion_seconds >= 0),
  -- Conversion caps in the offer's time zone; NULL means no cap.
  daily_cap                       integer CHECK (daily_cap >= 0),
  monthly_cap                     integer CHECK (monthly_cap >= 0),
  -- Default caps for each affiliate on this offer (offer_affiliates may override them).
  affiliate_daily_cap             integer CHECK (affiliate_daily_cap >= 0),
  affiliate_monthly_cap           integer CHECK (affiliate_monthly_cap >= 0),
  -- What a conversion from a flagged click becomes.
  on_bot                          text NOT NULL DEFAULT 'reject' CHECK (on_bot IN ('allow', 'pending', 'reject')),
  on_rate_limited                 text NOT NULL DEFAULT 'pending' CHECK (on_rate_limited IN ('allow', 'pending', 'reject')),
  on_non_unique                   text NOT NULL DEFAULT 'allow' CHECK (on_non_unique IN ('allow', 'pending', 'reject')),
  created_at                      timestamptz NOT NULL DEFAULT now(),
  updated_at                      timestamptz NOT NULL DEFAULT now(),
  archived_at                     timestamptz
);
CREATE INDEX offers_advertiser_idx ON offers (advertiser_id);

-- How revenue (owed by the advertiser) and payout (earned by the affiliate) are computed:
-- fixed amount, percentage of the sale amount, or both.
CREATE TABLE goals (
  id              serial PRIMARY KEY,
  offer_id        integer NOT NULL REFERENCES offers (id),
  -- The goal's name in postbacks (goal=purchase); unique per offer.
  code            text NOT NULL,
  name            text NOT NULL,
  is_default      boolean NOT NULL DEFAULT false,
  allow_multiple  boolean NOT NULL DEFAULT false,
  revenue_type    text NOT NULL DEFAULT 'fixed' CHECK (revenue_type IN ('fixed', 'percent', 'fixed_plus_percent')),
  revenue_amount  numeric(18, 4) NOT NULL DEFAULT 0 CHECK (revenue_amount >= 0),
  revenue_percent numeric(9, 4) NOT NULL DEFAULT 0 CHECK (revenue_percent >= 0),
  payout_type     text NOT NULL DEFAULT 'fixed' CHECK (payout_type IN ('fixed', 'percent', 'fixed_plus_percent')),
  payout_amount   numeric(18, 4) NOT NULL DEFAULT 0 CHECK (payout_amount >= 0),
  payout_percent  numeric(9, 4) NOT NULL DEFAULT 0 CHECK (payout_percent >= 0),
  -- Status a conversion gets when the postback does not say and no rule holds it.
  default_status  text NOT NULL DEFAULT 'approved' CHECK (default_status IN ('approved', 'pending')),
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  archived_at     timestamptz,
  UNIQUE (offer_id, code)
);
CREATE UNIQUE INDEX goals_one_default_per_offer ON goals (offer_id) WHERE is_default AND status = 'active';

CREATE TABLE affiliates (
  id                serial PRIMARY KEY,
  name              text NOT NULL,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'suspended', 'archived')),
  -- Global outbound postback; offers may override it in affiliate_postbacks.
  postback_url      text,
  postback_method   text NOT NULL DEFAULT 'GET' CHECK (postback_method IN ('GET', 'POST')),
  -- Which decisions the affiliate wants to hear about.
  postback_statuses text[] NOT NULL DEFAULT '{approved}',
  -- HMAC key for the signature header on outbound postbacks.
  postback_secret   text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  archived_at       timestamptz,
  CHECK (postback_statuses <@ ARRAY['approved', 'pending', 'rejected', 'refunded']::text[])
);

-- An affiliate's standing on one offer, and caps that override the offer's per-affiliate defaults.
CREATE TABLE offer_affiliates (
  offer_id     integer NOT NULL REFERENCES offers (id),
  affiliate_id integer NOT NULL REFERENCES affiliates (id),
  status       text NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'pending', 'rejected', 'blocked')),
  daily_cap    integer CHECK (daily_cap >= 0),
  monthly_cap  integer CHECK (monthly_cap >= 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (offer_id, affiliate_id)
);
CREATE INDEX offer_affiliates_affiliate_idx ON offer_affiliates (affiliate_id);

-- A different payout for one affiliate on an offer (one goal, or every goal when goal_id is NULL).
CREATE TABLE payout_overrides (
  id             serial PRIMARY KEY,
  offer_id       integer NOT NULL REFERENCES offers (id),
  affiliate_id   integer NOT NULL REFERENCES affiliates (id),
  goal_id        integer REFERENCES goals (id),
  payout_type    text NOT NULL CHECK (payout_type IN ('fixed', 'percent', 'fixed_plus_percent')),
  payout_amount  numeric(18, 4) NOT NULL DEFAULT 0 CHECK (payout_amount >= 0),
  payout_percent numeric(9, 4) NOT NULL DEFAULT 0 CHECK (payout_percent >= 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (offer_id, affiliate_id, goal_id)
);

-- Per-offer outbound postback URL of an affiliate, overriding affiliates.postback_url.
CREATE TABLE affiliate_postbacks (
  id           serial PRIMARY KEY,
  affiliate_id integer NOT NULL REFERENCES affiliates (id),
  offer_id     integer NOT NULL REFERENCES offers (id),
  url          text NOT NULL,
  method       text NOT NULL DEFAULT 'GET' CHECK (method IN ('GET', 'POST')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (affiliate_id, offer_id)
);

-- API keys are shown once and stored as SHA-256 hashes; key_prefix finds the row.
CREATE TABLE api_keys (
  id            serial PRIMARY KEY,
  key_prefix    text NOT NULL UNIQUE,
  key_hash      text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'advertiser', 'affiliate')),
  advertiser_id integer REFERENCES advertisers (id),
  affiliate_id  integer REFERENCES affiliates (id),
  read_only     boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  CHECK ((role = 'advertiser') = (advertiser_id IS NOT NULL)),
  CHECK ((role = 'affiliate') = (affiliate_id IS NOT NULL))
);

CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_key_id integer REFERENCES api_keys (id),
  actor_role   text NOT NULL,
  action       text NOT NULL,
  entity       text NOT NULL,
  entity_id    text NOT NULL,
  before       jsonb,
  after        jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at);
