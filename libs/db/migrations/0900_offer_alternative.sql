-- Where an offer sends the visitors its targeting does not take (issue 19): another offer, which they are
-- sent to as its own click when it is live, the affiliate may run it and they match its targeting;
-- otherwise the offer's fallback as before. Set through the management API (admins), which refuses an
-- offer naming itself or an archived offer; click-ingest follows one step, never a chain.
ALTER TABLE offers ADD COLUMN alternative_offer_id integer REFERENCES offers (id);
ALTER TABLE offers ADD CONSTRAINT offers_alternative_not_itself CHECK (alternative_offer_id <> id);
