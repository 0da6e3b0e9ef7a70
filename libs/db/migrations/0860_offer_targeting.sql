-- Which visitors an offer takes (issue 19): lists of countries, excluded
-- countries, devices, operating systems and browsers, as JSON
-- (libs/catalog/src/offer-targeting.ts). NULL: every visitor. Written only
-- through the management API, which checks every entry; click-ingest holds it
-- in its in-memory catalogue and sends a visitor that does not match to the
-- offer's fallback, recorded as targeting_mismatch.
ALTER TABLE offers ADD COLUMN targeting jsonb;
ALTER TABLE offers ADD CONSTRAINT offers_targeting_object CHECK (targeting IS NULL OR jsonb_typeof(targeting) = 'object');
