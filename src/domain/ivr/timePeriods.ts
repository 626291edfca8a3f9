import { and, asc, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { ivrTimePeriods } from '../../db/schema/pbx.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { isId } from '../devices/reach.ts';
import { invalid, notFound } from '../errors.ts';
import { ivrOwner, requireIvrManager } from './access.ts';
import { checkTimePeriod, type TimePeriodInput } from './timePeriodFields.ts';

export const PERIOD_NOT_FOUND = 'Time period was not found';
export const PERIOD_NOT_UPDATED = 'Time period was not updated';

const Field = v.optional(v.pipe(v.string(), v.maxLength(255)));
/** tRPC: the fields as the XML API sends them (text; empty clears the optional ones). */
export const TimePeriodFields = v.strictObject({
  name: Field,
  startHour: Field,
  endHour: Field,
  startMinute: Field,
  endMinute: Field,
  startWeekday: Field,
  endWeekday: Field,
  startMonth: Field,
  endMonth: Field,
  startDay: Field,
  endDay: Field,
});

/** A time period of the actor's realm, else `Time period was not found`. */
async function periodInReach(ctx: Ctx, id: number | undefined) {
  if (!isId(id)) throw notFound('time_period', PERIOD_NOT_FOUND);
  const [row] = await ctx.db
    .select()
    .from(ivrTimePeriods)
    .where(and(eq(ivrTimePeriods.id, id), eq(ivrTimePeriods.ownerId, ivrOwner(ctx.actor))))
    .for('update');
  if (!row) throw notFound('time_period', PERIOD_NOT_FOUND);
  return row;
}

/** ivr.createTimePeriod: a named period of the actor's realm (defaults: all day, any weekday, month, day). */
export async function createTimePeriod(ctx: Ctx, input: TimePeriodInput): Promise<{ id: number }> {
  requireIvrManager(ctx.actor);
  const patch = checkTimePeriod(input);
  if (patch.name === undefined) throw invalid('name', 'name value cannot be blank');
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(ivrTimePeriods)
      .values({ ...patch, name: patch.name!, ownerId: ivrOwner(tx.actor) })
      .returning({ id: ivrTimePeriods.id });
    await logAction(tx, {
      action: 'ivr_time_period_created',
      targetType: 'ivr_time_period',
      targetId: row!.id,
      data: patch.name,
    });
    return { id: row!.id };
  });
}

/** ivr_time_period_update: changes the sent fields; the first bad one answers its documented string. */
export async function updateTimePeriod(ctx: Ctx, input: TimePeriodInput & { id?: number }): Promise<void> {
  requireIvrManager(ctx.actor);
  await withTransaction(ctx, async (tx) => {
    const period = await periodInReach(tx, input.id);
    const patch = checkTimePeriod(input);
    if (Object.keys(patch).length > 0) {
      const changed = await tx.db
        .update(ivrTimePeriods)
        .set(patch)
        .where(eq(ivrTimePeriods.id, period.id))
        .returning({ id: ivrTimePeriods.id });
      if (changed.length === 0) throw invalid('save', PERIOD_NOT_UPDATED);
    }
    await logAction(tx, {
      action: 'ivr_time_period_updated',
      targetType: 'ivr_time_period',
      targetId: period.id,
      data: period.name,
    });
  });
}

/** ivr.listTimePeriods: the actor's realm's periods by id. */
export async function listTimePeriods(ctx: Ctx) {
  requireIvrManager(ctx.actor);
  return ctx.db
    .select()
    .from(ivrTimePeriods)
    .where(eq(ivrTimePeriods.ownerId, ivrOwner(ctx.actor)))
    .orderBy(asc(ivrTimePeriods.id));
}
