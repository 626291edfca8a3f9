import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { API_SETTINGS, type ApiSettings, apiSettingsFrom, RESELLER_API_SETTINGS } from './catalogue.ts';
import { readConflines } from './writeConflines.ts';

export type SettingsView = ApiSettings & { uniquehash: string; scope: 'global' | 'reseller' };

/**
 * The API settings the caller manages: the global ones for the admin; for a reseller its own Allow API,
 * API Secret Key, Disable hash checking and Require API signature over the global flags it inherits
 * read-only. Accountants and simple users have no API tab in MOR (an accountant signs with the admin's
 * key but may not read it). Never a password.
 */
export async function getSettings(ctx: Ctx): Promise<SettingsView> {
  const { actor } = ctx;
  if (actor.usertype !== 'admin' && actor.usertype !== 'reseller') throw forbidden('settings');
  const global = apiSettingsFrom(await readConflines(ctx, 0, Object.values(API_SETTINGS)));
  const ownerId = actor.usertype === 'reseller' ? actor.id : 0;
  const [me] = await ctx.db.select({ uniquehash: users.uniquehash }).from(users).where(eq(users.id, ownerId));
  const uniquehash = me?.uniquehash ?? '';
  if (ownerId === 0) return { ...global, uniquehash, scope: 'global' };
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
    requireApiSignature: own.requireApiSignature,
    uniquehash,
    scope: 'reseller',
  };
}
