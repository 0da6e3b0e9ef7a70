-- An offer whose destination URL does not hand the click id to the
-- advertiser can never get a postback back (owner: management). The API
-- refuses such a destination unless the operator says, on the offer, that it
-- is meant so (e.g. a landing page whose tracking works otherwise); the flag
-- is an offer column, so setting it is in the audit log like any change.
ALTER TABLE offers
  ADD COLUMN allow_destination_without_click_id boolean NOT NULL DEFAULT false;
