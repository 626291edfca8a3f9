import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { DomainError } from '../errors.ts';

/** user_login's answer while a throttle lock holds (status `failed`, this status message). */
export const THROTTLED = 'Too many failed login attempts, try again later';

/** A login refused by the throttle; `retryAfter` seconds until the next attempt may be checked. */
export class LoginThrottled extends DomainError {
  constructor(readonly retryAfter: number) {
    super('UNAUTHENTICATED', 'login_throttled', THROTTLED);
  }
}

/**
 * Failed-login limits. The `free`-th failure within the window locks a counter for 1 s, every further
 * one for twice as long (2 s, 4 s …) up to `capSeconds`. A failure more than `WINDOW_SECONDS` after the
 * counter's last one starts it again from zero. The (account, address) pair is the strictest; the
 * account-wide counter catches an attack spread over many addresses but locks for at most two minutes
 * and never blocks an address that logged into the account successfully within `TRUST_DAYS`; the
 * address-wide counter catches one address trying many accounts.
 */
export const LOGIN_LIMITS = {
  pair: { free: 5, capSeconds: 15 * 60 },
  account: { free: 20, capSeconds: 2 * 60 },
  ip: { free: 50, capSeconds: 15 * 60 },
} as const;
export const WINDOW_SECONDS = 15 * 60;
export const TRUST_DAYS = 30;

type Counter = keyof typeof LOGIN_LIMITS;

const keysOf = (login: string, ip: string) => {
  const who = login.toLowerCase();
  return {
    pair: `pair:${who}|${ip}`,
    account: `account:${who}`,
    ip: `ip:${ip}`,
    trusted: `trusted:${who}|${ip}`,
  };
};

/** Seconds a counter with `failures` failures stays locked after its last one (0 = not locked). */
export function lockSeconds(counter: Counter, failures: number): number {
  const { free, capSeconds } = LOGIN_LIMITS[counter];
  if (failures < free) return 0;
  return Math.min(capSeconds, 2 ** Math.min(failures - free, 30));
}

/**
 * Seconds until `login` may try again from `ip`, or 0 when it may try now. Asked before the password
 * is checked, so a locked attempt costs no password hashing and reveals nothing about the password.
 */
export async function loginRetryAfter(ctx: Pick<Ctx, 'db' | 'clock'>, login: string, ip: string): Promise<number> {
  const keys = keysOf(login, ip);
  const now = ctx.clock();
  const rows = await queryRows<{ key: string; lockedUntil: string | null; lastAt: string }>(
    ctx.db,
    sql`select key, locked_until::text as "lockedUntil", last_at::text as "lastAt" from login_throttle
      where key in (${keys.pair}::text, ${keys.account}::text, ${keys.ip}::text, ${keys.trusted}::text)`,
  );
  const trustedRow = rows.find((r) => r.key === keys.trusted);
  const trusted = trustedRow !== undefined && now.getTime() - Date.parse(trustedRow.lastAt) < TRUST_DAYS * 86_400_000;
  let wait = 0;
  for (const row of rows) {
    if (row.key === keys.trusted || row.lockedUntil === null) continue;
    if (row.key === keys.account && trusted) continue;
    wait = Math.max(wait, Math.ceil((Date.parse(row.lockedUntil) - now.getTime()) / 1000));
  }
  return wait;
}

/** Counts a failed login of `login` from `ip` on its three counters and sets the locks they earned. */
export async function recordLoginFailure(ctx: Pick<Ctx, 'db' | 'clock'>, login: string, ip: string): Promise<void> {
  const keys = keysOf(login, ip);
  const now = ctx.clock().toISOString();
  const counters: Counter[] = ['pair', 'account', 'ip'];
  const rows = await queryRows<{ key: string; failures: number }>(
    ctx.db,
    sql`insert into login_throttle (key, failures, last_at)
      select k, 1, ${now}::timestamptz
      from (values (${keys.pair}::text), (${keys.account}::text), (${keys.ip}::text)) as v(k)
      on conflict (key) do update set
        failures = case when login_throttle.last_at < ${now}::timestamptz - ${WINDOW_SECONDS} * interval '1 second'
          then 1 else login_throttle.failures + 1 end,
        last_at = excluded.last_at
      returning key, failures`,
  );
  for (const row of rows) {
    const counter = counters.find((c) => keys[c] === row.key)!;
    const seconds = lockSeconds(counter, row.failures);
    if (seconds === 0) continue;
    await queryRows(
      ctx.db,
      sql`update login_throttle set locked_until = greatest(coalesce(locked_until, ${now}::timestamptz),
          ${now}::timestamptz + ${seconds} * interval '1 second')
        where key = ${row.key}::text`,
    );
  }
  // Old counters go away now and then (trusted pairs after TRUST_DAYS).
  if (Math.random() < 0.01) {
    await queryRows(
      ctx.db,
      sql`delete from login_throttle where (key not like 'trusted:%'
          and last_at < ${now}::timestamptz - ${WINDOW_SECONDS} * interval '1 second'
          and coalesce(locked_until, last_at) < ${now}::timestamptz)
        or last_at < ${now}::timestamptz - ${TRUST_DAYS} * interval '1 day'`,
    );
  }
}

/**
 * A successful login clears its pair's counter and trusts the pair for `TRUST_DAYS`. The account-wide
 * and address-wide counters stay: one success must not reopen an attacker's budget.
 */
export async function recordLoginSuccess(ctx: Pick<Ctx, 'db' | 'clock'>, login: string, ip: string): Promise<void> {
  const keys = keysOf(login, ip);
  const now = ctx.clock().toISOString();
  await queryRows(
    ctx.db,
    sql`with gone as (delete from login_throttle where key = ${keys.pair}::text)
      insert into login_throttle (key, failures, last_at) values (${keys.trusted}::text, 0, ${now}::timestamptz)
      on conflict (key) do update set last_at = excluded.last_at`,
  );
}
