import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/** IVR time periods and dial plans: the admin's, or a reseller's own ("Reseller PRO"). Others → `Access Denied`. */
export function requireIvrManager(actor: Account): void {
  if (actor.usertype !== 'admin' && actor.usertype !== 'reseller') throw forbidden('role', 'Access Denied');
}

/** The realm whose IVR objects the actor works with: 0 (the admin's) or the reseller itself. */
export const ivrOwner = (actor: Account): number => (actor.usertype === 'reseller' ? actor.id : 0);
