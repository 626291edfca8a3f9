import { and, eq, ne } from 'drizzle-orm';
import * as v from 'valibot';
import { providers } from '../../db/schema/dids.ts';
import { tariffs } from '../../db/schema/rating.ts';
import { locations } from '../../db/schema/stubs.ts';
import type { Ctx } from '../ctx.ts';
import { Problems } from '../devices/problems.ts';
import { conflict, invalid } from '../errors.ts';

export const PROVIDER_TECHS = ['dahdi', 'SIP', 'IAX2', 'H323'] as const;
export const DTMF_MODES = ['inband', 'info', 'rfc2833', 'auto'] as const;
export const NETWORK_TYPES = ['hostname', 'ip', 'dynamic'] as const;

/** Provider fields as sent (text, like the XML parameters); absent = unchanged (update) or default (create). */
export const ProviderFields = v.object({
  name: v.optional(v.string()),
  tech: v.optional(v.string()),
  tariffId: v.optional(v.string()),
  serverIds: v.optional(v.string()),
  active: v.optional(v.string()),
  dtmfmode: v.optional(v.string()),
  locationId: v.optional(v.string()),
  timeout: v.optional(v.string()),
  maxTimeout: v.optional(v.string()),
  callLimit: v.optional(v.string()),
  balanceLimit: v.optional(v.string()),
  login: v.optional(v.string()),
  password: v.optional(v.string()),
  register: v.optional(v.string()),
  cidName: v.optional(v.string()),
  cidNumber: v.optional(v.string()),
  networkType: v.optional(v.string()),
  serverIp: v.optional(v.string()),
  ipaddr: v.optional(v.string()),
  port: v.optional(v.string()),
  fromdomain: v.optional(v.string()),
  fromuser: v.optional(v.string()),
});
export type ProviderFields = v.InferOutput<typeof ProviderFields>;

export type ProviderRow = typeof providers.$inferSelect;
export type ProviderPatch = Partial<typeof providers.$inferInsert>;

const INT = /^\d{1,9}$/;
const BIT = /^[01]$/;
const DECIMAL = /^-?\d{1,14}(\.\d{1,6})?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const SERVER_IDS = /^\d{1,9}(,\d{1,9})*$/;

/**
 * Checks the sent fields against `current` (the stored provider on update, the defaults on create)
 * and returns the columns to write. Documented failures first, in order: empty name, name taken within
 * the owner, tariff not a provider tariff of the owner; every other failed rule is gathered under
 * `headline` (`Provider was not created` / `… updated`).
 */
export async function checkProviderFields(
  ctx: Ctx,
  f: ProviderFields,
  current: ProviderPatch & { ownerId: number },
  headline: string,
  exceptId = 0,
): Promise<ProviderPatch> {
  const out: ProviderPatch = {};
  const owner = current.ownerId;
  if (f.name !== undefined) {
    const name = f.name.trim();
    if (name === '') throw invalid('name', 'Provider name cannot be empty');
    const same = await ctx.db
      .select({ id: providers.id })
      .from(providers)
      .where(and(eq(providers.ownerId, owner), eq(providers.name, name), ne(providers.id, exceptId)));
    if (same.length > 0) throw conflict('name', 'Provider name must be unique');
    out.name = name;
  }
  if (f.tariffId !== undefined) {
    const id = INT.test(f.tariffId) ? Number(f.tariffId) : 0;
    const [tariff] = id
      ? await ctx.db
          .select({ id: tariffs.id })
          .from(tariffs)
          .where(and(eq(tariffs.id, id), eq(tariffs.purpose, 'provider'), eq(tariffs.ownerId, owner)))
          // Held until the provider is written: a concurrent tariff delete waits, then sees it.
          .for('key share')
      : [];
    if (!tariff) throw invalid('tariff', 'Invalid tariff');
    out.tariffId = tariff.id;
  }
  const problems: string[] = [];
  const bit = (value: string | undefined, label: string, set: (n: number) => void) => {
    if (value === undefined) return;
    if (BIT.test(value)) set(Number(value));
    else problems.push(`${label} must be 0 or 1`);
  };
  const int = (value: string | undefined, min: number, message: string, set: (n: number) => void) => {
    if (value === undefined) return;
    if (INT.test(value) && Number(value) >= min) set(Number(value));
    else problems.push(message);
  };
  if (f.tech !== undefined) {
    const tech = PROVIDER_TECHS.find((t) => t.toLowerCase() === f.tech!.toLowerCase());
    if (tech) out.tech = tech;
    else problems.push('Tech must be one of: dahdi, SIP, IAX2, H323');
  }
  if (f.serverIds !== undefined) {
    if (f.serverIds === '' || SERVER_IDS.test(f.serverIds)) out.serverIds = f.serverIds;
    else problems.push('Server ids must be comma separated ids');
  }
  bit(f.active, 'Active', (n) => {
    out.active = n;
  });
  if (f.dtmfmode !== undefined) {
    if ((DTMF_MODES as readonly string[]).includes(f.dtmfmode)) out.dtmfmode = f.dtmfmode;
    else problems.push('DTMF mode must be one of: inband, info, rfc2833, auto');
  }
  if (f.locationId !== undefined) {
    const id = INT.test(f.locationId) ? Number(f.locationId) : 0;
    const [location] =
      id === 1
        ? [{ id }]
        : id
          ? await ctx.db
              .select({ id: locations.id })
              .from(locations)
              .where(and(eq(locations.id, id), eq(locations.ownerId, owner)))
              // Held until the provider is written: a concurrent location delete waits, then sees it.
              .for('key share')
          : [];
    if (location) out.locationId = location.id;
    else problems.push('Location was not found');
  }
  int(f.timeout, 30, 'Timeout must be an integer of at least 30', (n) => {
    out.timeout = n;
  });
  int(f.maxTimeout, 0, 'Max timeout must be a non-negative integer', (n) => {
    out.maxTimeout = n;
  });
  int(f.callLimit, 0, 'Call limit must be a non-negative integer', (n) => {
    out.callLimit = n;
  });
  if (f.balanceLimit !== undefined) {
    if (f.balanceLimit === '') out.balanceLimit = null;
    else if (DECIMAL.test(f.balanceLimit)) out.balanceLimit = f.balanceLimit;
    else problems.push('Balance limit must be a number with . as decimal separator');
  }
  if (f.login !== undefined) {
    if (['anonymous', 'unknown'].includes(f.login.toLowerCase())) problems.push('Login cannot be anonymous or unknown');
    else out.login = f.login;
  }
  if (f.password !== undefined) out.password = f.password;
  bit(f.register, 'Register', (n) => {
    out.register = n;
  });
  if (f.cidName !== undefined) out.cidName = f.cidName;
  if (f.cidNumber !== undefined) out.cidNumber = f.cidNumber;
  if (f.fromdomain !== undefined) out.fromdomain = f.fromdomain;
  if (f.fromuser !== undefined) out.fromuser = f.fromuser;
  if (f.networkType !== undefined) {
    if ((NETWORK_TYPES as readonly string[]).includes(f.networkType)) out.networkType = f.networkType;
    else problems.push('Network type must be one of: hostname, ip, dynamic');
  }
  int(f.port, 1, 'Port must be a positive integer', (n) => {
    if (n <= 65535) out.port = n;
    else problems.push('Port must be a positive integer');
  });
  const host = f.ipaddr ?? f.serverIp;
  const networkType = out.networkType ?? current.networkType ?? 'ip';
  if (networkType === 'dynamic') {
    out.register = 0;
    out.serverIp = 'dynamic';
    out.port = 0;
  } else if (host !== undefined) {
    const ok = networkType === 'ip' ? IPV4.test(host) : HOST.test(host);
    if (ok) out.serverIp = host;
    else problems.push(networkType === 'ip' ? 'Server IP must be an IPv4 address' : 'Hostname is not valid');
  } else if (out.networkType !== undefined && current.serverIp === 'dynamic') {
    problems.push(networkType === 'ip' ? 'Server IP must be an IPv4 address' : 'Hostname is not valid');
  }
  if (problems.length > 0) throw new Problems(headline, problems);
  return out;
}
