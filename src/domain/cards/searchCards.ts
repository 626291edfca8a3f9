import { type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { niceUserSql } from '../devices/nice.ts';
import { invalid } from '../errors.ts';
import { RowId } from '../ids.ts';
import { actorZone } from '../users/actorZone.ts';
import { ownerScope, requireCards } from './access.ts';
import { isoTime, localTime } from './time.ts';

const Text = v.optional(v.pipe(v.string(), v.maxLength(255)));
const Balance = v.optional(v.pipe(v.string(), v.regex(/^-?\d{1,14}(\.\d+)?$/, 'a decimal number')));

export const SearchCards = v.object({
  cardId: v.optional(RowId),
  cardGroupId: v.optional(RowId),
  /** Text filters match exactly (trimmed); a value with `%` is a LIKE pattern (`1111%`). */
  number: Text,
  name: Text,
  pin: Text,
  batchNumber: Text,
  callerid: Text,
  /** Balance range (system currency, tax excluded), inclusive. */
  minBalance: Balance,
  maxBalance: Balance,
  language: Text,
  sold: v.optional(v.boolean()),
  distributorId: v.optional(RowId),
  /** Paging (tRPC); the XML API returns every match. */
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
});
export type SearchCards = v.InferOutput<typeof SearchCards>;

export interface CardView {
  id: number;
  cardgroupId: number;
  number: string;
  name: string;
  pin: string;
  batchNumber: string;
  callerid: string;
  /** Stored balance, system currency, tax excluded. */
  balance: string;
  minBalance: string;
  sold: boolean;
  language: string;
  firstUse: string | null;
  dailyChargePaidTill: string | null;
  /** The same two instants as MOR prints them, in the actor's time zone ('' when unset). */
  firstUseLocal: string;
  dailyChargePaidTillLocal: string;
  distributorId: number | null;
  /** Distributor's first and last name, else its username; '' when none. */
  distributor: string;
}

const text = (column: string, value: string | undefined): SQL => {
  if (value === undefined) return sql``;
  const v = value.trim();
  return v.includes('%') ? sql` and ${sql.raw(column)} like ${v}::text` : sql` and ${sql.raw(column)} = ${v}::text`;
};

const idOk = (n: number) => Number.isSafeInteger(n) && n >= 0 && n <= 2_147_483_647;

/**
 * Cards of visible groups of the actor's reach matching every given filter, by group id then number
 * (calling_cards_get, cards.search). Hidden cards never appear. `total` counts all matches.
 */
export async function searchCards(ctx: Ctx, input: SearchCards): Promise<{ total: number; cards: CardView[] }> {
  requireCards(ctx.actor, 1);
  for (const key of ['minBalance', 'maxBalance'] as const) {
    const value = input[key];
    if (value !== undefined && !/^-?\d{1,14}(\.\d+)?$/.test(value)) throw invalid(key, `Invalid ${key}`);
  }
  const tz = await actorZone(ctx);
  const id = (n: number | undefined, column: string) =>
    n === undefined ? sql`` : idOk(n) ? sql` and ${sql.raw(column)} = ${n}::int` : sql` and false`;
  const rows = await queryRows<CardView & { total: number }>(
    ctx.db,
    sql`select c.id, c.cardgroup_id as "cardgroupId", c.number, c.name, c.pin, c.batch_number as "batchNumber",
      c.callerid, c.balance::text as balance, c.min_balance::text as "minBalance", c.sold, c.language,
      ${isoTime(sql`c.first_use`)} as "firstUse",
      ${isoTime(sql`c.daily_charge_paid_till`)} as "dailyChargePaidTill",
      ${localTime(sql`c.first_use`, tz)} as "firstUseLocal",
      ${localTime(sql`c.daily_charge_paid_till`, tz)} as "dailyChargePaidTillLocal",
      d.id as "distributorId", coalesce(${niceUserSql('d', 'a')}, '') as distributor,
      (count(*) over ())::int as total
    from cards c
    join cardgroups g on g.id = c.cardgroup_id and not g.hidden
    left join users d on d.id = c.user_id
    left join addresses a on a.id = d.address_id
    where not c.hidden and ${ownerScope(ctx.actor, sql`c.owner_id`)}
      ${id(input.cardId, 'c.id')}${id(input.cardGroupId, 'c.cardgroup_id')}${id(input.distributorId, 'c.user_id')}
      ${text('c.number', input.number)}${text('c.name', input.name)}${text('c.pin', input.pin)}
      ${text('c.batch_number', input.batchNumber)}${text('c.callerid', input.callerid)}
      ${input.language === undefined ? sql`` : sql` and c.language = ${input.language}::text`}
      ${input.sold === undefined ? sql`` : sql` and c.sold = ${input.sold}::bool`}
      ${input.minBalance === undefined ? sql`` : sql` and c.balance >= ${input.minBalance}::numeric`}
      ${input.maxBalance === undefined ? sql`` : sql` and c.balance <= ${input.maxBalance}::numeric`}
    order by c.cardgroup_id, c.number
    ${input.limit === undefined ? sql`` : sql`limit ${input.limit}::int`}
    ${input.offset === undefined ? sql`` : sql`offset ${input.offset}::int`}`,
  );
  // A page past the end has no row to carry the count: ask again for the first match only.
  const total =
    rows[0]?.total ?? (input.offset ? (await searchCards(ctx, { ...input, offset: 0, limit: 1 })).total : 0);
  return { total, cards: rows.map(({ total: _, ...card }) => card) };
}
