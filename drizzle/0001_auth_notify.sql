-- Statement triggers that NOTIFY every openmor instance when data the API pipeline caches changes
-- (src/domain/auth/cache.ts). Balance and other non-identity updates of users do not fire.
CREATE OR REPLACE FUNCTION openmor_notify_auth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('openmor_auth', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER conflines_notify_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON conflines
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_auth();
--> statement-breakpoint
CREATE TRIGGER whitelisted_ips_notify_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON whitelisted_ips
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_auth();
--> statement-breakpoint
CREATE TRIGGER api_permission_groups_notify_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_permission_groups
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_auth();
--> statement-breakpoint
CREATE TRIGGER acc_groups_notify_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON acc_groups
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_auth();
--> statement-breakpoint
CREATE TRIGGER users_notify_auth AFTER DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_auth();
--> statement-breakpoint
CREATE TRIGGER users_identity_notify_auth
  AFTER UPDATE OF username, usertype, owner_id, blocked, uniquehash, acc_group_id, api_restricted, api_permission_group_id
  ON users FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_auth();
