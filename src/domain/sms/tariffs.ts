import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { realmOf, requireTariffRight } from '../rating/access.ts';
import { Decimal } from '../rating/values.ts';

/**
 * SMS tariffs of the caller's realm (admin and accountants with "Tariffs": the admin's, owner 0; a
 * reseller: its own), as user_sms_service_subscribe reads them (a `user` tariff of the subscribed
 * user's owner) and sms_send prices with (`sms_rates`: longest prefix, price per part).
 */
const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(255));
const Prefix = v.pipe(v.string(), v.regex(/^\d{1,32}$/, 'digits of the destination number'));

export const SmsTariffKey = v.strictObject({ id: RowId });
export const CreateSmsTariff = v.strictObject({ name: Name, tariffType: v.optional(v.picklist(['user', 'provider'])) });
export const UpdateSmsTariff = v.strictObject({ id: RowId, name: Name });
export const SetSmsRate = v.strictObject({ id: RowId, prefix: Prefix, price: Decimal });
export const SmsRateKey = v.strictObject({ id: RowId, prefix: Prefix });

export interface SmsTariffRow {
  id: number;
  ownerId: number;
  name: string;
  tariffType: 'user' | 'provider';
  rates: number;
}

const COLUMNS = sql`t.id::int, t.owner_id::int as "ownerId", t.name, t.tariff_type as "tariffType",
  (select count(*)::int from sms_rates r where r.sms_tariff_id = t.id) as rates`;

export async function listSmsTariffs(ctx: Ctx): Promise<SmsTariffRow[]> {
  requireTariffRight(ctx.actor, 1);
  return queryRows<SmsTariffRow>(
    ctx.db,
    sql`select ${COLUMNS} from sms_tariffs t where t.owner_id = ${realmOf(ctx.actor)}::int order by t.id`,
  );
}

/** The tariff when it is in the caller's realm, else NOT_FOUND (another realm's is not shown to exist). */
export async function loadSmsTariff(ctx: Pick<Ctx, 'db' | 'actor'>, id: number): Promise<SmsTariffRow> {
  const [row] = await queryRows<SmsTariffRow>(
    ctx.db,
    sql`select ${COLUMNS} from sms_tariffs t where t.id = ${id}::int and t.owner_id = ${realmOf(ctx.actor)}::int`,
  );
  if (!row) throw notFound('sms_tariff', 'SMS tariff not found');
  return row;
}

export async function createSmsTariff(ctx: Ctx, input: v.InferOutput<typeof CreateSmsTariff>): Promise<SmsTariffRow> {
  requireTariffRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into sms_tariffs (owner_id, name, tariff_type)
        values (${realmOf(ctx.actor)}::int, ${input.name}::text, ${input.tariffType ?? 'user'}::text) returning id::int`,
    );
    await logAction(tx, {
      action: 'sms_tariff_created',
      targetType: 'sms_tariff',
      targetId: row!.id,
      data: input.name,
    });
    return loadSmsTariff(tx, row!.id);
  });
}

export async function updateSmsTariff(ctx: Ctx, input: v.InferOutput<typeof UpdateSmsTariff>): Promise<SmsTariffRow> {
  requireTariffRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    await loadSmsTariff(tx, input.id);
    await queryRows(tx.db, sql`update sms_tariffs set name = ${input.name}::text where id = ${input.id}::int`);
    return loadSmsTariff(tx, input.id);
  });
}

/** A tariff a subscription still prices with cannot go (CONFLICT); its rates go with it. */
export async function deleteSmsTariff(ctx: Ctx, input: v.InferOutput<typeof SmsTariffKey>): Promise<{ id: number }> {
  requireTariffRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const tariff = await loadSmsTariff(tx, input.id);
    // The row lock orders this delete with a subscription naming the tariff (subscribeSms reads it `for
    // key share`): the check sees the subscription that committed first, or the subscribe finds none.
    const [locked] = await queryRows(tx.db, sql`select id from sms_tariffs where id = ${tariff.id}::int for update`);
    if (!locked) throw notFound('sms_tariff', 'SMS tariff not found');
    const [used] = await queryRows(tx.db, sql`select 1 from sms_subscriptions where sms_tariff_id = ${tariff.id}::int`);
    if (used) throw conflict('sms_tariff', 'SMS tariff is used by SMS subscriptions');
    await queryRows(tx.db, sql`delete from sms_rates where sms_tariff_id = ${tariff.id}::int`);
    await queryRows(tx.db, sql`delete from sms_tariffs where id = ${tariff.id}::int`);
    await logAction(tx, {
      action: 'sms_tariff_deleted',
      targetType: 'sms_tariff',
      targetId: tariff.id,
      data: tariff.name,
    });
    return { id: tariff.id };
  });
}

export async function listSmsRates(ctx: Ctx, input: v.InferOutput<typeof SmsTariffKey>) {
  requireTariffRight(ctx.actor, 1);
  const tariff = await loadSmsTariff(ctx, input.id);
  return queryRows<{ prefix: string; price: string }>(
    ctx.db,
    sql`select prefix, price::text as price from sms_rates where sms_tariff_id = ${tariff.id}::int order by prefix`,
  );
}

/** Sets the price of one SMS part to numbers starting with `prefix` (replaces the prefix's price). */
export async function setSmsRate(ctx: Ctx, input: v.InferOutput<typeof SetSmsRate>) {
  requireTariffRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const tariff = await loadSmsTariff(tx, input.id);
    const [row] = await queryRows<{ prefix: string; price: string }>(
      tx.db,
      sql`insert into sms_rates (sms_tariff_id, prefix, price) values (${tariff.id}::int, ${input.prefix}::text, ${input.price}::numeric)
        on conflict (sms_tariff_id, prefix) do update set price = excluded.price
        returning prefix, price::text as price`,
    );
    return row!;
  });
}

export async function deleteSmsRate(ctx: Ctx, input: v.InferOutput<typeof SmsRateKey>) {
  requireTariffRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const tariff = await loadSmsTariff(tx, input.id);
    const gone = await queryRows(
      tx.db,
      sql`delete from sms_rates where sms_tariff_id = ${tariff.id}::int and prefix = ${input.prefix}::text returning 1`,
    );
    if (gone.length === 0) throw notFound('sms_rate', 'SMS rate not found');
    return { id: tariff.id, prefix: input.prefix };
  });
}
