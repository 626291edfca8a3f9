import { type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { niceDevice, niceUserSql } from '../devices/nice.ts';
import { hidesUsernames, isId, requireRight } from '../devices/reach.ts';
import { forbidden, notFound } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';
import { didRealm, NOT_MANAGE_DIDS } from './didAccess.ts';

export const ListDids = v.object({
  /** Partial number; `%` wildcards allowed. */
  number: v.optional(v.string()),
  status: v.optional(v.string()),
  /** Owner's name, partial (admin and accountants). */
  owner: v.optional(v.string()),
  dialplanId: v.optional(RowId),
  userId: v.optional(UserId),
  deviceId: v.optional(RowId),
  providerId: v.optional(RowId),
  /** A language code, or `all`. */
  language: v.optional(v.string()),
  hideTerminated: v.optional(v.boolean()),
  /** 1-based index of the first row. */
  from: v.optional(v.number()),
  maxResults: v.optional(v.number()),
});
export type ListDids = v.InferOutput<typeof ListDids>;

/** One dids_get row; fields a role may not see are absent (_spec dids_get). */
export interface DidRow {
  id: number;
  did: string;
  provider?: string;
  language: string;
  status: string;
  didStatus: string;
  reseller?: string;
  owner: string;
  device: string;
  dialPlan?: string;
  simultaneousCallLimit: string;
  comment: string;
  toneZone?: string;
}

/** dids_get: DIDs of the caller's realm, filtered, ordered by number, paginated. */
export async function listDids(ctx: Ctx, input: ListDids): Promise<DidRow[]> {
  const { actor } = ctx;
  if (!['admin', 'accountant', 'reseller', 'user'].includes(actor.usertype)) throw forbidden('role', 'Access Denied');
  requireRight(actor, 'dids_manage', 1, NOT_MANAGE_DIDS);
  const admin = actor.usertype === 'admin' || actor.usertype === 'accountant';
  const user = actor.usertype === 'user';
  const hide = await hidesUsernames(ctx);
  const ownerName = niceUserSql('o', 'oa');
  const id = (n: number | undefined, column: SQL) =>
    n === undefined ? sql`` : isId(n) ? sql` and ${column} = ${n}` : sql` and false`;
  const pattern = input.number?.includes('%') ? input.number : `%${input.number ?? ''}%`;
  const filters = sql.join(
    [
      input.number ? sql` and dids.did like ${pattern}` : sql``,
      input.status ? sql` and dids.status = ${input.status}` : sql``,
      admin && input.owner ? sql` and ${ownerName} like ${`%${input.owner}%`}` : sql``,
      id(input.dialplanId, sql`dids.dialplan_id`),
      input.userId === undefined
        ? sql``
        : isId(input.userId)
          ? sql` and (dids.user_id = ${input.userId} or dids.reseller_id = ${input.userId})`
          : sql` and false`,
      id(input.deviceId, sql`dids.device_id`),
      user ? sql`` : id(input.providerId, sql`dids.provider_id`),
      input.language && input.language !== 'all' ? sql` and dids.language = ${input.language}` : sql``,
      input.hideTerminated ? sql` and dids.status <> 'terminated'` : sql``,
    ],
    sql``,
  );
  const offset = Math.max(0, Math.trunc((input.from ?? 1) - 1)) || 0;
  const limit =
    input.maxResults !== undefined && input.maxResults >= 1 ? sql` limit ${Math.trunc(input.maxResults)}` : sql``;
  const rows = await queryRows<Record<string, string | number | null>>(
    ctx.db,
    sql`select dids.id, dids.did, dids.status, dids.language, dids.call_limit, dids.comment, dids.reseller_comment,
          dids.tone_zone, p.name as provider, ${niceUserSql('r', 'ra')} as reseller, ${ownerName} as owner,
          dv.device_type, dv.name, dv.username, dv.extension, dp.name as dp_name, dp.dptype
        from dids
        left join providers p on p.id = dids.provider_id
        left join users r on r.id = dids.reseller_id and dids.reseller_id <> 0
        left join addresses ra on ra.id = r.address_id
        left join users o on o.id = dids.user_id and dids.user_id <> 0
        left join addresses oa on oa.id = o.address_id
        left join devices dv on dv.id = dids.device_id and dids.device_id <> 0
        left join dialplans dp on dp.id = dids.dialplan_id and dids.dialplan_id <> 0
        where ${didRealm(actor)}${filters}
        order by dids.did, dids.id offset ${offset}${limit}`,
  );
  if (rows.length === 0) throw notFound('dids', 'No DIDs found');
  const s = (x: string | number | null | undefined) => (x === null || x === undefined ? '' : String(x));
  return rows.map((r) => ({
    id: Number(r.id),
    did: s(r.did),
    ...(admin ? { provider: s(r.provider) } : {}),
    language: s(r.language),
    status: s(r.status).charAt(0).toUpperCase() + s(r.status).slice(1),
    didStatus: s(r.status),
    ...(admin ? { reseller: s(r.reseller) } : {}),
    owner: s(r.owner),
    device: r.device_type
      ? niceDevice(
          { deviceType: s(r.device_type), name: s(r.name), username: s(r.username), extension: s(r.extension) },
          hide,
        )
      : '',
    ...(user ? {} : { dialPlan: r.dp_name ? `${s(r.dp_name)} (${s(r.dptype)})` : '' }),
    simultaneousCallLimit: Number(r.call_limit) === 0 ? 'Unlimited' : s(r.call_limit),
    comment: (actor.usertype === 'reseller' ? s(r.reseller_comment) : s(r.comment)).slice(0, 25),
    ...(user ? {} : { toneZone: s(r.tone_zone) }),
  }));
}
