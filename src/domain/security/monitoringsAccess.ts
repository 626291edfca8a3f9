import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/**
 * Whitelisted IPs are managed by the admin and by accountants whose group grants Monitorings
 * (level 1 to read, 2 to change). Resellers and simple users never see them: the list is system-wide.
 */
export function requireMonitorings(actor: Account, level: 1 | 2): void {
  if (actor.usertype === 'admin') return;
  if (actor.usertype === 'accountant' && (actor.rights.monitorings ?? 0) >= level) return;
  throw forbidden(
    'monitorings',
    actor.usertype === 'accountant'
      ? `Whitelisted IPs need the Monitorings permission (${level === 2 ? 'write' : 'read'})`
      : 'Whitelisted IPs are managed by the admin',
  );
}
