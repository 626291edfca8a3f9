import { availableParallelism } from 'node:os';
import { parseConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { migrationStatus } from '../db/migrate.ts';
import type { DbHandle } from '../db/types.ts';
import { loadAuth } from '../domain/auth/loadAuth.ts';
import { randomSecret } from '../domain/crypto.ts';
import { type Ctx, silentLog } from '../domain/ctx.ts';
import { DomainError } from '../domain/errors.ts';
import { updateSettings } from '../domain/settings/updateSettings.ts';
import { issueToken } from '../domain/tokens/issueToken.ts';
import { listTokens } from '../domain/tokens/listTokens.ts';
import { revokeToken } from '../domain/tokens/revokeToken.ts';
import { updateUser } from '../domain/users/updateUser.ts';
import { createLog } from '../log.ts';
import { initialise } from '../start.ts';
import { claimEmbeddedDatabase } from './dataDirLock.ts';

/*
 * The operator's console: `npm run admin -- <command>` against DATABASE_URL or DATA_DIR (the same
 * environment as the server). It recovers what the first start printed once: the admin password,
 * tokens, API keys. Every change goes through the domain as the account concerned and lands in the
 * action log with the address "cli". On the embedded database the server must be stopped first (one
 * process per folder).
 */
const USAGE = `usage: npm run admin -- <command>
  reset-password [--username NAME] [--password PASSWORD]   new password (generated when not given)
  token list                                              tokens that are not revoked
  token issue [--username NAME] [--name LABEL]            a new tRPC bearer token (shown once)
  token revoke ID                                         revokes a token
  api-key rotate [--username NAME]                        a new API secret key for the admin or a reseller
  migrations                                              applied and pending migrations`;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

async function actingAs(handle: DbHandle, username: string): Promise<Ctx> {
  const { account } = await loadAuth(handle.db, { by: 'username', value: username });
  if (!account) throw new CliError(`no account named ${username}`);
  return {
    db: handle.db,
    actor: { ...account, apiLevels: null },
    clock: () => new Date(),
    log: silentLog,
    ip: 'cli',
    invalidateAuth: () => {},
  };
}

class CliError extends Error {}

async function run(handle: DbHandle, adminUsername: string, args: string[]): Promise<string> {
  const [command, sub] = args;
  const username = option(args, 'username') ?? adminUsername;
  if (command === 'reset-password') {
    const ctx = await actingAs(handle, adminUsername);
    const target = await actingAs(handle, username);
    const password = option(args, 'password') ?? randomSecret(20);
    await updateUser(ctx, { userId: target.actor.id, password });
    return `password of ${username} changed${option(args, 'password') ? '' : `: ${password}`}`;
  }
  if (command === 'token' && sub === 'list') {
    const tokens = await listTokens(await actingAs(handle, adminUsername));
    return tokens.map((t) => `${t.id}\t${t.username}\t${t.name}\t${t.createdAt}`).join('\n') || 'no tokens';
  }
  if (command === 'token' && sub === 'issue') {
    const ctx = await actingAs(handle, adminUsername);
    const target = await actingAs(handle, username);
    const issued = await issueToken(ctx, { userId: target.actor.id, name: option(args, 'name') ?? 'cli' });
    return `token ${issued.id} for ${username} (shown once): ${issued.token}`;
  }
  if (command === 'token' && sub === 'revoke') {
    const id = Number(args[2]);
    if (!Number.isInteger(id) || id <= 0) throw new CliError('token revoke needs a token id (see token list)');
    await revokeToken(await actingAs(handle, adminUsername), { id });
    return `token ${id} revoked`;
  }
  if (command === 'api-key' && sub === 'rotate') {
    const key = randomSecret(24);
    await updateSettings(await actingAs(handle, username), { apiSecretKey: key });
    return `API secret key of ${username} (shown once): ${key}`;
  }
  if (command === 'migrations') {
    const { applied, pending } = await migrationStatus(handle);
    return [
      `applied: ${applied.length}${applied.length ? ` (last ${applied.at(-1)})` : ''}`,
      `pending: ${pending.length ? pending.join(', ') : 'none'}`,
    ].join('\n');
  }
  throw new CliError(USAGE);
}

const args = process.argv.slice(2);
if (args.length === 0 || args[0] === '--help') {
  console.log(USAGE);
  process.exit(args.length === 0 ? 1 : 0);
}
const config = parseConfig(process.env, availableParallelism());
claimEmbeddedDatabase(config);
const handle = await connect(config);
let code = 0;
try {
  // A console on a new database sets it up exactly as the server's first start would.
  if (args[0] !== 'migrations') await initialise(handle, config, createLog('warn'));
  console.log(await run(handle, config.adminUsername, args));
} catch (error) {
  code = 1;
  if (error instanceof CliError) console.error(error.message);
  else if (error instanceof DomainError) console.error(`refused: ${error.message}`);
  else console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await handle.close();
}
process.exit(code);
