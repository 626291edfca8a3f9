import { and, eq, like, or } from 'drizzle-orm';
import { currencies } from '../../db/schema/currencies.ts';
import { conflines } from '../../db/schema/settings.ts';
import type { Ctx } from '../ctx.ts';
import { heldOrNull } from '../heldOrNull.ts';
import { DEFAULT_CONFLINES } from '../setup/bootstrap.ts';

/** Conflines that only matter to sign-up (owner's own, else the admin's): openmor decisions. */
export const REGISTRATION_LINES = {
  /** '1': passwords need a digit, a capital and a lowercase letter. */
  strongPasswords: 'registration_strong_passwords',
  /** '1': first_name and last_name are required. */
  namesRequired: 'registration_names_required',
  /** Text answered as <registration_notice>. */
  notice: 'registration_notice',
  /** Asterisk server address answered as <server_ip> (admin's only: servers are the admin's). */
  serverIp: 'server_ip',
} as const;

/** Default User values a new user copies (the users columns), plus the sign-up rules. */
export interface DefaultUser {
  ownerId: number;
  passwordLength: number;
  strongPasswords: boolean;
  namesRequired: boolean;
  notice: string;
  serverIp: string;
  columns: {
    balance: string;
    credit: string;
    postpaid: boolean;
    allowLossCalls: boolean;
    callLimit: number;
    timeZone: string;
    currencyId: number;
    tariffId: number | null;
    lcrId: number | null;
    quickforwardsRuleId: number | null;
    recordingEnabled: boolean;
    recordingForcedEnabled: boolean;
  };
}

const id = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : null);

/**
 * The owner's Default User (admin 0 or a reseller): its `default_user_*` conflines over the built-in
 * defaults. `null` when the owner has no Default User at all (user_register: "Default user is not
 * present"); pass `fallback` to build from the built-in defaults instead (GUI/tRPC creation). Call it
 * in the transaction that creates the user: the template's tariff and LCR are read `for key share`
 * (a delete of either waits and sees the new user), and one deleted since the setting was written is
 * taken as none rather than as a dangling id.
 */
export async function loadDefaultUser(
  ctx: Pick<Ctx, 'db'>,
  ownerId: number,
  fallback = false,
): Promise<DefaultUser | null> {
  const rows = await ctx.db
    .select({ name: conflines.name, value: conflines.value, ownerId: conflines.ownerId })
    .from(conflines)
    .where(
      or(
        and(eq(conflines.ownerId, ownerId), like(conflines.name, 'default\\_user\\_%')),
        eq(conflines.name, REGISTRATION_LINES.strongPasswords),
        eq(conflines.name, REGISTRATION_LINES.namesRequired),
        eq(conflines.name, REGISTRATION_LINES.notice),
        eq(conflines.name, REGISTRATION_LINES.serverIp),
      ),
    );
  const own = rows.filter((r) => r.ownerId === ownerId && r.name.startsWith('default_user_'));
  if (own.length === 0 && !fallback) return null;
  const line = (name: string) => own.find((r) => r.name === name)?.value ?? DEFAULT_CONFLINES[name];
  // Sign-up lines: the owner's own value wins over the admin's.
  const reg = (name: string) =>
    (rows.find((r) => r.name === name && r.ownerId === ownerId) ?? rows.find((r) => r.name === name && r.ownerId === 0))
      ?.value ?? '';
  const code = line('default_user_currency') ?? 'USD';
  const [currency] = await ctx.db
    .select({ id: currencies.id })
    .from(currencies)
    .where(or(eq(currencies.name, code), eq(currencies.isDefault, true)))
    .orderBy(currencies.isDefault)
    .limit(1);
  return {
    ownerId,
    passwordLength: Number(line('default_user_password_length') ?? 8),
    strongPasswords: reg(REGISTRATION_LINES.strongPasswords) === '1',
    namesRequired: reg(REGISTRATION_LINES.namesRequired) === '1',
    notice: reg(REGISTRATION_LINES.notice),
    serverIp: rows.find((r) => r.name === REGISTRATION_LINES.serverIp && r.ownerId === 0)?.value ?? '',
    columns: {
      balance: line('default_user_balance') ?? '0',
      credit: line('default_user_credit') ?? '0',
      postpaid: line('default_user_postpaid') === '1',
      allowLossCalls: line('default_user_allow_loss_calls') === '1',
      callLimit: Number(line('default_user_call_limit') ?? 0),
      timeZone: line('default_user_time_zone') ?? 'UTC',
      currencyId: currency?.id ?? 1,
      tariffId: await heldOrNull(ctx, 'tariffs', id(line('default_user_tariff_id'))),
      lcrId: await heldOrNull(ctx, 'lcrs', id(line('default_user_lcr_id'))),
      quickforwardsRuleId: id(line('default_user_quickforwards_rule_id')),
      recordingEnabled: line('default_user_recording_enabled') === '1',
      recordingForcedEnabled: line('default_user_recording_forced_enabled') === '1',
    },
  };
}
