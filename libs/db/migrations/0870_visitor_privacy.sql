-- How much of a visitor the platform keeps (issue 19, privacy). click-ingest
-- applies these before a click leaves the process, so Kafka, the clicks
-- table, the reports and their logs only ever hold what is chosen here:
--   visitor_ip_storage  full | truncated (IPv4 /24, IPv6 /48) | hashed (keyed HMAC-SHA-256)
--   user_agent_storage  full | normalised (browser and major version, system, device)
-- visitor_hash_secret is the key of the hashes: generated here, never shown by
-- the API or written to the audit log; the same IP hashes alike across
-- instances, so per-IP fraud checks still work on stored clicks.
ALTER TABLE network_settings
  ADD COLUMN visitor_ip_storage text NOT NULL DEFAULT 'full'
    CONSTRAINT network_settings_visitor_ip_storage CHECK (visitor_ip_storage IN ('full', 'truncated', 'hashed')),
  ADD COLUMN user_agent_storage text NOT NULL DEFAULT 'full'
    CONSTRAINT network_settings_user_agent_storage CHECK (user_agent_storage IN ('full', 'normalised')),
  ADD COLUMN visitor_hash_secret text NOT NULL
    DEFAULT encode(sha256((gen_random_uuid()::text || gen_random_uuid()::text)::bytea), 'hex');
