import { DomainError } from '../../domain/errors.ts';
import { login, logout } from '../../domain/users/login.ts';
import { LoginThrottled, THROTTLED } from '../../domain/users/loginThrottle.ts';
import { defineMethod } from '../method.ts';
import { type MorReply, STANDALONE_DECLARATION, xml } from '../xml.ts';

/** MOR GUI main page, the target of "Allow API Login Redirect". */
const MAIN_PAGE = '/billing/callc/main';
export const SESSION_COOKIE = 'openmor_session';

const action = (name: string, fields: Record<string, string | number>, cookie?: string): MorReply => ({
  ...xml({ action: { name, ...fields } }, STANDALONE_DECLARATION),
  ...(cookie ? { headers: { 'set-cookie': cookie } } : {}),
});

const cookieFor = (id: string, expires: Date) =>
  `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Expires=${expires.toUTCString()}`;

export const userLogin = defineMethod({
  name: 'user_login',
  aliases: ['login'],
  family: 'users',
  summary: 'Checks a username and password and opens a session for that account.',
  identity: 'account',
  hash: ['u', 'p'],
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'username (or e-mail when "Allow login by email" is on)' },
    { name: 'p', required: true, description: 'password' },
    { name: 'hash', required: true, description: 'sha1(u + p + secret key)' },
  ],
  run: async ({ base, params, auth }) => {
    const redirect = auth.settings.allowApiLoginRedirect;
    try {
      const session = await login(base, {
        login: params.get('u') ?? '',
        password: params.get('p') ?? '',
        byEmail: auth.settings.allowLoginByEmail,
      });
      const cookie = cookieFor(session.sessionId, session.expiresAt);
      if (redirect) return { kind: 'redirect', location: MAIN_PAGE, headers: { 'set-cookie': cookie } };
      return action(
        'login',
        { status: 'ok', user_id: session.userId, status_message: 'Successfully logged in' },
        cookie,
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error instanceof LoginThrottled) {
        // Too many failures: the same <action> answer with its own message, and when to retry.
        const reply = action('login', { status: 'failed', status_message: THROTTLED });
        return { ...reply, headers: { 'retry-after': String(error.retryAfter) } };
      }
      return action('login', redirect ? { status: 'failed' } : { status: 'failed', status_message: 'Login failed' });
    }
  },
});

export const userLogout = defineMethod({
  name: 'user_logout',
  aliases: ['logout'],
  family: 'users',
  summary: "Ends the account's sessions and marks it offline.",
  identity: 'account',
  hash: [],
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'account to log out' },
    { name: 'hash', required: true, description: 'sha1(secret key)' },
  ],
  run: async ({ base, params }) => {
    const u = params.value('u');
    try {
      if (u === undefined) throw new DomainError('NOT_FOUND', 'user');
      await logout(base, u);
      return action('logout', { status: 'ok' });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return action('logout', { status: 'failed' });
    }
  },
});
