import { actions } from '../../db/schema/actions.ts';
import type { Ctx } from '../ctx.ts';

export interface ActionEntry {
  action: string;
  targetType?: string;
  targetId?: number | null;
  /** Old value, or the main datum. */
  data?: string;
  /** New value. */
  data2?: string;
}

/** Writes one MOR "Actions log" row for the acting account (call it inside the operation's transaction). */
export async function logAction(ctx: Ctx, entry: ActionEntry): Promise<void> {
  await ctx.db.insert(actions).values({
    userId: ctx.actor.id,
    action: entry.action,
    targetType: entry.targetType ?? '',
    targetId: entry.targetId ?? null,
    data: entry.data ?? '',
    data2: entry.data2 ?? '',
    ip: ctx.ip,
  });
}
