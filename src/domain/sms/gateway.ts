import * as v from 'valibot';
import { type Ctx, withTransaction } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { SMS_GATEWAY_SETTINGS } from '../messages/smsRoute.ts';
import { readConflines, writeConflines } from '../settings/writeConflines.ts';

/**
 * The SMS provider (Kannel-style HTTP gateway) of the caller's realm: the admin's (owner 0) or a
 * reseller's own (a reseller without one sends through the admin's). Conflines `sms_gateway_url`,
 * `sms_gateway_username`, `sms_gateway_password`; the password is never answered.
 */
export const SetSmsGateway = v.strictObject({
  urlTemplate: v.union([
    v.literal(''),
    v.pipe(v.string(), v.maxLength(2000), v.regex(/^https?:\/\//, 'an http:// or https:// URL template')),
  ]),
  username: v.optional(v.pipe(v.string(), v.maxLength(255))),
  password: v.optional(v.pipe(v.string(), v.maxLength(255))),
});

function gatewayRealm(ctx: Ctx): number {
  if (ctx.actor.usertype === 'admin') return 0;
  if (ctx.actor.usertype === 'reseller') return ctx.actor.id;
  throw forbidden('sms_gateway', 'Only the admin and resellers configure an SMS gateway');
}

export async function getSmsGateway(ctx: Ctx) {
  const realm = gatewayRealm(ctx);
  const lines = await readConflines(ctx, realm, SMS_GATEWAY_SETTINGS);
  return {
    realmId: realm,
    urlTemplate: lines.sms_gateway_url ?? '',
    username: lines.sms_gateway_username ?? '',
    passwordSet: Boolean(lines.sms_gateway_password),
  };
}

/** Sets the realm's gateway; an empty template removes it (a reseller's realm then uses the admin's). */
export async function setSmsGateway(ctx: Ctx, input: v.InferOutput<typeof SetSmsGateway>) {
  const realm = gatewayRealm(ctx);
  await withTransaction(ctx, (tx) =>
    writeConflines(
      tx,
      realm,
      [
        ['sms_gateway_url', input.urlTemplate],
        ...(input.username !== undefined ? [['sms_gateway_username', input.username] as const] : []),
        ...(input.password !== undefined ? [['sms_gateway_password', input.password] as const] : []),
      ],
      ['sms_gateway_password'],
    ),
  );
  return getSmsGateway(ctx);
}
