-- The rate index drops just the users whose lookup columns changed (it dropped every cached user
-- before): a row trigger, filtered by column list and WHEN, so balance updates never fire it. The
-- payload is 'user:<username>' (old and, when renamed, new); TRUNCATE still says 'users'.
DROP TRIGGER IF EXISTS users_rating_notify_rating ON users;
--> statement-breakpoint
DROP TRIGGER IF EXISTS users_notify_rating ON users;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION openmor_notify_rating_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A payload holds at most 8000 bytes: an absurdly long name drops every cached user instead.
  IF octet_length(OLD.username) > 7000 OR (TG_OP = 'UPDATE' AND octet_length(NEW.username) > 7000) THEN
    PERFORM pg_notify('openmor_rating', 'users');
    RETURN NULL;
  END IF;
  PERFORM pg_notify('openmor_rating', 'user:' || OLD.username);
  IF TG_OP = 'UPDATE' AND NEW.username IS DISTINCT FROM OLD.username THEN
    PERFORM pg_notify('openmor_rating', 'user:' || NEW.username);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_row_notify_rating
  AFTER UPDATE OF username, usertype, owner_id, tariff_id, time_zone, currency_id ON users FOR EACH ROW
  WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.usertype IS DISTINCT FROM NEW.usertype
    OR OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.tariff_id IS DISTINCT FROM NEW.tariff_id
    OR OLD.time_zone IS DISTINCT FROM NEW.time_zone OR OLD.currency_id IS DISTINCT FROM NEW.currency_id)
  EXECUTE FUNCTION openmor_notify_rating_user();
--> statement-breakpoint
CREATE TRIGGER users_delete_notify_rating AFTER DELETE ON users FOR EACH ROW
  EXECUTE FUNCTION openmor_notify_rating_user();
--> statement-breakpoint
CREATE TRIGGER users_truncate_notify_rating AFTER TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_rating();
