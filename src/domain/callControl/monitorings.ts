import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import type { Account } from '../auth/types.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { forbidden, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { Decimal } from '../rating/values.ts';

/**
 * Monitorings (Monitorings addon), the rules ma_activate fires: mtype 1 "increases more than" / 2
 * "drops below" `amount`, actions `block` and `email` (to the owner, the admin). Managed by whoever may
 * call ma_activate: the admin, and accountants with the Monitorings right (1 read, 2 write).
 */
const Fields = {
  name: v.pipe(v.string(), v.trim(), v.maxLength(255)),
  block: v.boolean(),
  email: v.boolean(),
  mtype: v.picklist([1, 2]),
  amount: Decimal,
};
export const MonitoringKey = v.strictObject({ id: RowId });
export const CreateMonitoring = v.strictObject({
  name: v.optional(Fields.name),
  block: v.optional(Fields.block),
  email: v.optional(Fields.email),
  mtype: v.optional(Fields.mtype),
  amount: v.optional(Fields.amount),
});
export const UpdateMonitoring = v.strictObject({ id: RowId, ...CreateMonitoring.entries });

function requireMonitoringRight(actor: Account, level: 1 | 2) {
  const allowed =
    actor.usertype === 'admin' || (actor.usertype === 'accountant' && (actor.rights.monitorings ?? 0) >= level);
  if (!allowed) throw forbidden('monitorings');
}

export interface MonitoringRow {
  id: number;
  name: string;
  block: boolean;
  email: boolean;
  mtype: number;
  amount: string;
}
const COLUMNS = sql`id::int, name, block, email, mtype::int, amount::text as amount`;

export async function listMonitorings(ctx: Ctx): Promise<MonitoringRow[]> {
  requireMonitoringRight(ctx.actor, 1);
  return queryRows<MonitoringRow>(ctx.db, sql`select ${COLUMNS} from monitorings where owner_id = 0 order by id`);
}

async function loadMonitoring(ctx: Pick<Ctx, 'db'>, id: number): Promise<MonitoringRow> {
  const [row] = await queryRows<MonitoringRow>(
    ctx.db,
    sql`select ${COLUMNS} from monitorings where id = ${id}::int and owner_id = 0`,
  );
  if (!row) throw notFound('monitoring', 'Monitoring not found');
  return row;
}

export async function createMonitoring(
  ctx: Ctx,
  input: v.InferOutput<typeof CreateMonitoring>,
): Promise<MonitoringRow> {
  requireMonitoringRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into monitorings (owner_id, name, block, email, mtype, amount)
        values (0, ${input.name ?? ''}::text, ${input.block ?? false}::boolean, ${input.email ?? false}::boolean,
          ${input.mtype ?? 1}::smallint, ${input.amount ?? '0'}::numeric)
        returning id::int`,
    );
    await logAction(tx, {
      action: 'monitoring_created',
      targetType: 'monitoring',
      targetId: row!.id,
      data: input.name ?? '',
    });
    return loadMonitoring(tx, row!.id);
  });
}

export async function updateMonitoring(
  ctx: Ctx,
  input: v.InferOutput<typeof UpdateMonitoring>,
): Promise<MonitoringRow> {
  requireMonitoringRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const was = await loadMonitoring(tx, input.id);
    await queryRows(
      tx.db,
      sql`update monitorings set name = ${input.name ?? was.name}::text, block = ${input.block ?? was.block}::boolean,
          email = ${input.email ?? was.email}::boolean, mtype = ${input.mtype ?? was.mtype}::smallint,
          amount = ${input.amount ?? was.amount}::numeric
        where id = ${input.id}::int`,
    );
    return loadMonitoring(tx, input.id);
  });
}

export async function deleteMonitoring(ctx: Ctx, input: v.InferOutput<typeof MonitoringKey>): Promise<{ id: number }> {
  requireMonitoringRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const row = await loadMonitoring(tx, input.id);
    await queryRows(tx.db, sql`delete from monitorings where id = ${row.id}::int`);
    await logAction(tx, { action: 'monitoring_deleted', targetType: 'monitoring', targetId: row.id, data: row.name });
    return { id: row.id };
  });
}
