-- An erasure by an affiliate's own id for a visitor (POST /v1/erasures with a sub id) replaces that value
-- wherever it was stored with the marker '(erased)': the affiliate's sub1–sub5 or aff_click_id may be the
-- visitor's e-mail or user id. On the append-only conversions that is allowed beside emptying raw (0880):
-- each of those columns may only stay as it was or become '(erased)'; every other column stays as it was.
-- Any other update, and every delete, is refused.
CREATE OR REPLACE FUNCTION refuse_conversion_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  erasable CONSTANT text[] := ARRAY['raw', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'aff_click_id'];
BEGIN
  IF TG_OP = 'UPDATE'
     AND (to_jsonb(NEW) - erasable) = (to_jsonb(OLD) - erasable)
     AND (NEW.raw = OLD.raw OR NEW.raw = '{}'::jsonb)
     AND (NEW.sub1 IS NOT DISTINCT FROM OLD.sub1 OR NEW.sub1 = '(erased)')
     AND (NEW.sub2 IS NOT DISTINCT FROM OLD.sub2 OR NEW.sub2 = '(erased)')
     AND (NEW.sub3 IS NOT DISTINCT FROM OLD.sub3 OR NEW.sub3 = '(erased)')
     AND (NEW.sub4 IS NOT DISTINCT FROM OLD.sub4 OR NEW.sub4 = '(erased)')
     AND (NEW.sub5 IS NOT DISTINCT FROM OLD.sub5 OR NEW.sub5 = '(erased)')
     AND (NEW.aff_click_id IS NOT DISTINCT FROM OLD.aff_click_id OR NEW.aff_click_id = '(erased)') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'conversions is append-only: % refused (only erasing raw and sub ids is allowed)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
