import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { API_SETTINGS, apiSettingsFrom, RESELLER_API_SETTINGS } from '../settings/catalogue.ts';
import type { Account, AuthInfo, KeyOwner } from './types.ts';

/** How the account of a request is named: by `u` (username) or by its uniquehash (`id`). */
export type AccountLookup = { by: 'username' | 'uniquehash'; value: string } | null;

const API_NAMES = Object.values(API_SETTINGS);
const KEY_NAMES = RESELLER_API_SETTINGS.map((key) => API_SETTINGS[key]);

interface Row {
  lines: Record<string, string> | null;
  ips: string[] | null;
  account: {
    id: number;
    username: string;
    usertype: Account['usertype'];
    owner_id: number;
    blocked: boolean;
    acc_group_id: number | null;
    api_levels: Record<string, number> | null;
    rights: Record<string, number> | null;
    key_owner_id: number;
  } | null;
  owner_lines: Record<string, string> | null;
}

/**
 * Loads the API settings, the IP whitelist, the account and its key owner's settings in ONE statement:
 * the pipeline's whole gatekeeping costs a single round trip (or none when cached, see AuthCache).
 */
export async function loadAuth(db: Db, lookup: AccountLookup): Promise<AuthInfo> {
  const where =
    lookup === null
      ? sql`false`
      : lookup.by === 'username'
        ? sql`u.username = ${lookup.value}`
        : sql`u.uniquehash = ${lookup.value}`;
  const [row] = await queryRows<Row>(
    db,
    sql`with a as (
      select u.id, u.username, u.usertype, u.owner_id, u.blocked, u.acc_group_id,
        case when u.api_restricted then coalesce(g.levels, '{}'::jsonb) end as api_levels,
        ag.rights,
        case when u.usertype = 'reseller' then u.id when o.usertype = 'reseller' then o.id else 0 end as key_owner_id
      from users u
      left join users o on o.id = u.owner_id
      left join api_permission_groups g on g.id = u.api_permission_group_id
      left join acc_groups ag on ag.id = u.acc_group_id
      where ${where}
      limit 1)
    select
      (select json_object_agg(name, value) from conflines
        where owner_id = 0 and name in (${sql.join(
          API_NAMES.map((n) => sql`${n}`),
          sql`, `,
        )})) as lines,
      (select json_agg(ip) from whitelisted_ips where allow_api) as ips,
      (select row_to_json(a) from a) as account,
      (select json_object_agg(c.name, c.value) from conflines c, a
        where a.key_owner_id <> 0 and c.owner_id = a.key_owner_id
          and c.name in (${sql.join(
            KEY_NAMES.map((n) => sql`${n}`),
            sql`, `,
          )})) as owner_lines`,
  );
  const lines = row?.lines ?? {};
  const settings = apiSettingsFrom(lines);
  const adminKey: KeyOwner = {
    id: 0,
    allowApi: settings.allowApi,
    apiSecretKey: settings.apiSecretKey,
    disableHashChecking: settings.disableHashChecking,
    requireApiSignature: settings.requireApiSignature,
  };
  const a = row?.account ?? null;
  const account: Account | null = a && {
    id: a.id,
    username: a.username,
    usertype: a.usertype,
    ownerId: a.owner_id,
    blocked: a.blocked,
    accGroupId: a.acc_group_id,
    apiLevels: a.api_levels,
    rights: a.rights ?? {},
  };
  let keyOwner = adminKey;
  if (a && a.key_owner_id !== 0) {
    const own = apiSettingsFrom(row?.owner_lines ?? {});
    keyOwner = {
      id: a.key_owner_id,
      allowApi: own.allowApi,
      apiSecretKey: own.apiSecretKey,
      disableHashChecking: own.disableHashChecking,
      requireApiSignature: own.requireApiSignature,
    };
  }
  return { settings, apiWhitelist: row?.ips ?? [], account, keyOwner, adminKey };
}
