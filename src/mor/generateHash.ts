import type { Ctx } from '../domain/ctx.ts';
import { forbidden, notFound } from '../domain/errors.ts';
import { getSettings } from '../domain/settings/getSettings.ts';
import { callerHashOrder, computeHash, hashString } from './hash.ts';
import { Params } from './params.ts';
import { findMethod } from './registry.ts';

/**
 * "Generate hash" (SETTINGS → Setup): for a method and parameter values, the ordered parameter list,
 * the string that is hashed and the hash, with the caller's own key (the admin's for conflines_update).
 */
export async function generateHash(ctx: Ctx, name: string, values: Record<string, string>) {
  const method = findMethod(name);
  if (!method) throw notFound('method', `Unknown method ${name}`);
  // A method signed with the admin's key (conflines_update: hash = sha1(key)) would hand anyone else a
  // hash valid for u=admin on every method with an empty hash list: only the admin may generate it.
  if (method.keyScope === 'admin' && ctx.actor.usertype !== 'admin') {
    throw forbidden('admin_key', `${name} is signed with the admin's key`);
  }
  const settings = await getSettings(ctx);
  // Methods that hash `u` (quickstats_get for anyone but the admin) sign the caller's own username.
  const u = method.hashU ? { u: ctx.actor.username } : {};
  const params = new Params(new Map(Object.entries({ ...values, ...u })));
  const order = callerHashOrder(method, params, ctx.actor.usertype);
  const key = settings.apiSecretKey;
  return {
    method: method.name,
    order: [...order, 'secret_key'],
    hashedString: hashString(order, params, '*'.repeat(key.length)),
    hash: computeHash(order, params, key),
  };
}
