import { and, asc, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { dialplans } from '../../db/schema/dids.ts';
import { ivrTimePeriods } from '../../db/schema/pbx.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { isId } from '../devices/reach.ts';
import { notFound } from '../errors.ts';
import { ivrOwner, requireIvrManager } from './access.ts';

export const DIAL_PLAN_NOT_FOUND = 'Dial plan was not found';

export const CreateIvrDialPlan = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(255)),
});

/** ivr.createDialPlan: an IVR dial plan of the actor's realm, its three time period slots empty. */
export async function createIvrDialPlan(ctx: Ctx, input: { name: string }): Promise<{ id: number }> {
  requireIvrManager(ctx.actor);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(dialplans)
      .values({ name: input.name, dptype: 'ivr', ownerId: ivrOwner(tx.actor) })
      .returning({ id: dialplans.id });
    await logAction(tx, { action: 'dialplan_created', targetType: 'dialplan', targetId: row!.id, data: input.name });
    return { id: row!.id };
  });
}

/** ivr.listDialPlans: the actor's realm's IVR dial plans with their slots. */
export async function listIvrDialPlans(ctx: Ctx) {
  requireIvrManager(ctx.actor);
  return ctx.db
    .select({
      id: dialplans.id,
      name: dialplans.name,
      timePeriod1: dialplans.ivrTimePeriod1Id,
      timePeriod2: dialplans.ivrTimePeriod2Id,
      timePeriod3: dialplans.ivrTimePeriod3Id,
    })
    .from(dialplans)
    .where(and(eq(dialplans.dptype, 'ivr'), eq(dialplans.ownerId, ivrOwner(ctx.actor))))
    .orderBy(asc(dialplans.id));
}

/** Slot values as sent: absent = unchanged, '' = clear, else a time period id (text). */
export interface IvrDialPlanUpdate {
  id?: number;
  timePeriod1?: string;
  timePeriod2?: string;
  timePeriod3?: string;
}

const SLOTS = [
  ['timePeriod1', 'ivrTimePeriod1Id', 'time_period1 was not found'],
  ['timePeriod2', 'ivrTimePeriod2Id', 'time_period2 was not found'],
  ['timePeriod3', 'ivrTimePeriod3Id', 'time_period3 was not found'],
] as const;

/**
 * ivr_dial_plan_update: an IVR dial plan of the actor's realm (else `Dial plan was not found`); each
 * sent slot names a time period of the same realm (else `time_periodN was not found`, slots in order)
 * or is empty (cleared).
 */
export async function updateIvrDialPlan(ctx: Ctx, input: IvrDialPlanUpdate): Promise<void> {
  requireIvrManager(ctx.actor);
  const owner = ivrOwner(ctx.actor);
  await withTransaction(ctx, async (tx) => {
    const [plan] = isId(input.id)
      ? await tx.db
          .select()
          .from(dialplans)
          .where(and(eq(dialplans.id, input.id), eq(dialplans.dptype, 'ivr'), eq(dialplans.ownerId, owner)))
          .for('update')
      : [];
    if (!plan) throw notFound('dialplan', DIAL_PLAN_NOT_FOUND);
    const set: Partial<typeof dialplans.$inferInsert> = {};
    for (const [key, column, message] of SLOTS) {
      const value = input[key]?.trim();
      if (value === undefined) continue;
      if (value === '') {
        set[column] = null;
        continue;
      }
      const [period] = /^\d{1,9}$/.test(value)
        ? await tx.db
            .select({ id: ivrTimePeriods.id })
            .from(ivrTimePeriods)
            .where(and(eq(ivrTimePeriods.id, Number(value)), eq(ivrTimePeriods.ownerId, owner)))
        : [];
      if (!period) throw notFound(key, message);
      set[column] = period.id;
    }
    if (Object.keys(set).length > 0) await tx.db.update(dialplans).set(set).where(eq(dialplans.id, plan.id));
    await logAction(tx, { action: 'dialplan_updated', targetType: 'dialplan', targetId: plan.id, data: plan.name });
  });
}
