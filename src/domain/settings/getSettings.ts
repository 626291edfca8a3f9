import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/users.ts';
import { hasRight } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { API_SETTINGS, type ApiSettings, apiSettingsFrom, RESELLER_API_SETTINGS } from './catalogue.ts';
import { readConflines } from './writeConflines.ts';

export type SettingsView = ApiSettings & { uniquehash: string; scope: 'global' | 'reseller' };

/**
 * The API settings the caller manages: the global ones for the admin (and an accountant allowed to
 * manage users), a reseller's own three plus the global flags it inherits read-only. Never a password.
 */
export async function getSettings(ctx: Ctx): Promise<SettingsView> {
  const { actor } = ctx;
  if (actor.usertype === 'user' || (actor.usertype === 'accountant' && !hasRight(actor, 'users_manage'))) {
    throw forbidden('settings');
  }
  const global = apiSettingsFrom(await readConflines(ctx, 0, Object.values(API_SETTINGS)));
  const ownerId = actor.usertype === 'reseller' ? actor.id : 0;
  const [me] = await ctx.db.select({ uniquehash: users.uniquehash }).from(users).where(eq(users.id, ownerId));
  if (ownerId === 0) return { ...global, uniquehash: me?.uniquehash ?? '', scope: 'global' };
  const own = apiSettingsFrom(
    await readConflines(
      ctx,
      ownerId,
      RESELLER_API_SETTINGS.map((k) => API_SETTINGS[k]),
    ),
  );
  return {
    ...global,
    allowApi: own.allowApi,
    apiSecretKey: own.apiSecretKey,
    disableHashChecking: own.disableHashChecking,
    uniquehash: me?.uniquehash ?? '',
    scope: 'reseller',
  };
}
