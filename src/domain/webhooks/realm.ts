import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/** The realm whose webhooks `actor` manages: the admin's (0) or a reseller's own; nobody else has any. */
export function webhookRealm(actor: Account): number {
  if (actor.usertype === 'admin') return 0;
  if (actor.usertype === 'reseller') return actor.id;
  throw forbidden('webhooks', 'Only the admin and resellers manage webhooks');
}
