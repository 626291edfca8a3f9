import { eq, sql } from 'drizzle-orm';
import { addresses, sessions, users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import type { Account } from '../auth/types.ts';
import { randomString, sha256Hex, verifyPassword } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';
import { DomainError } from '../errors.ts';
import { LoginThrottled, loginRetryAfter, recordLoginFailure, recordLoginSuccess } from './loginThrottle.ts';

const SESSION_HOURS = 24;

export interface LoginInput {
  /** Username, or e-mail when `byEmail` is allowed ("Allow login by email"). */
  login: string;
  password: string;
  byEmail: boolean;
}

export interface LoginResult {
  userId: number;
  /** Session id for the cookie; only its SHA-256 is stored. */
  sessionId: string;
  expiresAt: Date;
}

/**
 * user_login: checks the credentials, opens a GUI session, marks the account online and logs it.
 * Unknown account, wrong password and blocked account fail alike (UNAUTHENTICATED), revealing nothing,
 * and count against the failed-login throttle (loginThrottle.ts); a throttled attempt is refused
 * (LoginThrottled) before the password is checked.
 */
export async function login(ctx: Omit<Ctx, 'actor'>, input: LoginInput): Promise<LoginResult> {
  const fail = () => new DomainError('UNAUTHENTICATED', 'login', 'Login failed');
  const wait = await loginRetryAfter(ctx, input.login, ctx.ip);
  if (wait > 0) throw new LoginThrottled(wait);
  const rows = await ctx.db
    .select({
      id: users.id,
      password: users.password,
      blocked: users.blocked,
      usertype: users.usertype,
      ownerId: users.ownerId,
      username: users.username,
    })
    .from(users)
    .leftJoin(addresses, eq(addresses.id, users.addressId))
    .where(
      input.byEmail
        ? sql`${users.username} = ${input.login} or (${addresses.email} = ${input.login} and ${addresses.email} <> '')`
        : eq(users.username, input.login),
    )
    .orderBy(sql`${users.username} = ${input.login} desc`)
    .limit(1);
  const user = rows[0];
  // Verify even when the user is unknown so timing does not reveal which usernames exist.
  const ok = await verifyPassword(input.password, user?.password ?? DUMMY_HASH);
  if (!user || !ok || user.blocked) {
    await recordLoginFailure(ctx, input.login, ctx.ip);
    throw fail();
  }
  await recordLoginSuccess(ctx, input.login, ctx.ip);
  const sessionId = randomString(40);
  const expiresAt = new Date(ctx.clock().getTime() + SESSION_HOURS * 3600_000);
  const actor: Account = {
    id: user.id,
    username: user.username,
    usertype: user.usertype,
    ownerId: user.ownerId,
    blocked: false,
    apiLevels: null,
    rights: {},
    accGroupId: null,
  };
  await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx as never, actor } as Ctx;
    await tx.insert(sessions).values({ userId: user.id, tokenHash: await sha256Hex(sessionId), expiresAt });
    await tx.update(users).set({ logged: true }).where(eq(users.id, user.id));
    await logAction(txCtx, { action: 'login', targetType: 'user', targetId: user.id });
  });
  return { userId: user.id, sessionId, expiresAt };
}

/** user_logout: ends every session of the account, marks it offline, logs it. Unknown account → NOT_FOUND. */
export async function logout(ctx: Omit<Ctx, 'actor'>, username: string): Promise<void> {
  const [user] = await ctx.db
    .select({ id: users.id, usertype: users.usertype, ownerId: users.ownerId })
    .from(users)
    .where(eq(users.username, username));
  // The pipeline checked the hash with this account's own key owner, so the key reaches it.
  if (!user) {
    throw new DomainError('NOT_FOUND', 'user');
  }
  const actor: Account = {
    id: user.id,
    username,
    usertype: user.usertype,
    ownerId: user.ownerId,
    blocked: false,
    apiLevels: null,
    rights: {},
    accGroupId: null,
  };
  await ctx.db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await tx.update(users).set({ logged: false }).where(eq(users.id, user.id));
    await logAction({ ...ctx, db: tx as never, actor } as Ctx, {
      action: 'logout',
      targetType: 'user',
      targetId: user.id,
    });
  });
}

// A valid PBKDF2 hash of a random string, verified against when the account does not exist.
const DUMMY_HASH =
  'pbkdf2-sha256$100000$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000';
