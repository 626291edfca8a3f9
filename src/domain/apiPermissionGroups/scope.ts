import type { Account } from '../auth/types.ts';
import { forbidden, invalid } from '../errors.ts';

/**
 * Access class of every hash-protected XML method (docs/pipeline.md §9), by current name. The adapter passes it
 * in from the XML registry: the domain does not know the XML API.
 */
export type ApiMethodClasses = Readonly<Record<string, 'read' | 'write'>>;

/**
 * Whose API permission groups the caller manages: the admin's (owner 0) for the admin and for an
 * accountant whose group grants Users manage (1 read, 2 write); a reseller its own. Others: FORBIDDEN.
 */
export function groupOwner(actor: Account, level: 1 | 2): number {
  if (actor.usertype === 'admin') return 0;
  if (actor.usertype === 'reseller') return actor.id;
  if (actor.usertype === 'accountant' && (actor.rights.users_manage ?? 0) >= level) return 0;
  throw forbidden(
    'api_permission_groups',
    actor.usertype === 'accountant'
      ? `API permission groups need the Users manage permission (${level === 2 ? 'write' : 'read'})`
      : 'API permission groups are managed by the admin and resellers',
  );
}

/** Every method must be a known hash-protected one; read-only methods take only 0 (disabled) or 1 (read). */
export function checkLevels(levels: Readonly<Record<string, number>>, methods: ApiMethodClasses): void {
  for (const [name, level] of Object.entries(levels)) {
    const access = Object.hasOwn(methods, name) ? methods[name] : undefined;
    if (!access) throw invalid('method', `Unknown API method: ${name}`);
    if (access === 'read' && level > 1) throw invalid('level', `${name} is read-only: its level is 0 or 1`);
  }
}
