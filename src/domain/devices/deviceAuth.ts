import type { devices } from '../../db/schema/devices.ts';
import { randomSecret, randomString } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';
import { defaultPort, extensionTaken, IPV4, MIN_SECRET } from './deviceRules.ts';
import type { Device } from './findDevice.ts';

export interface AuthInput {
  authentication?: string | number;
  username?: string | number;
  host?: string | number;
  port?: string | number;
  password?: string | number;
  hostname?: string | number;
}

type Set = Partial<typeof devices.$inferInsert>;
const str = (x: string | number | undefined) => (x === undefined ? undefined : String(x));
const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const USERNAME = /^[A-Za-z0-9_.@+#*-]{1,64}$/;

/**
 * Authentication part of device_update (_spec device_update Behaviour 5): IP authentication clears
 * username and secret and fixes host/port (insecure port,invite is then harmless); dynamic
 * authentication needs a username and a strong secret (a fresh one when coming back from IP
 * authentication without `password`), and is never insecure. Problems are appended to `problems`.
 */
export async function applyAuthentication(ctx: Ctx, device: Device, input: AuthInput, set: Set, problems: string[]) {
  const auth = str(input.authentication);
  if (auth !== undefined && auth !== '0' && auth !== '1') return void problems.push('authentication is invalid');
  const wasDynamic = device.host === 'dynamic';
  const hostname = str(input.hostname);
  if (auth === '1' || (auth === undefined && !wasDynamic)) {
    const host = str(input.host);
    if (wasDynamic || host !== undefined) {
      if (host === undefined || !IPV4.test(host)) problems.push('Host is invalid');
      else Object.assign(set, { host, ipaddr: host });
    }
    const port = str(input.port);
    if (port !== undefined && port !== '0') {
      if (!/^\d{1,5}$/.test(port) || +port > 65535) problems.push('port is invalid');
      else set.port = +port;
    } else if (wasDynamic || port === '0') set.port = defaultPort(device.deviceType);
    if (wasDynamic) {
      Object.assign(set, { username: '', secret: '', insecure: 'port,invite' });
      if (!device.name) set.name = `ipauth${randomString(10, '0123456789abcdef')}`;
    }
    if (hostname !== undefined) {
      if (hostname !== '' && !HOSTNAME.test(hostname)) problems.push('hostname is invalid');
      else set.hostname = hostname;
    }
    return;
  }
  if (!wasDynamic) Object.assign(set, { host: 'dynamic', ipaddr: '0.0.0.0', insecure: 'no', hostname: '' });
  if (hostname !== undefined) problems.push('hostname is invalid');
  let username = device.username;
  const sent = str(input.username);
  if (sent !== undefined) {
    if (!USERNAME.test(sent)) problems.push('Username is invalid');
    else if (sent !== device.username && (await extensionTaken(ctx, sent, device.id))) {
      problems.push('Username is already used');
    } else username = sent;
  } else if (!wasDynamic || username === '') username = device.extension || device.name;
  if (username !== device.username) Object.assign(set, { username, name: username });
  const password = str(input.password);
  if (password !== undefined) {
    if (password.length < MIN_SECRET) problems.push('Password is too short');
    else if (password === username) problems.push('Password must differ from username');
    else set.secret = password;
  } else if (!wasDynamic || device.secret === '') {
    set.secret = randomSecret(12);
  } else if (device.secret === username) {
    problems.push('Password must differ from username');
  }
}
