import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { users } from '../../db/schema/users.ts';
import { visibleUsers } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { requireAutodialer } from './access.ts';

/** autodialer.listCampaigns: campaigns in reach with their number counts, by id. */
export async function listCampaigns(ctx: Ctx) {
  await requireAutodialer(ctx);
  return queryRows<{
    id: number;
    userId: number;
    name: string;
    status: string;
    numbers: number;
    freeNumbers: number;
    actions: number;
  }>(
    ctx.db,
    sql`select c.id, c.user_id as "userId", c.name, c.status,
          (select count(*)::int from campaign_numbers n where n.campaign_id = c.id) as numbers,
          (select count(*)::int from campaign_numbers n where n.campaign_id = c.id and n.status = 'new') as "freeNumbers",
          (select count(*)::int from campaign_actions a where a.campaign_id = c.id) as actions
        from campaigns c
        where exists (select 1 from ${users} where ${users.id} = c.user_id and ${visibleUsers(ctx.actor)})
        order by c.id`,
  );
}
