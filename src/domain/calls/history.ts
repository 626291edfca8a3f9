import { type SQL, sql } from 'drizzle-orm';
import type { CallDisposition } from '../../db/partitioned/calls.ts';
import { queryRows } from '../../db/rows.ts';
import { fixed } from '../cards/money.ts';
import type { Ctx } from '../ctx.ts';
import { niceUserSql } from '../devices/nice.ts';
import { notFound } from '../errors.ts';
import { systemZone } from '../settings/systemZone.ts';
import { callUsers, type MoneyView, moneyView, readableCalls, requireCallsReader } from './access.ts';
import { type CallPeriod, callPeriod, gmtOffset, ZoneClock } from './period.ts';

/** Sort columns of user_calls_get (`order_by`); `d_oener` is the MOR 9 page's spelling of `d_owner`. */
export const ORDER_KEYS = [
  'time',
  'src',
  'dst',
  'prefix',
  'nice_billsec',
  'hgc',
  'server',
  'p_name',
  'p_rate',
  'p_price',
  'reseller',
  'r_rate',
  'r_price',
  'user',
  'u_rate',
  'u_price',
  'number',
  'd_provider',
  'd_inc',
  'd_owner',
  'd_oener',
] as const;
export type OrderKey = (typeof ORDER_KEYS)[number];

export interface CallHistoryQuery {
  /** ISO 8601 bounds, inclusive; absent: today's (system time zone). */
  from?: string;
  till?: string;
  /** Whose calls: a user id, or every call in reach (`all`, the default; a simple user: its own). */
  userId?: number | 'all';
  /** `incoming`: calls whose destination user is `userId` (MOR 8 `direction`). Default outgoing. */
  direction?: 'outgoing' | 'incoming';
  disposition?: CallDisposition;
  /** Only unanswered calls (MOR 8 `missed*` call types). */
  unanswered?: boolean;
  deviceId?: number;
  providerId?: number;
  /** A hangup cause row id (its Q.850 code). */
  hangupCauseId?: number;
  didId?: number;
  /** Destination pattern: digits with `%` wildcards; without `%`, a prefix. */
  destination?: string;
  onlyDid?: boolean;
  /** Exact switch call id: every other filter (the period too) is then ignored. */
  uniqueid?: string;
  callbackUniqueid?: string;
  originatorCodec?: string;
  terminatorCodec?: string;
  /** Calls of one reseller's users (admin only). */
  resellerId?: number;
  orderBy?: OrderKey;
  desc?: boolean;
  /** Rows per database round trip while streaming. */
  pageSize?: number;
}

/** One call as the history shows it; money as 4-decimal text, null where the reader may not see it. */
export interface CallRow {
  id: number;
  calldate: string;
  timezone: string;
  src: string;
  clid: string;
  dst: string;
  prefix: string;
  destination: string;
  duration: number;
  billsec: number;
  disposition: string;
  hangupcause: number | null;
  userId: number;
  user: string;
  device: string;
  userRate: string;
  userPrice: string;
  reseller: string;
  resellerRate: string;
  resellerPrice: string;
  provider: string;
  providerRate: string;
  providerPrice: string;
  did: string;
  didPrice: string;
  didIncPrice: string;
  didProvPrice: string;
  /** The reader's profit on the call: the admin's (user − provider price), a reseller's (user − reseller price). */
  profit: string;
  serverId: number;
  uniqueid: string;
}

export interface CallHistory {
  period: CallPeriod;
  /** How many calls match (one count statement). */
  total: () => Promise<number>;
  currency: string;
  view: MoneyView;
  /** With own providers a reseller also sees provider names and prices. */
  providerData: boolean;
  /**
   * The calls in order, a page per database round trip, read as the consumer pulls. A page is a
   * synchronous run of pieces of at most PIECE_CALLS calls, each parsed as it is taken: take a page's
   * pieces in one go (render each and let it go) before asking for the next page.
   */
  pages: AsyncIterable<Iterable<CallRow[]>>;
}

type KeyType = 'text' | 'int' | 'numeric';
const ORDER_SQL: Record<Exclude<OrderKey, 'time'>, [string, KeyType]> = {
  src: ['c.src', 'text'],
  dst: ['c.dst', 'text'],
  prefix: ['c.prefix', 'text'],
  nice_billsec: ['c.billsec', 'int'],
  hgc: ['coalesce(c.hangupcause, -1)', 'int'],
  server: ['c.server_id', 'int'],
  p_name: ["coalesce(p.name, '')", 'text'],
  p_rate: ['c.provider_rate', 'numeric'],
  p_price: ['c.provider_price', 'numeric'],
  reseller: [`coalesce(${niceSql('r', 'ra')}, '')`, 'text'],
  r_rate: ['c.reseller_rate', 'numeric'],
  r_price: ['c.reseller_price', 'numeric'],
  user: [`coalesce(${niceSql('u', 'ua')}, '')`, 'text'],
  u_rate: ['c.user_rate', 'numeric'],
  u_price: ['c.user_price', 'numeric'],
  number: ["coalesce(did.did, '')", 'text'],
  d_provider: ['c.did_prov_price', 'numeric'],
  d_inc: ['c.did_inc_price', 'numeric'],
  d_owner: ['c.did_price', 'numeric'],
  d_oener: ['c.did_price', 'numeric'],
};

function niceSql(u: string, a: string): string {
  return `coalesce(nullif(trim(coalesce(${a}.first_name, '') || ' ' || coalesce(${a}.last_name, '')), ''), ${u}.username)`;
}

const JOINS = sql`left join users u on u.id = c.user_id
  left join addresses ua on ua.id = u.address_id
  left join users r on r.id = c.reseller_id
  left join addresses ra on ra.id = r.address_id
  left join devices sd on sd.id = c.src_device_id
  left join destinations d on d.id = c.destination_id
  left join directions dir on dir.code = d.direction_code
  left join providers p on p.id = c.provider_id
  left join dids did on did.id = c.did_id`;

/** A money column as exact decimal text (rounded to 4 decimals in JavaScript, see `fixed`). */
const money = (column: string) => sql.raw(`(${column})::text`);
const MONEY_FIELDS = [
  'userRate',
  'userPrice',
  'resellerRate',
  'resellerPrice',
  'providerRate',
  'providerPrice',
  'didPrice',
  'didIncPrice',
  'didProvPrice',
  'profit',
] as const;

/**
 * user_calls_get and the CSV export: the calls in the reader's reach matching every filter, counted,
 * then read page by page with keyset paging on (sort key, calldate, id) so the answer is never held
 * in memory. Every statement bounds `calldate` by the period, so only that period's month partitions
 * are scanned. `userId` outside reach: NOT_FOUND `user` (User was not found).
 */
export async function openCallHistory(ctx: Ctx, q: CallHistoryQuery): Promise<CallHistory> {
  const { actor } = ctx;
  requireCallsReader(actor);
  const zone = await systemZone(ctx.db);
  const period = await callPeriod(ctx.db, zone, ctx.clock(), q.from, q.till);
  const where = await filters(ctx, q, period);
  const [head] = await queryRows<{ currency: string; hide: number; own: boolean }>(
    ctx.db,
    sql`select coalesce((select name from currencies where is_default limit 1), '') as currency,
      (select hide_destination_end from users where id = ${actor.id}::int) as hide,
      coalesce((select own_providers from users where id = ${actor.id}::int), false) as own`,
  );
  const view = moneyView(actor);
  return {
    period,
    currency: head!.currency,
    view,
    providerData: view === 'full' || (view === 'reseller' && head!.own),
    // Counted when the consumer first asks, so a streamed answer starts before the count is done.
    total: async () => {
      const [row] = await queryRows<{ total: number }>(
        ctx.db,
        sql`select count(*)::int as total from calls c where ${where}`,
      );
      return row!.total;
    },
    pages: readPages(ctx, q, where, zone, actor.usertype === 'user' ? head!.hide : 0),
  };
}

async function filters(ctx: Ctx, q: CallHistoryQuery, period: CallPeriod): Promise<SQL> {
  const { actor } = ctx;
  const where: SQL[] = [readableCalls(actor)];
  if (q.uniqueid !== undefined) {
    // Through call_keys (uniqueid -> the calls primary key): one probe there, then the call's partition.
    where.push(sql`(c.user_id, c.calldate, c.id) in (select k.user_id, k.calldate, k.call_id from call_keys k
      where k.uniqueid = ${q.uniqueid}::text) and c.uniqueid = ${q.uniqueid}::text`);
    return sql.join(where, sql` and `);
  }
  where.push(sql`c.calldate >= ${period.from}::timestamptz and c.calldate <= ${period.till}::timestamptz`);
  const subject = actor.usertype === 'user' ? actor.id : q.userId === undefined ? 'all' : q.userId;
  if (subject !== 'all') {
    const [found] = await queryRows<{ id: number }>(
      ctx.db,
      sql`select u.id from users u where u.id = ${subject}::int and ${callUsers(actor)}`,
    );
    if (!found) throw notFound('user', 'User was not found');
    where.push(q.direction === 'incoming' ? sql`c.dst_user_id = ${subject}::int` : sql`c.user_id = ${subject}::int`);
  } else if (q.direction === 'incoming') where.push(sql`c.dst_user_id is not null`);
  if (q.disposition !== undefined) where.push(sql`c.disposition = ${q.disposition}::text`);
  if (q.unanswered) where.push(sql`c.disposition <> 'ANSWERED'`);
  if (q.deviceId !== undefined) where.push(sql`c.src_device_id = ${q.deviceId}::int`);
  const privileged = actor.usertype === 'admin' || actor.usertype === 'accountant';
  if (q.providerId !== undefined && actor.usertype !== 'user') {
    where.push(sql`c.provider_id = ${q.providerId}::int`);
    // A reseller filters by its own providers only.
    if (actor.usertype === 'reseller') {
      where.push(sql`exists (select 1 from providers pp where pp.id = ${q.providerId}::int
        and pp.owner_id = ${actor.id}::int)`);
    }
  }
  if (q.hangupCauseId !== undefined && actor.usertype !== 'user') {
    where.push(sql`c.hangupcause = (select code from hangup_causes where id = ${q.hangupCauseId}::int)`);
  }
  if (q.didId !== undefined && privileged) where.push(sql`c.did_id = ${q.didId}::int`);
  if (q.destination !== undefined && /^[\d%]+$/.test(q.destination)) {
    const pattern = q.destination.includes('%') ? q.destination : `${q.destination}%`;
    where.push(sql`c.dst like ${pattern}::text`);
  }
  if (q.onlyDid) where.push(sql`c.did_id is not null`);
  if (q.callbackUniqueid !== undefined) where.push(sql`c.callback_uniqueid = ${q.callbackUniqueid}::text`);
  if (q.originatorCodec !== undefined) where.push(sql`c.originator_codec = ${q.originatorCodec}::text`);
  if (q.terminatorCodec !== undefined) where.push(sql`c.terminator_codec = ${q.terminatorCodec}::text`);
  if (q.resellerId !== undefined && actor.usertype === 'admin') {
    where.push(sql`c.reseller_id = ${q.resellerId}::int`);
  }
  return sql.join(where, sql` and `);
}

interface RawRow extends Omit<CallRow, 'timezone' | 'calldate'> {
  ms: number;
  cursor: string;
  sort_key: string | null;
  /** The sort key and the call's start in their own types, and the row's place: to order the page's JSON. */
  o_key: unknown;
  o_date: string;
  n: number;
}

/** Calls per piece of a page: each piece is parsed, handed out and let go before the next. */
export const PIECE_CALLS = 32;

async function* readPages(ctx: Ctx, q: CallHistoryQuery, where: SQL, zone: string, hide: number) {
  const order = q.orderBy === undefined || q.orderBy === 'time' ? null : ORDER_SQL[q.orderBy];
  const dir = sql.raw(q.desc ? 'desc' : 'asc');
  const cmp = sql.raw(q.desc ? '<' : '>');
  const key = order ? sql.raw(order[0]) : null;
  // A sort on another column re-sorts the period for every page: larger pages, fewer passes.
  const size = q.pageSize ?? (order ? 5000 : 1000);
  const clock = new ZoneClock(zone);
  const toCall = callOf(clock, hide);
  let after: { key: string | null; cursor: string; id: number } | null = null;
  for (;;) {
    const keyset: SQL = after
      ? key
        ? sql`and (${key}, c.calldate, c.id) ${cmp} (${after.key}::${sql.raw(order![1])}, ${after.cursor}::timestamptz, ${after.id}::bigint)`
        : sql`and (c.calldate, c.id) ${cmp} (${after.cursor}::timestamptz, ${after.id}::bigint)`
      : sql``;
    const pieces = await readPage(ctx, sql`${where} ${keyset}`, key, dir, size);
    const seen: { count: number; last?: RawRow } = { count: 0 };
    yield (function* () {
      for (let k = 0; k < pieces.length; k++) {
        const rows: RawRow[] = JSON.parse(pieces[k]!);
        pieces[k] = '';
        seen.count += rows.length;
        seen.last = rows[rows.length - 1] ?? seen.last;
        yield rows.map(toCall);
      }
    })();
    if (!seen.last) return;
    after = { key: seen.last.sort_key, cursor: seen.last.cursor, id: seen.last.id };
    if (seen.count < size) return;
  }
}

/**
 * One page, in the order asked, as JSON texts of PIECE_CALLS rows each, which the database builds.
 * The stream takes a page's pieces in one run (parse, render, encode, let go), so what waits for the
 * client is bytes, not rows: a page's rows kept until the client had read them were promoted to the
 * old generation, which then grew by ~90 MB between full collections during a long answer
 * (bench:calls-read, --trace-gc). The place of each row is numbered in the outer query, over the
 * page's own rows, so the LIMIT stays right above its sort (a bounded top-N sort for a sort column
 * without an index).
 */
async function readPage(ctx: Ctx, where: SQL, key: SQL | null, dir: SQL, size: number): Promise<string[]> {
  const own = sql`${key ? sql`p.o_key ${dir}, ` : sql``}p.o_date ${dir}, p.id ${dir}`;
  const rows = await queryRows<{ piece: string }>(
    ctx.db,
    sql`select json_agg(q order by q.n)::text as piece
      from (select row_number() over (order by ${own}) - 1 as n, p.* from (
        select c.id::int as id, to_char(c.calldate at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor,
          ${key ? sql`(${key})::text` : sql`null`} as sort_key, ${key ?? sql`null`} as o_key, c.calldate as o_date,
          (extract(epoch from c.calldate) * 1000)::float8 as ms,
          c.src, c.clid, coalesce(nullif(c.localized_dst, ''), c.dst) as dst, c.prefix,
          trim(coalesce(dir.name, '') || ' ' || coalesce(d.name, '')) as destination,
          c.duration, c.billsec, c.disposition, c.hangupcause, c.user_id as "userId",
          coalesce(${niceUserSql('u', 'ua')}, '') as "user",
          coalesce(sd.device_type || '/' || coalesce(nullif(sd.name, ''), nullif(sd.extension, ''), sd.username), '') as device,
          ${money('c.user_rate')} as "userRate", ${money('c.user_price')} as "userPrice",
          coalesce(${niceUserSql('r', 'ra')}, '') as reseller,
          ${money('c.reseller_rate')} as "resellerRate", ${money('c.reseller_price')} as "resellerPrice",
          coalesce(p.name, '') as provider,
          ${money('c.provider_rate')} as "providerRate", ${money('c.provider_price')} as "providerPrice",
          coalesce(did.did, '') as did, ${money('c.did_price')} as "didPrice",
          ${money('c.did_inc_price')} as "didIncPrice", ${money('c.did_prov_price')} as "didProvPrice",
          ${money(ctx.actor.usertype === 'reseller' ? 'c.user_price - c.reseller_price' : 'c.user_price - c.provider_price')} as profit,
          c.server_id as "serverId", c.uniqueid
        from calls c ${JOINS}
        where ${where}
        order by ${key ? sql`${key} ${dir}, ` : sql``}c.calldate ${dir}, c.id ${dir}
        limit ${size}::int) p) q
      group by q.n / ${sql.raw(String(PIECE_CALLS))} order by q.n / ${sql.raw(String(PIECE_CALLS))}`,
  );
  const pieces = rows.map((r) => r.piece);
  // The driver's result array stays reachable after the statement has answered, and the page's texts
  // with it, long enough to be promoted to the old generation (a sampling heap profile of what full
  // collections free named them; with the array emptied here a 100,000-call answer's peak RSS growth
  // went from 23–55 MB to under 8 MB, bench:calls-read). Emptied, only `pieces` holds them.
  rows.length = 0;
  return pieces;
}

/** A raw row as the CallRow the history shows: money to 4 decimals, the start on the system's clock. */
function callOf(clock: ZoneClock, hide: number) {
  return (raw: RawRow): CallRow => {
    const { ms, cursor: _c, sort_key: _k, o_key: _ok, o_date: _od, n: _n, ...row } = raw;
    for (const f of MONEY_FIELDS) row[f] = fixed(row[f]);
    const call = row as Omit<RawRow, 'ms' | 'cursor' | 'sort_key' | 'o_key' | 'o_date' | 'n'> as CallRow;
    call.calldate = clock.local(ms);
    call.timezone = gmtOffset(clock.offset(ms));
    if (hide > 0) call.dst = maskEnd(call.dst, hide);
    return call;
  };
}

/** The number with its last `n` characters shown as X (a user's "hide destination end"). */
export function maskEnd(dst: string, n: number): string {
  const keep = Math.max(0, dst.length - n);
  return dst.slice(0, keep) + 'X'.repeat(dst.length - keep);
}
