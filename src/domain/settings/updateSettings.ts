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
  apiSecretKey: v.optional(v.pipe(v.string(), v.maxLength(255))),
  allowBalanceOverHttp: v.optional(v.boolean()),
  allowRateOverHttp: v.optional(v.boolean()),
  showRatesForUsers: v.optional(v.boolean()),
  allowResellersAdminTariffs: v.optional(v.boolean()),
  allowApiRegistration: v.optional(v.boolean()),
  restrictApiByIp: v.optional(v.boolean()),
  xmlApiExtension: v.optional(v.boolean()),
  allowApiLoginRedirect: v.optional(v.boolean()),
  allowLoginByEmail: v.optional(v.boolean()),
  allowApiPayments: v.optional(v.boolean()),
  apiPaymentConfirmation: v.optional(v.boolean()),
  hideDeviceUsernameForUsers: v.optional(v.boolean()),
  tariffImportAllOrNothing: v.optional(v.boolean()),
  vouchersEnabled: v.optional(v.boolean()),
  requireApiSignature: v.optional(v.boolean()),
});
export type UpdateSettings = v.InferOutput<typeof UpdateSettings>;

const shortKey = (key: string) => key.length <= 5;

/**
 * Changes API settings (SETTINGS → API tab). Admin: the global ones. Reseller: only its own Allow API,
 * API Secret Key, Disable hash checking and Require API signature. "Allow API" cannot be on with an
 * empty or short key (MOR: "Invalid API secret key"); a key may be cleared only while the API is off.
 * Takes effect on the next request, in every instance.
 */
export async function updateSettings(ctx: Ctx, input: UpdateSettings): Promise<SettingsView> {
  const { actor } = ctx;
  if (actor.usertype !== 'admin' && actor.usertype !== 'reseller') throw forbidden('settings');
  const patch = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as UpdateSettings;
  const ownerId = actor.usertype === 'reseller' ? actor.id : 0;
  if (ownerId !== 0) {
    const extra = Object.keys(patch).filter((k) => !(RESELLER_API_SETTINGS as readonly string[]).includes(k));
    if (extra.length > 0) throw forbidden('settings', `A reseller cannot change: ${extra.join(', ')}`);
  }
  await withTransaction(ctx, async (tx) => {
    const current = apiSettingsFrom(await readConflines(tx, ownerId, Object.values(API_SETTINGS)));
    const next = { ...current, ...patch };
    if (next.allowApi && shortKey(next.apiSecretKey)) throw invalid('api_secret_key', 'Invalid API secret key');
    if (patch.apiSecretKey !== undefined && patch.apiSecretKey !== '' && shortKey(patch.apiSecretKey)) {
      throw invalid('api_secret_key', 'api_secret_key length must be higher than 5');
    }
    await writeConflines(tx, ownerId, conflinesFrom(patch));
  });
  // Again after the commit: a request that loaded auth data between the write and the commit is dropped.
  ctx.invalidateAuth();
  return getSettings(ctx);
}
