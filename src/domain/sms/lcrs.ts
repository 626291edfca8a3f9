import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import type { Account } from '../auth/types.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireTariffRight } from '../rating/access.ts';

/**
 * SMS LCRs (routing plans). As the XML side reads them they are the admin's only (owner 0):
 * user_sms_service_subscribe takes an admin's LCR, a reseller's users ride their reseller's
 * subscription, sms_send checks the `lcr_id`. So the admin (and accountants with "Tariffs") manage
 * them; resellers do not.
 */
const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(255));
export const SmsLcrKey = v.strictObject({ id: RowId });
export const CreateSmsLcr = v.strictObject({ name: Name });
export const UpdateSmsLcr = v.strictObject({ id: RowId, name: Name });

function requireLcrRight(actor: Account, level: 1 | 2) {
  if (actor.usertype !== 'admin' && actor.usertype !== 'accountant')
    throw forbidden('sms_lcrs', 'Only the admin manages SMS LCRs');
  requireTariffRight(actor, level);
}

export interface SmsLcrRow {
  id: number;
  name: string;
  subscriptions: number;
}
const COLUMNS = sql`l.id::int, l.name, (select count(*)::int from sms_subscriptions s where s.sms_lcr_id = l.id) as subscriptions`;

export async function listSmsLcrs(ctx: Ctx): Promise<SmsLcrRow[]> {
  requireLcrRight(ctx.actor, 1);
  return queryRows<SmsLcrRow>(ctx.db, sql`select ${COLUMNS} from sms_lcrs l where l.owner_id = 0 order by l.id`);
}

async function loadSmsLcr(ctx: Pick<Ctx, 'db'>, id: number): Promise<SmsLcrRow> {
  const [row] = await queryRows<SmsLcrRow>(
    ctx.db,
    sql`select ${COLUMNS} from sms_lcrs l where l.id = ${id}::int and l.owner_id = 0`,
  );
  if (!row) throw notFound('sms_lcr', 'SMS LCR not found');
  return row;
}

export async function createSmsLcr(ctx: Ctx, input: v.InferOutput<typeof CreateSmsLcr>): Promise<SmsLcrRow> {
  requireLcrRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into sms_lcrs (owner_id, name) values (0, ${input.name}::text) returning id::int`,
    );
    await logAction(tx, { action: 'sms_lcr_created', targetType: 'sms_lcr', targetId: row!.id, data: input.name });
    return loadSmsLcr(tx, row!.id);
  });
}

export async function updateSmsLcr(ctx: Ctx, input: v.InferOutput<typeof UpdateSmsLcr>): Promise<SmsLcrRow> {
  requireLcrRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    await loadSmsLcr(tx, input.id);
    await queryRows(tx.db, sql`update sms_lcrs set name = ${input.name}::text where id = ${input.id}::int`);
    return loadSmsLcr(tx, input.id);
  });
}

/** An LCR a subscription routes through cannot go (CONFLICT). */
export async function deleteSmsLcr(ctx: Ctx, input: v.InferOutput<typeof SmsLcrKey>): Promise<{ id: number }> {
  requireLcrRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    // Locked before the count: a subscription naming the LCR (read `for key share`) commits first or
    // finds no LCR.
    await queryRows(tx.db, sql`select id from sms_lcrs where id = ${input.id}::int for update`);
    const lcr = await loadSmsLcr(tx, input.id);
    if (lcr.subscriptions > 0) throw conflict('sms_lcr', 'SMS LCR is used by SMS subscriptions');
    await queryRows(tx.db, sql`delete from sms_lcrs where id = ${lcr.id}::int`);
    await logAction(tx, { action: 'sms_lcr_deleted', targetType: 'sms_lcr', targetId: lcr.id, data: lcr.name });
    return { id: lcr.id };
  });
}
