import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { hasRight } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { niceUserSql } from '../devices/nice.ts';
import { forbidden, notFound } from '../errors.ts';
import { systemZone } from '../settings/systemZone.ts';
import { callPeriod } from './period.ts';

export const AGGREGATE_GROUPS = [
  'user',
  'device',
  'terminator',
  'provider',
  'dst_group',
  'dst',
  'day',
  'hour',
  'user_rate',
  'provider_rate',
] as const;
export type AggregateGroup = (typeof AGGREGATE_GROUPS)[number];

export interface AggregateQuery {
  /** ISO bounds; `till` includes its whole second. Absent: today's (system time zone). */
  from?: string;
  till?: string;
  /** Empty: user + terminator + destination group (the page's default). */
  groups: AggregateGroup[];
  userId?: number;
  terminatorId?: number;
  deviceId?: number;
  providerId?: number;
  /** Caller id / destination number patterns (`%` wildcards). */
  src?: string;
  dst?: string;
  /** Calls lasting at least this many seconds. */
  minDuration?: number;
  dstGroup?: string;
  realBillsec?: boolean;
  /** Rows with at least this many answered calls. */
  minAnswered?: number;
  /** Currency of the money columns (default USD, else the system currency). */
  currency?: string;
}

/** One group's (or the totals') figures, formatted: percentages and ACD 2 decimals, money 4. */
export interface AggregateFigures {
  totalCalls: number;
  answeredCalls: number;
  asr: string;
  billedDuration: string;
  acd: string;
  price: string;
  selfCost: string;
  profit: string;
  margin: string;
}

export interface AggregateRow extends AggregateFigures {
  /** The grouping keys present, in the document's order (`user_id`, `user`, …). */
  keys: [string, string][];
}

export interface Aggregates {
  rows: AggregateRow[];
  totals: AggregateFigures;
  /** Where the figures came from: the hourly rollups, or the calls themselves. */
  source: 'rollups' | 'calls';
}

const DENIED = 'You are not authorized to use this functionality';

/** The grouping keys: output tags and their SQL over the joined source (`zone`: the system time zone). */
function keysOf(group: AggregateGroup, zone: string): [string, SQL][] {
  switch (group) {
    case 'user':
      return [
        ['user_id', sql`s.user_id::text`],
        ['user', sql`coalesce(${niceUserSql('u', 'ua')}, '')`],
      ];
    case 'device':
      return [
        ['device_id', sql`coalesce(nullif(s.src_device_id, 0)::text, '')`],
        [
          'device',
          sql`coalesce(sd.device_type || '/' || coalesce(nullif(sd.name, ''), nullif(sd.extension, ''), sd.username), '')`,
        ],
      ];
    case 'terminator':
    case 'provider':
      return [
        [`${group}_id`, sql`coalesce(nullif(s.provider_id, 0)::text, '')`],
        [group, sql`coalesce(p.name, '')`],
      ];
    case 'dst_group':
      return [['dst_group', sql`coalesce(dg.name, '')`]];
    case 'dst':
      return [
        ['dst', sql`s.prefix`],
        ['destination', sql`trim(coalesce(dir.name, '') || ' ' || coalesce(d.name, ''))`],
      ];
    case 'day':
      return [['day', sql`to_char(s.t at time zone ${zone}::text, 'YYYY-MM-DD')`]];
    case 'hour':
      return [['hour', sql`to_char(s.t at time zone ${zone}::text, 'YYYY-MM-DD HH24')`]];
    case 'user_rate':
      return [['user_rate', sql`round(s.user_rate, 4)::text`]];
    case 'provider_rate':
      return [['provider_rate', sql`round(s.provider_rate, 4)::text`]];
  }
}

/** The source columns each grouping's keys read (level one of the query groups by them). */
const ID_COLUMNS: Record<AggregateGroup, string[]> = {
  user: ['user_id'],
  device: ['src_device_id'],
  terminator: ['provider_id'],
  provider: ['provider_id'],
  dst_group: ['group_id'],
  dst: ['destination_id', 'prefix'],
  day: ['t'],
  hour: ['t'],
  user_rate: ['user_rate'],
  provider_rate: ['provider_rate'],
};

/** Canonical order of the groups in a row. */
const ORDER: AggregateGroup[] = [...AGGREGATE_GROUPS];

/**
 * aggregate_get: calls of a period grouped by any of the keys, with counts, ASR, billed duration,
 * ACD, price (user prices), self cost (provider prices), profit and margin, money in `currency`.
 * Callers: the admin (every call), a reseller with own providers (its users' calls), an accountant
 * with Calls and statistics (the admin's realm). Answered from the hourly rollups when the period
 * starts and ends on whole hours and no filter or grouping needs a column they do not keep (caller
 * id, number, duration, rates); otherwise straight from calls. Filters naming an object out of
 * reach: NOT_FOUND (User / Device / Terminator / Provider was not found).
 */
export async function aggregateCalls(ctx: Ctx, q: AggregateQuery): Promise<Aggregates> {
  const { actor } = ctx;
  const [me] = await queryRows<{ own: boolean }>(
    ctx.db,
    sql`select own_providers as own from users where id = ${actor.id}::int`,
  );
  if (
    actor.usertype === 'reseller'
      ? !me?.own
      : actor.usertype === 'accountant'
        ? !hasRight(actor, 'calls_stats')
        : actor.usertype !== 'admin'
  ) {
    throw forbidden('aggregates', DENIED);
  }
  await checkFilters(ctx, q);
  const zone = await systemZone(ctx.db);
  const period = await callPeriod(ctx.db, zone, ctx.clock(), q.from, q.till);
  const groups =
    q.groups.length > 0
      ? ORDER.filter((g) => q.groups.includes(g))
      : (['user', 'terminator', 'dst_group'] as AggregateGroup[]);
  const [shape] = await queryRows<{ till: string; aligned: boolean; grouped: boolean }>(
    ctx.db,
    sql`with b as (select ${period.from}::timestamptz as f, ${period.till}::timestamptz + interval '1 second' as t)
      select t::text as till, date_trunc('hour', f) = f and date_trunc('hour', t) = t
        and extract(minute from f at time zone ${zone}::text) = 0
        and extract(minute from t at time zone ${zone}::text) = 0 as aligned,
        exists (select 1 from destinations where destinationgroup_id <> 0) as grouped from b`,
  );
  const rollable =
    shape!.aligned &&
    q.src === undefined &&
    q.dst === undefined &&
    q.minDuration === undefined &&
    !groups.includes('user_rate') &&
    !groups.includes('provider_rate');
  const from = period.from;
  const till = shape!.till;
  const source = rollable
    ? sql`select bucket as t, user_id, reseller_id, src_device_id, provider_id, destination_id, prefix, disposition,
          calls, billsec, real_billsec, user_price, provider_price, null::numeric as user_rate, null::numeric as provider_rate
        from call_rollups where bucket >= ${from}::timestamptz and bucket < ${till}::timestamptz`
    : sql`select calldate as t, user_id, coalesce(reseller_id, 0) as reseller_id, coalesce(src_device_id, 0) as src_device_id,
          coalesce(provider_id, 0) as provider_id, coalesce(destination_id, 0) as destination_id, prefix, disposition,
          1 as calls, billsec, coalesce(real_billsec, 0) as real_billsec, user_price, provider_price, user_rate, provider_rate
        from calls where calldate >= ${from}::timestamptz and calldate < ${till}::timestamptz
          ${q.src !== undefined ? sql`and src like ${q.src}::text` : sql``}
          ${q.dst !== undefined ? sql`and dst like ${q.dst}::text` : sql``}
          ${q.minDuration !== undefined ? sql`and duration >= ${q.minDuration}::int` : sql``}`;
  const keys = groups.flatMap((g) => keysOf(g, zone));
  const keySql = keys.map(([tag, expr]) => sql`${expr} as ${sql.raw(`"${tag}"`)}`);
  const where: SQL[] = [scope(ctx)];
  if (q.userId !== undefined) where.push(sql`s.user_id = ${q.userId}::int`);
  if (q.deviceId !== undefined) where.push(sql`s.src_device_id = ${q.deviceId}::int`);
  if (q.providerId !== undefined) where.push(sql`s.provider_id = ${q.providerId}::int`);
  if (q.terminatorId !== undefined) where.push(sql`s.provider_id = ${q.terminatorId}::int`);
  const billed = q.realBillsec ? sql`s.real_billsec` : sql`s.billsec`;
  // Two levels: first the source summed by the ids the keys need (integers, so a million calls group
  // cheaply), then names joined onto those few rows and grouped by the output keys. A destination
  // group is resolved in level one (one hash join on destinations): grouping by destination there
  // left about one group per call when calls spread over many destinations, and joined them all.
  const ids = new Set<string>();
  for (const g of groups) for (const id of ID_COLUMNS[g]) ids.add(id);
  if (q.dstGroup !== undefined) ids.add('group_id');
  // Without any destination in a group (destinationgroup_id 0) every group id is 0: no join (a hash probe per source row, about
  // a third of the statement over a million rollup rows) and nothing to group by.
  const joinGroups = ids.has('group_id') && shape!.grouped;
  const idSql = [...ids].map((id) =>
    sql.raw(
      id === 't'
        ? "date_trunc('minute', s.t) as t"
        : id === 'group_id'
          ? joinGroups
            ? 'coalesce(gd.destinationgroup_id, 0) as group_id'
            : '0 as group_id'
          : `s.${id}`,
    ),
  );
  const groupedBy = [...ids].flatMap((id, i) => (id === 'group_id' && !joinGroups ? [] : [sql.raw(String(i + 1))]));
  const level1 = sql`select ${idSql.length > 0 ? sql`${sql.join(idSql, sql`, `)},` : sql``}
      sum(s.calls) as calls, coalesce(sum(s.calls) filter (where s.disposition = 'ANSWERED'), 0) as answered,
      sum(${billed}) as billed, sum(s.user_price) as user_price, sum(s.provider_price) as provider_price
    from (${source}) s ${joinGroups ? sql`left join destinations gd on gd.id = s.destination_id` : sql``}
    where ${sql.join(where, sql` and `)}
    ${groupedBy.length > 0 ? sql`group by ${sql.join(groupedBy, sql`, `)}` : sql``}`;
  const joins = sql.join(
    [
      ids.has('user_id')
        ? sql`left join users u on u.id = s.user_id left join addresses ua on ua.id = u.address_id`
        : null,
      ids.has('src_device_id') ? sql`left join devices sd on sd.id = s.src_device_id` : null,
      ids.has('provider_id') ? sql`left join providers p on p.id = s.provider_id` : null,
      ids.has('destination_id')
        ? sql`left join destinations d on d.id = s.destination_id left join directions dir on dir.code = d.direction_code`
        : null,
      ids.has('group_id') ? sql`left join destinationgroups dg on dg.id = s.group_id` : null,
    ].filter((j) => j !== null),
    sql` `,
  );
  const dstGroupFilter = q.dstGroup !== undefined ? sql`where dg.name = ${q.dstGroup}::text` : sql``;
  const rate = sql`(select coalesce(
      (select exchange_rate from currencies where name = ${q.currency ?? 'USD'}::text),
      (select exchange_rate from currencies where name = 'USD'),
      (select exchange_rate from currencies where is_default limit 1), 1)
    / coalesce((select exchange_rate from currencies where is_default limit 1), 1))`;
  const groupBy =
    keys.length > 0
      ? sql`group by ${sql.join(
          keys.map((_, i) => sql.raw(String(i + 1))),
          sql`, `,
        )}`
      : sql``;
  // Not prepared: as a named statement, the sixth run on a connection got a generic plan (a bitmap scan
  // of the whole rollup key for an estimated 0.5 % of the rows, no parallel workers): 60 days of
  // 1M calls went from ~0.7 s to 1.3–2.7 s (bench:calls-read's database).
  const rows = await queryRows<Record<string, string | number | boolean>>(
    ctx.db,
    sql`with g as (
        select ${keys.length > 0 ? sql`${sql.join(keySql, sql`, `)},` : sql``}
          sum(s.calls)::bigint as total, coalesce(sum(s.answered), 0)::bigint as answered,
          sum(s.billed) as billed, sum(s.user_price) as price, sum(s.provider_price) as self_cost
        from (${level1}) s
          ${joins}
        ${dstGroupFilter}
        ${groupBy}
        ${q.minAnswered !== undefined ? sql`having coalesce(sum(s.answered), 0) >= ${q.minAnswered}::int` : sql``}
      ), r as (select ${rate} as rate),
      all_rows as (
        select false as is_total, ${
          keys.length > 0
            ? sql`${sql.join(
                keys.map(([tag]) => sql.raw(`g."${tag}"`)),
                sql`, `,
              )},`
            : sql``
        }
          total, answered, billed, price, self_cost from g
        union all
        select true, ${
          keys.length > 0
            ? sql`${sql.join(
                keys.map(() => sql`null`),
                sql`, `,
              )},`
            : sql``
        }
          coalesce(sum(total), 0), coalesce(sum(answered), 0), coalesce(sum(billed), 0), coalesce(sum(price), 0),
          coalesce(sum(self_cost), 0) from g
      )
      select a.*, total::int as total_calls, answered::int as answered_calls,
        case when total = 0 then '0.00' else round(answered * 100.0 / total, 2)::text end as asr,
        ${q.realBillsec ? sql`trim_scale(coalesce(billed, 0))::text` : sql`coalesce(billed, 0)::bigint::text`} as billed_duration,
        case when answered = 0 then '0.00' else round(coalesce(billed, 0) / answered, 2)::text end as acd,
        round(coalesce(price, 0) * r.rate, 4)::text as price_c, round(coalesce(self_cost, 0) * r.rate, 4)::text as self_cost_c,
        round((coalesce(price, 0) - coalesce(self_cost, 0)) * r.rate, 4)::text as profit_c,
        case when coalesce(price, 0) = 0 then '0.00' else round((price - self_cost) / price * 100, 2)::text end as margin
      from all_rows a, r
      order by is_total${
        keys.length > 0
          ? sql`, ${sql.join(
              keys.map(([tag]) => sql.raw(`a."${tag}"`)),
              sql`, `,
            )}`
          : sql``
      }`,
    { prepare: false },
  );
  const figures = (r: Record<string, string | number | boolean>): AggregateFigures => ({
    totalCalls: Number(r.total_calls),
    answeredCalls: Number(r.answered_calls),
    asr: String(r.asr),
    billedDuration: String(r.billed_duration),
    acd: String(r.acd),
    price: String(r.price_c),
    selfCost: String(r.self_cost_c),
    profit: String(r.profit_c),
    margin: String(r.margin),
  });
  const totalRow = rows.find((r) => r.is_total)!;
  return {
    rows: rows
      .filter((r) => !r.is_total)
      .map((r) => ({ keys: keys.map(([tag]) => [tag, String(r[tag] ?? '')] as [string, string]), ...figures(r) })),
    totals: figures(totalRow),
    source: rollable ? 'rollups' : 'calls',
  };
}

/** Calls in reach over the source `s` (reseller_id 0 = the admin's realm). */
function scope(ctx: Ctx): SQL {
  switch (ctx.actor.usertype) {
    case 'admin':
      return sql`true`;
    case 'accountant':
      return sql`(s.reseller_id = 0 and s.user_id <> 0)`;
    default:
      return sql`s.reseller_id = ${ctx.actor.id}::int`;
  }
}

/** Each filter must name an object in the caller's reach. */
async function checkFilters(ctx: Ctx, q: AggregateQuery): Promise<void> {
  const { actor } = ctx;
  const users =
    actor.usertype === 'admin'
      ? sql`true`
      : actor.usertype === 'accountant'
        ? sql`(u.owner_id = 0 and u.id <> 0)`
        : sql`u.owner_id = ${actor.id}::int`;
  const providers = actor.usertype === 'reseller' ? sql`p.owner_id = ${actor.id}::int` : sql`p.owner_id = 0`;
  const checks: [number | undefined, (id: number) => SQL, string][] = [
    [q.userId, (id) => sql`select 1 from users u where u.id = ${id}::int and ${users}`, 'User was not found'],
    [
      q.deviceId,
      (id) => sql`select 1 from devices d join users u on u.id = d.user_id where d.id = ${id}::int and ${users}`,
      'Device was not found',
    ],
    [
      q.terminatorId,
      (id) => sql`select 1 from providers p where p.id = ${id}::int and ${providers}`,
      'Terminator was not found',
    ],
    [
      q.providerId,
      (id) => sql`select 1 from providers p where p.id = ${id}::int and ${providers}`,
      'Provider was not found',
    ],
  ];
  for (const [id, query, message] of checks) {
    if (id === undefined) continue;
    const [found] = await queryRows<{ ok: number }>(ctx.db, query(id));
    if (!found) throw notFound('filter', message);
  }
}
