import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { campaignActions, campaigns } from '../../db/schema/autodialer.ts';
import { users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import { visibleUsers } from '../auth/rights.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';
import { campaignInReach, requireAutodialer } from './access.ts';

export const CreateCampaign = v.strictObject({
  /** The simple user the campaign runs under (a simple user: itself, may be left out). */
  userId: v.optional(UserId),
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(255)),
});

/** autodialer.createCampaign: a stopped campaign of a simple user in reach. */
export async function createCampaign(ctx: Ctx, input: v.InferOutput<typeof CreateCampaign>): Promise<{ id: number }> {
  await requireAutodialer(ctx);
  const userId = input.userId ?? ctx.actor.id;
  return withTransaction(ctx, async (tx) => {
    const [user] = await tx.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.usertype, 'user'), visibleUsers(tx.actor)));
    if (!user) throw notFound('user', 'User was not found');
    const [row] = await tx.db
      .insert(campaigns)
      .values({ userId: user.id, name: input.name })
      .returning({ id: campaigns.id });
    await logAction(tx, { action: 'campaign_created', targetType: 'campaign', targetId: row!.id, data: input.name });
    return { id: row!.id };
  });
}

export const AddCampaignAction = v.strictObject({
  id: RowId,
  actionType: v.picklist(['play', 'ivr_poll', 'ivr', 'dial', 'hangup']),
  data: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  priority: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
});

/** autodialer.addAction: appends what the campaign does when a number answers. */
export async function addCampaignAction(ctx: Ctx, input: v.InferOutput<typeof AddCampaignAction>) {
  await requireAutodialer(ctx);
  return withTransaction(ctx, async (tx) => {
    const campaign = await campaignInReach(tx, input.id, true);
    const [row] = await tx.db
      .insert(campaignActions)
      .values({
        campaignId: campaign.id,
        actionType: input.actionType,
        data: input.data ?? '',
        priority: input.priority ?? 1,
      })
      .returning({ id: campaignActions.id });
    return { actionId: row!.id };
  });
}
