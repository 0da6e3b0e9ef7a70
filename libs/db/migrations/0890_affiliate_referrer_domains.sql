-- Direct linking (issue 19): the sites an affiliate sends visitors from
-- without a tracking link. When a landing page's script (click-ingest's
-- /dl.js) finds no aff_id in its URL, it names the page the visitor came
-- from; the click is the affiliate's whose domain that page is on (or on a
-- subdomain of). Lower-case host names; one affiliate per domain, which
-- management checks under a transaction-level advisory lock.
ALTER TABLE affiliates ADD COLUMN referrer_domains text[] NOT NULL DEFAULT '{}';
