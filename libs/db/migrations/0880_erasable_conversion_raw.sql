-- An erasure (POST /v1/erasures) empties a conversion's raw postback
-- parameters: what the advertiser sent beyond the postback fields may be a
-- visitor's personal data (an e-mail address, a phone number). That is the one
-- change the append-only conversions table allows: raw set to '{}' with every
-- other column as it was. Any other update, and every delete, is refused.
CREATE FUNCTION refuse_conversion_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.raw = '{}'::jsonb AND (to_jsonb(NEW) - 'raw') = (to_jsonb(OLD) - 'raw') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'conversions is append-only: % refused (only erasing raw is allowed)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER conversions_append_only ON conversions;
CREATE TRIGGER conversions_append_only BEFORE UPDATE OR DELETE ON conversions
  FOR EACH ROW EXECUTE FUNCTION refuse_conversion_change();
