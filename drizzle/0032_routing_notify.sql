-- Routing configuration held in process (routeCall): the caller's LCR, time zone, location and rules,
-- and each LCR's providers with their rules, tariff currency and exchange rate. Any change to what it
-- holds sends 'routing' on the rate index's channel; every instance drops its routing cache.
CREATE OR REPLACE FUNCTION openmor_notify_routing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('openmor_rating', 'routing');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER lcrs_notify_routing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lcrs
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER lcrproviders_notify_routing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lcrproviders
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER providers_notify_routing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON providers
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER provider_rules_notify_routing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON provider_rules
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER location_rules_notify_routing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON location_rules
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER location_groups_notify_routing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON location_groups
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER tariffs_notify_routing AFTER UPDATE OR DELETE OR TRUNCATE ON tariffs
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER currencies_notify_routing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON currencies
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
-- Users and devices change often (balances, registrations): only the columns routing reads fire.
CREATE TRIGGER users_notify_routing AFTER UPDATE OF lcr_id, time_zone ON users FOR EACH ROW
  WHEN (OLD.lcr_id IS DISTINCT FROM NEW.lcr_id OR OLD.time_zone IS DISTINCT FROM NEW.time_zone)
  EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER users_delete_notify_routing AFTER DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER devices_notify_routing AFTER UPDATE OF location_id, user_id ON devices FOR EACH ROW
  WHEN (OLD.location_id IS DISTINCT FROM NEW.location_id OR OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION openmor_notify_routing();
--> statement-breakpoint
CREATE TRIGGER devices_delete_notify_routing AFTER DELETE OR TRUNCATE ON devices
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_routing();
