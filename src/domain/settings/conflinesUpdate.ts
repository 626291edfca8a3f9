import { and, eq, inArray } from 'drizzle-orm';
import { currencies } from '../../db/schema/currencies.ts';
import { locations, quickforwardsRules, tariffs } from '../../db/schema/stubs.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { forbidden, invalid } from '../errors.ts';
import { isTimeZoneName } from './timeZones.ts';
import { writeConflines } from './writeConflines.ts';

export const AUDIO_CODECS = ['alaw', 'ulaw', 'g723', 'g726', 'g729', 'gsm', 'ilbc', 'lpc10', 'speex', 'sdpcm', 'slin'];
export const VIDEO_CODECS = ['h261', 'h263', 'h263p', 'h264'];

/** The settings conflines_update accepts, in the order they are validated (the spec's table order). */
export const CONFLINES_UPDATE_PARAMS = [
  'allow_api',
  'api_secret_key',
  'default_user_password_length',
  'default_user_credit',
  'default_user_balance',
  'default_user_postpaid',
  'default_user_allow_loss_calls',
  'default_user_call_limit',
  'default_user_time_zone',
  'default_user_currency',
  'default_user_quickforwards_rule_id',
  'default_user_recording_enabled',
  'default_user_recording_forced_enabled',
  'default_user_tariff_id',
  'default_device_call_limit',
  'default_device_canreinvite',
  'default_device_nat',
  'default_device_qualify',
  'default_device_grace_time',
  'default_device_location_id',
  'default_device_audio_codecs',
  'default_device_video_codecs',
] as const;

type Check = (value: string, ctx: Ctx, ownerId: number) => Promise<string | null> | string | null;

const isBit = (s: string) => s === '0' || s === '1';
const isWhole = (s: string) => /^\d+$/.test(s) && s.length <= 9;
const isNumber = (s: string) => /^-?\d+(\.\d+)?$/.test(s) && s.length <= 30;
const exists = async (found: Promise<unknown[]>) => (await found).length > 0;
const ownedBy = (ownerId: number) => (ownerId === 0 ? [0] : [ownerId, 0]);
const codecList = (allowed: string[]) => (s: string) => {
  const names = s
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean);
  return names.every((c) => allowed.includes(c)) ? [...new Set(names)].join(',') : null;
};

/** Each check returns the normalised value to store, or null when the value is invalid. */
const CHECKS: Record<(typeof CONFLINES_UPDATE_PARAMS)[number], { error: string; check: Check }> = {
  allow_api: { error: 'allow_api must be 0 or 1', check: (s) => (isBit(s) ? s : null) },
  api_secret_key: { error: 'api_secret_key length must be higher than 5', check: (s) => (s.length > 5 ? s : null) },
  default_user_password_length: {
    error: 'default_user_password_length must be between 6 and 30',
    check: (s) => (isWhole(s) && +s >= 6 && +s <= 30 ? String(+s) : null),
  },
  default_user_credit: {
    error: 'default_user_credit must be positive number or -1 for infinity',
    check: (s) => (s === '-1' || (isNumber(s) && !s.startsWith('-')) ? s : null),
  },
  default_user_balance: { error: 'default_user_balance must be number', check: (s) => (isNumber(s) ? s : null) },
  default_user_postpaid: { error: 'default_user_postpaid must be 0 or 1', check: (s) => (isBit(s) ? s : null) },
  default_user_allow_loss_calls: {
    error: 'default_user_allow_loss_calls must be 0 or 1',
    check: (s) => (isBit(s) ? s : null),
  },
  // MOR answers a bad call limit with the credit message; reproduced verbatim.
  default_user_call_limit: {
    error: 'default_user_credit must be positive integer',
    check: (s) => (isWhole(s) ? String(+s) : null),
  },
  default_user_time_zone: {
    error: 'default_user_time_zone name was not correct',
    check: (s) => (isTimeZoneName(s) ? s : null),
  },
  default_user_currency: {
    error: 'default_user_currency name was not correct',
    check: async (s, ctx) =>
      (await exists(
        ctx.db
          .select({ id: currencies.id })
          .from(currencies)
          .where(and(eq(currencies.name, s), eq(currencies.active, true))),
      ))
        ? s
        : null,
  },
  default_user_quickforwards_rule_id: {
    error: 'default_user_quickforwards_rule_id was not found',
    check: async (s, ctx, ownerId) =>
      isWhole(s) &&
      (await exists(
        ctx.db
          .select({ id: quickforwardsRules.id })
          .from(quickforwardsRules)
          .where(and(eq(quickforwardsRules.id, +s), inArray(quickforwardsRules.ownerId, ownedBy(ownerId)))),
      ))
        ? String(+s)
        : null,
  },
  default_user_recording_enabled: {
    error: 'default_user_recording_enabled must be 0 or 1',
    check: (s) => (isBit(s) ? s : null),
  },
  default_user_recording_forced_enabled: {
    error: 'default_user_recording_forced_enabled must be 0 or 1',
    check: (s) => (isBit(s) ? s : null),
  },
  default_user_tariff_id: {
    error: 'default_user_tariff_id was not found',
    check: async (s, ctx, ownerId) =>
      isWhole(s) &&
      (await exists(
        ctx.db
          .select({ id: tariffs.id })
          .from(tariffs)
          .where(and(eq(tariffs.id, +s), eq(tariffs.ownerId, ownerId)))
          // Held until the setting is written: a tariff delete (locking the row first) then sees it.
          .for('key share'),
      ))
        ? String(+s)
        : null,
  },
  default_device_call_limit: {
    error: 'default_device_call_limit must be positive integer',
    check: (s) => (isWhole(s) ? String(+s) : null),
  },
  default_device_canreinvite: {
    error:
      "default_device_canreinvite can only be one of the following: 'yes', 'no', 'nonat', 'update', 'update,nonat'",
    check: (s) => (['yes', 'no', 'nonat', 'update', 'update,nonat'].includes(s) ? s : null),
  },
  default_device_nat: {
    error: "default_device_nat can only be one of the following: 'yes', 'no', 'force_rport', 'comedia'",
    check: (s) => (['yes', 'no', 'force_rport', 'comedia'].includes(s) ? s : null),
  },
  default_device_qualify: {
    error: "default_device_qualify can only be 'no' or >= 1000 integer",
    check: (s) => (s === 'no' || (isWhole(s) && +s >= 1000) ? (s === 'no' ? s : String(+s)) : null),
  },
  default_device_grace_time: {
    error: 'default_device_grace_time must be positive integer',
    check: (s) => (isWhole(s) ? String(+s) : null),
  },
  default_device_location_id: {
    error: 'default_device_location_id was not found',
    check: async (s, ctx, ownerId) =>
      isWhole(s) &&
      (await exists(
        ctx.db
          .select({ id: locations.id })
          .from(locations)
          .where(and(eq(locations.id, +s), inArray(locations.ownerId, ownedBy(ownerId))))
          // Held until the setting is written: a location delete (locking the row first) then sees it.
          .for('key share'),
      ))
        ? String(+s)
        : null,
  },
  default_device_audio_codecs: {
    error: `default_device_audio_codecs can only contain: ${AUDIO_CODECS.join(', ')}`,
    check: codecList(AUDIO_CODECS),
  },
  default_device_video_codecs: {
    error: `default_device_video_codecs can only contain: ${VIDEO_CODECS.join(', ')}`,
    check: codecList(VIDEO_CODECS),
  },
};

/**
 * conflines_update: validates every sent setting (first failure wins, nothing is written), then stores
 * them as the caller's conflines (owner 0 for the admin, the reseller's id for a reseller).
 * `allow_api=1` is accepted and changes nothing: enabling the API is GUI-only in MOR.
 */
export async function conflinesUpdate(ctx: Ctx, params: Readonly<Record<string, string | undefined>>) {
  const { actor } = ctx;
  if (actor.usertype !== 'admin' && actor.usertype !== 'reseller') throw forbidden('conflines');
  const ownerId = actor.usertype === 'reseller' ? actor.id : 0;
  return withTransaction(ctx, async (tx) => {
    const writes: [string, string][] = [];
    for (const name of CONFLINES_UPDATE_PARAMS) {
      const raw = params[name];
      if (raw === undefined || raw === '') continue;
      const { error, check } = CHECKS[name];
      const value = await check(raw, tx, ownerId);
      if (value === null) throw invalid(name, error);
      if (name === 'allow_api' && value === '1') continue;
      writes.push([name, value]);
    }
    return writeConflines(tx, ownerId, writes);
  });
}
