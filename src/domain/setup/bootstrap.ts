import type { Config } from '../../config.ts';
import type { DbHandle } from '../../db/types.ts';
import { hashPassword, randomSecret, randomUniquehash, sha256Hex } from '../crypto.ts';
import { API_SETTINGS } from '../settings/catalogue.ts';

/** Secrets generated on first start; the entry prints them once. */
export interface Generated {
  adminPassword?: string;
  apiSecretKey?: string;
  adminToken?: string;
}

/** Admin's Default User / Default Device values on a new system (conflines owner 0). */
export const DEFAULT_CONFLINES: Record<string, string> = {
  default_user_password_length: '8',
  default_user_credit: '0',
  default_user_balance: '0',
  default_user_postpaid: '0',
  default_user_allow_loss_calls: '0',
  default_user_call_limit: '0',
  default_user_time_zone: 'UTC',
  default_user_currency: 'USD',
  default_user_recording_enabled: '0',
  default_user_recording_forced_enabled: '0',
  default_device_call_limit: '0',
  default_device_canreinvite: 'no',
  default_device_nat: 'yes',
  default_device_qualify: '2000',
  default_device_grace_time: '0',
  default_device_audio_codecs: 'alaw,ulaw,g729',
  default_device_video_codecs: '',
};

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * First-start bootstrap, under the migration lock: the admin (id 0, as MOR numbers it), the system
 * currency, the API settings and the admin token. Runs its body only while no admin exists, so later
 * starts never overwrite what was changed through the API.
 */
export async function bootstrap(handle: DbHandle, config: Config): Promise<Generated | null> {
  const generated: Generated = {};
  if (!config.adminPassword) generated.adminPassword = randomSecret(16);
  if (!config.apiSecretKey) generated.apiSecretKey = randomSecret(24);
  if (!config.adminToken) generated.adminToken = `mor_${randomSecret(40)}`;
  const password = config.adminPassword ?? (generated.adminPassword as string);
  const apiKey = config.apiSecretKey ?? (generated.apiSecretKey as string);
  const token = config.adminToken ?? (generated.adminToken as string);
  const settings: Record<string, string> = {
    ...DEFAULT_CONFLINES,
    [API_SETTINGS.allowApi]: '1',
    [API_SETTINGS.apiSecretKey]: apiKey,
    [API_SETTINGS.allowGetApi]: config.allowGet ? '1' : '0',
  };
  const ran = await handle.withLock(async (exec) => {
    const existing = await exec('select 1 from users where id = 0');
    if (existing.length > 0) return false;
    const passwordHash = await hashPassword(password);
    const tokenHash = await sha256Hex(token);
    const values = Object.entries(settings)
      .map(([name, value]) => `(${q(name)}, ${q(value)}, 0)`)
      .join(', ');
    await exec(`
      insert into currencies (name, full_name, exchange_rate, active, is_default)
        values ('USD', 'United States dollar', 1, true, true) on conflict (name) do nothing;
      insert into users (id, username, password, usertype, owner_id, uniquehash, postpaid, credit)
        values (0, ${q(config.adminUsername)}, ${q(passwordHash)}, 'admin', 0, ${q(randomUniquehash())}, true, -1);
      insert into conflines (name, value, owner_id) values ${values}
        on conflict (owner_id, name) do nothing;
      insert into admin_tokens (user_id, name, token_hash) values (0, 'bootstrap', ${q(tokenHash)});`);
    return true;
  });
  return ran ? generated : null;
}
