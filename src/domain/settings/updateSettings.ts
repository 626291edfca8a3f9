import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { forbidden, invalid } from '../errors.ts';
import { API_SETTINGS, apiSettingsFrom, conflinesFrom, RESELLER_API_SETTINGS } from './catalogue.ts';
import { getSettings, type SettingsView } from './getSettings.ts';
import { readConflines, writeConflines } from './writeConflines.ts';

export const UpdateSettings = v.strictObject({
  allowApi: v.optional(v.boolean()),
  allowGetApi: v.optional(v.boolean()),
  disableHashChecking: v.optional(v.boolean()),
  apiSecretKey: v.optional(v.string()),
  allowBalanceOverHttp: v.optional(v.boolean()),
  allowRateOverHttp: v.optional(v.boolean()),
  showRatesForUsers: v.optional(v.boolean()),
  allowResellersAdminTariffs: v.optional(v.boolean()),
  allowApiRegistration: v.optional(v.boolean()),
  restrictApiByIp: v.optional(v.boolean()),
  xmlApiExtension: v.optional(v.boolean()),
  allowApiLoginRedirect: v.optional(v.boolean()),
  allowLoginByEmail: v.optional(v.boolean()),
});
export type UpdateSettings = v.InferOutput<typeof UpdateSettings>;

/**
 * Changes API settings (SETTINGS → API tab). Admin: the global ones. Reseller: only its own Allow API,
 * API Secret Key and Disable hash checking. "Allow API" cannot be on with an empty or short key
 * (MOR: "Invalid API secret key"). Takes effect on the next request, in every instance.
 */
export async function updateSettings(ctx: Ctx, patch: UpdateSettings): Promise<SettingsView> {
  const { actor } = ctx;
  if (actor.usertype !== 'admin' && actor.usertype !== 'reseller') throw forbidden('settings');
  const ownerId = actor.usertype === 'reseller' ? actor.id : 0;
  if (ownerId !== 0) {
    const extra = Object.keys(patch).filter((k) => !(RESELLER_API_SETTINGS as readonly string[]).includes(k));
    if (extra.length > 0) throw forbidden('settings', `A reseller cannot change: ${extra.join(', ')}`);
  }
  if (patch.apiSecretKey !== undefined && patch.apiSecretKey.length <= 5) {
    throw invalid('api_secret_key', 'api_secret_key length must be higher than 5');
  }
  await withTransaction(ctx, async (tx) => {
    const current = apiSettingsFrom(await readConflines(tx, ownerId, Object.values(API_SETTINGS)));
    const next = { ...current, ...patch };
    if (next.allowApi && next.apiSecretKey.length <= 5) throw invalid('api_secret_key', 'Invalid API secret key');
    await writeConflines(tx, ownerId, conflinesFrom(patch));
  });
  return getSettings(ctx);
}
