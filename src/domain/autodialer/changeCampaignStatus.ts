import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { campaigns } from '../../db/schema/autodialer.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { Problems } from '../devices/problems.ts';
import { campaignInReach, requireAutodialer } from './access.ts';

export const NOT_STARTED = 'Campaign was not started';

/**
 * autodialer_change_campaign_status: a stopped campaign starts, a running one stops. Starting needs
 * free (new) numbers and at least one action; otherwise it stays stopped and the refusal carries the
 * documented message (`No free numbers for Campaign: NAME` / `No actions for Campaign: NAME`).
 */
export async function changeCampaignStatus(ctx: Ctx, input: { id?: number }): Promise<'started' | 'stopped'> {
  await requireAutodialer(ctx);
  return withTransaction(ctx, async (tx) => {
    const campaign = await campaignInReach(tx, input.id, true);
    const next = campaign.status === 'enabled' ? 'disabled' : 'enabled';
    if (next === 'enabled') {
      const [state] = await queryRows<{ numbers: boolean; actions: boolean }>(
        tx.db,
        sql`select exists (select 1 from campaign_numbers where campaign_id = ${campaign.id}::int and status = 'new') as numbers,
            exists (select 1 from campaign_actions where campaign_id = ${campaign.id}::int) as actions`,
      );
      if (!state?.numbers) throw new Problems(NOT_STARTED, [`No free numbers for Campaign: ${campaign.name}`]);
      if (!state.actions) throw new Problems(NOT_STARTED, [`No actions for Campaign: ${campaign.name}`]);
    }
    await tx.db.update(campaigns).set({ status: next }).where(eq(campaigns.id, campaign.id));
    await logAction(tx, {
      action: 'campaign_status_changed',
      targetType: 'campaign',
      targetId: campaign.id,
      data: campaign.status,
      data2: next,
    });
    return next === 'enabled' ? 'started' : 'stopped';
  });
}
