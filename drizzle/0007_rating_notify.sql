-- Statement triggers that NOTIFY 'openmor_rating' when data the in-process rate index caches changes
-- (src/domain/rating/cache/). Payloads: 'tariffs:<id,id,…>' or 'tariffs:*' (rates, their bands, tariff
-- rows), 'destinations:insert' / 'destinations:change', 'custom' (custom rates), 'users' (columns a rate
-- lookup reads). Transition tables tell which tariffs a statement touched, so a change to one small
-- tariff never drops the index of a large one.
CREATE OR REPLACE FUNCTION openmor_notify_rating_tariffs(ids text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL THEN
    RETURN;
  END IF;
  IF length(ids) > 7000 THEN
    ids := '*';
  END IF;
  PERFORM pg_notify('openmor_rating', 'tariffs:' || ids);
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION openmor_notify_rating_rates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT string_agg(DISTINCT tariff_id::text, ',') INTO ids FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT string_agg(DISTINCT t::text, ',') INTO ids
      FROM (SELECT tariff_id AS t FROM old_rows UNION SELECT tariff_id FROM new_rows) x;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT string_agg(DISTINCT tariff_id::text, ',') INTO ids FROM old_rows;
  ELSE
    ids := '*';
  END IF;
  PERFORM openmor_notify_rating_tariffs(ids);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION openmor_notify_rating_bands() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT string_agg(DISTINCT r.tariff_id::text, ',') INTO ids
      FROM (SELECT DISTINCT rate_id FROM new_rows) b JOIN rates r ON r.id = b.rate_id;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT string_agg(DISTINCT r.tariff_id::text, ',') INTO ids
      FROM (SELECT rate_id FROM old_rows UNION SELECT rate_id FROM new_rows) b JOIN rates r ON r.id = b.rate_id;
  ELSIF TG_OP = 'DELETE' THEN
    -- Bands deleted with their rate (cascade) find no rate here; the rates trigger reported that tariff.
    SELECT string_agg(DISTINCT r.tariff_id::text, ',') INTO ids
      FROM (SELECT DISTINCT rate_id FROM old_rows) b JOIN rates r ON r.id = b.rate_id;
  ELSE
    ids := '*';
  END IF;
  PERFORM openmor_notify_rating_tariffs(ids);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION openmor_notify_rating_tariff_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text;
BEGIN
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    SELECT string_agg(DISTINCT id::text, ',') INTO ids FROM old_rows;
  ELSE
    ids := '*';
  END IF;
  PERFORM openmor_notify_rating_tariffs(ids);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION openmor_notify_rating() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'destinations' THEN
    PERFORM pg_notify('openmor_rating', CASE WHEN TG_OP = 'INSERT' THEN 'destinations:insert' ELSE 'destinations:change' END);
  ELSIF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('openmor_rating', 'users');
  ELSE
    PERFORM pg_notify('openmor_rating', 'custom');
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER rates_notify_rating_insert AFTER INSERT ON rates REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_rates();
--> statement-breakpoint
CREATE TRIGGER rates_notify_rating_update AFTER UPDATE ON rates REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_rates();
--> statement-breakpoint
CREATE TRIGGER rates_notify_rating_delete AFTER DELETE ON rates REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_rates();
--> statement-breakpoint
CREATE TRIGGER rates_notify_rating_truncate AFTER TRUNCATE ON rates
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_rates();
--> statement-breakpoint
CREATE TRIGGER ratedetails_notify_rating_insert AFTER INSERT ON ratedetails REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_bands();
--> statement-breakpoint
CREATE TRIGGER ratedetails_notify_rating_update AFTER UPDATE ON ratedetails REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_bands();
--> statement-breakpoint
CREATE TRIGGER ratedetails_notify_rating_delete AFTER DELETE ON ratedetails REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_bands();
--> statement-breakpoint
CREATE TRIGGER ratedetails_notify_rating_truncate AFTER TRUNCATE ON ratedetails
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_bands();
--> statement-breakpoint
CREATE TRIGGER aratedetails_notify_rating_insert AFTER INSERT ON aratedetails REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_bands();
--> statement-breakpoint
CREATE TRIGGER aratedetails_notify_rating_update AFTER UPDATE ON aratedetails REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_bands();
--> statement-breakpoint
CREATE TRIGGER aratedetails_notify_rating_delete AFTER DELETE ON aratedetails REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_bands();
--> statement-breakpoint
CREATE TRIGGER aratedetails_notify_rating_truncate AFTER TRUNCATE ON aratedetails
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_bands();
--> statement-breakpoint
CREATE TRIGGER tariffs_notify_rating_update AFTER UPDATE ON tariffs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_tariff_rows();
--> statement-breakpoint
CREATE TRIGGER tariffs_notify_rating_delete AFTER DELETE ON tariffs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_tariff_rows();
--> statement-breakpoint
CREATE TRIGGER tariffs_notify_rating_truncate AFTER TRUNCATE ON tariffs
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating_tariff_rows();
--> statement-breakpoint
CREATE TRIGGER destinations_notify_rating AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON destinations
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating();
--> statement-breakpoint
CREATE TRIGGER customrates_notify_rating AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customrates
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating();
--> statement-breakpoint
CREATE TRIGGER acustratedetails_notify_rating AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON acustratedetails
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating();
--> statement-breakpoint
CREATE TRIGGER users_notify_rating AFTER DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating();
--> statement-breakpoint
CREATE TRIGGER users_rating_notify_rating
  AFTER UPDATE OF username, usertype, owner_id, tariff_id, time_zone, currency_id
  ON users FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating();
