import { and, eq, inArray, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { callerids, ivrs } from '../../db/schema/clis.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { DIGITS } from '../devices/deviceRules.ts';
import { findDevice } from '../devices/findDevice.ts';
import { niceUserSql } from '../devices/nice.ts';
import { isUniqueViolation } from '../devices/problems.ts';
import { isId, reachableUsers, requireManager, requireRight } from '../devices/reach.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';

export const AddCli = v.object({
  deviceId: v.optional(RowId),
  /** Digits; optional when `domain` is given. */
  number: v.optional(v.string()),
  domain: v.optional(v.string()),
  description: v.optional(v.string()),
  comment: v.optional(v.string()),
  banned: v.optional(v.boolean()),
  ivrId: v.optional(RowId),
});
export type AddCli = v.InferOutput<typeof AddCli>;

/** cli_add: a CLI (number unique system-wide, and/or domain) on a device within reach. */
export async function addCli(ctx: Ctx, input: AddCli): Promise<{ id: number }> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 2);
  if (!input.number && !input.domain) throw invalid('cli_empty', 'CLI Number cannot be empty');
  if (input.deviceId === undefined) throw invalid('device_empty', 'Device ID cannot be empty');
  return withTransaction(ctx, async (tx) => {
    const { device } = await findDevice(tx, { id: input.deviceId });
    if (input.ivrId !== undefined) {
      const owner = tx.actor.usertype === 'reseller' ? tx.actor.id : 0;
      const found = isId(input.ivrId)
        ? await tx.db
            .select({ id: ivrs.id })
            .from(ivrs)
            .where(and(eq(ivrs.id, input.ivrId), inArray(ivrs.ownerId, [owner])))
        : [];
      if (found.length === 0) throw notFound('ivr', 'IVR was not found');
    }
    const number = input.number ?? '';
    if (number !== '' && !DIGITS.test(number)) throw invalid('cli_numeric', 'CLI must be numeric');
    if (number !== '') await refuseDuplicate(tx, number);
    try {
      const [row] = await tx.db
        .insert(callerids)
        .values({
          cli: number,
          domain: input.domain ?? '',
          deviceId: device.id,
          description: input.description ?? '',
          comment: input.comment ?? '',
          banned: input.banned ? 1 : 0,
          ivrId: input.ivrId ?? null,
        })
        .returning({ id: callerids.id });
      await logAction(tx, {
        action: 'cli_created',
        targetType: 'cli',
        targetId: row!.id,
        data: number || input.domain,
      });
      return { id: row!.id };
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('cli_exists', 'CLI already exists');
      throw error;
    }
  });
}

/** A taken number names the owner of its device only when that owner is within the caller's reach. */
async function refuseDuplicate(ctx: Ctx, number: string) {
  const [taken] = await queryRows<{ nice: string; reachable: boolean }>(
    ctx.db,
    sql`select ${niceUserSql('users', 'a')} as nice, (${reachableUsers(ctx.actor)}) as reachable
        from callerids c join devices d on d.id = c.device_id join users on users.id = d.user_id
        left join addresses a on a.id = users.address_id
        where c.cli = ${number}`,
  );
  if (!taken) return;
  throw conflict(
    'cli_exists',
    taken.reachable ? `CLI already exists. It is assigned to ${taken.nice} device` : 'CLI already exists',
  );
}
