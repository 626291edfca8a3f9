import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { users } from '../../db/schema/users.ts';
import { visibleUsers } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { isId } from '../devices/reach.ts';
import { forbidden, notFound } from '../errors.ts';

export const NOT_AUTHORIZED = 'You are not authorized to use this functionality';
export const CAMPAIGN_NOT_FOUND = 'Campaign was not found';

/**
 * The autodialer addon for the actor: the admin; a reseller whose permission group has Autodialer; a
 * simple user of the admin, or of a reseller that has it. Accountants and anyone else are refused.
 */
export async function requireAutodialer(ctx: Ctx): Promise<void> {
  const { actor } = ctx;
  if (actor.usertype === 'admin') return;
  if (actor.usertype === 'reseller' && (actor.rights.autodialer ?? 0) >= 1) return;
  if (actor.usertype === 'user') {
    if (actor.ownerId === 0) return;
    const [owner] = await queryRows<{ ok: boolean }>(
      ctx.db,
      sql`select coalesce((ag.rights->>'autodialer')::int, 0) >= 1 as ok
          from users r left join acc_groups ag on ag.id = r.acc_group_id where r.id = ${actor.ownerId}::int`,
    );
    if (owner?.ok) return;
  }
  throw forbidden('autodialer', NOT_AUTHORIZED);
}

export interface CampaignRow {
  id: number;
  userId: number;
  name: string;
  status: 'enabled' | 'disabled';
}

/** A campaign of a user in the actor's reach (admin all, reseller its users', a user its own), locked when asked. */
export async function campaignInReach(ctx: Ctx, id: number | undefined, forUpdate = false): Promise<CampaignRow> {
  if (!isId(id)) throw notFound('campaign', CAMPAIGN_NOT_FOUND);
  const [row] = await queryRows<CampaignRow>(
    ctx.db,
    sql`select c.id, c.user_id as "userId", c.name, c.status from campaigns c
        where c.id = ${id}::int
          and exists (select 1 from ${users} where ${users.id} = c.user_id and ${visibleUsers(ctx.actor)})
        ${forUpdate ? sql`for update of c` : sql``}`,
  );
  if (!row) throw notFound('campaign', CAMPAIGN_NOT_FOUND);
  return row;
}
