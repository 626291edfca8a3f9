import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { readableTariffs, resellersMayUseAdminTariffs } from '../rating/access.ts';
import { realmOf } from './access.ts';

const isId = (id: number) => Number.isSafeInteger(id) && id >= 0 && id <= 2_147_483_647;

async function exists(ctx: Pick<Ctx, 'db'>, query: SQL): Promise<boolean> {
  const rows = await queryRows<{ ok: number }>(ctx.db, sql`select 1 as ok where exists (${query})`);
  return rows.length > 0;
}

/** The realm predicate for owner-scoped catalogue rows (LCRs, locations): the admin reaches all. */
const inRealm = (ctx: Ctx, column: string) =>
  ctx.actor.usertype === 'admin' ? sql`true` : sql`${sql.raw(column)} = ${realmOf(ctx.actor)}::int`;

/**
 * Reads a referenced row `for key share`: called in the transaction that writes the card group, it
 * makes a delete of that row (which locks it `for update` before its in-use check) wait for the write
 * and see the group, or the read find no row.
 */
async function held(ctx: Pick<Ctx, 'db'>, query: SQL): Promise<boolean> {
  const rows = await queryRows<{ ok: number }>(ctx.db, sql`${query} for key share`);
  return rows.length > 0;
}

/**
 * A tariff the actor may bill cards with (resellers: own, or admin's user tariffs when allowed). This
 * and lcrUsable, locationUsable lock the row they find: call them in the writing transaction.
 */
export async function tariffUsable(ctx: Ctx, id: number): Promise<boolean> {
  if (!isId(id)) return false;
  const allowed = ctx.actor.usertype === 'reseller' && (await resellersMayUseAdminTariffs(ctx));
  return held(ctx, sql`select 1 as ok from tariffs where id = ${id}::int and ${readableTariffs(ctx.actor, allowed)}`);
}

export async function lcrUsable(ctx: Ctx, id: number): Promise<boolean> {
  return isId(id) && held(ctx, sql`select 1 as ok from lcrs where id = ${id}::int and ${inRealm(ctx, 'owner_id')}`);
}

export async function locationUsable(ctx: Ctx, id: number): Promise<boolean> {
  return (
    isId(id) && held(ctx, sql`select 1 as ok from locations where id = ${id}::int and ${inRealm(ctx, 'owner_id')}`)
  );
}

/** A calling-card dial plan (access number) of the group's owner. */
export async function dialplanUsable(ctx: Ctx, id: number, ownerId: number): Promise<boolean> {
  return (
    isId(id) &&
    exists(
      ctx,
      sql`select 1 from dialplans where id = ${id}::int and dptype = 'callingcard' and owner_id = ${ownerId}::int`,
    )
  );
}

export async function currencyExists(ctx: Ctx, code: string): Promise<boolean> {
  return exists(ctx, sql`select 1 from currencies where name = ${code}::text`);
}

/**
 * A tax record of the actor's realm: the admin any; others one used by an account or a card group of
 * their realm (tax records have no owner of their own).
 */
export async function taxInRealm(ctx: Ctx, id: number): Promise<boolean> {
  if (!isId(id)) return false;
  if (ctx.actor.usertype === 'admin') return exists(ctx, sql`select 1 from taxes where id = ${id}::int`);
  const realm = realmOf(ctx.actor);
  return exists(
    ctx,
    sql`select 1 from users where tax_id = ${id}::int and (id = ${realm}::int or owner_id = ${realm}::int)
      union all select 1 from cardgroups where tax_id = ${id}::int and owner_id = ${realm}::int`,
  );
}

/** Copies a taxes row, so later edits of the original never change a group's prices silently. */
export async function copyTax(ctx: Pick<Ctx, 'db'>, id: number): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    ctx.db,
    sql`insert into taxes (tax1_name, tax1_value, tax2_enabled, tax2_name, tax2_value, tax3_enabled, tax3_name,
        tax3_value, tax4_enabled, tax4_name, tax4_value, total_tax_name, compound_tax)
      select tax1_name, tax1_value, tax2_enabled, tax2_name, tax2_value, tax3_enabled, tax3_name,
        tax3_value, tax4_enabled, tax4_name, tax4_value, total_tax_name, compound_tax
      from taxes where id = ${id}::int returning id`,
  );
  return row!.id;
}
