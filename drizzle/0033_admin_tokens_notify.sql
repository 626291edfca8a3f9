-- Bearer tokens are cached with the auth data (src/domain/auth/cache.ts): a revoked or deleted token
-- must be dropped by every instance, so admin_tokens joins the openmor_auth statement triggers of
-- drizzle/0001. A new token needs no signal (unknown tokens are never cached).
CREATE TRIGGER admin_tokens_notify_auth AFTER UPDATE OR DELETE OR TRUNCATE ON admin_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_auth();
