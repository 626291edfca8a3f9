import { eq, inArray, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { quickforwardsRules } from '../../db/schema/quickforwards.ts';
import { users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { ruleRegex } from './rules.ts';

export interface EligibleDid {
  id: number;
  did: string;
  number: string | null;
  description: string | null;
}

/**
 * Quickforwards DIDs the caller may use (_devices-model §5): DIDs in a Quickforwards dial plan whose
 * number matches the caller's rule and, for a reseller's user, the reseller's rule too. No rule, no
 * DIDs. `did` narrows the list to one number. Each comes with the caller's own entry, if any.
 */
export async function eligibleDids(ctx: Ctx, did?: string): Promise<EligibleDid[]> {
  const [me] = await ctx.db
    .select({ ruleId: users.quickforwardsRuleId, ownerId: users.ownerId })
    .from(users)
    .where(eq(users.id, ctx.actor.id));
  if (!me?.ruleId) return [];
  const [owner] =
    me.ownerId !== 0 && me.ownerId !== ctx.actor.id
      ? await ctx.db
          .select({ usertype: users.usertype, ruleId: users.quickforwardsRuleId })
          .from(users)
          .where(eq(users.id, me.ownerId))
      : [];
  const ruleIds = [me.ruleId];
  if (owner?.usertype === 'reseller') {
    if (!owner.ruleId) return [];
    ruleIds.push(owner.ruleId);
  }
  const rules = await ctx.db
    .select({ id: quickforwardsRules.id, rule: quickforwardsRules.rule })
    .from(quickforwardsRules)
    .where(inArray(quickforwardsRules.id, ruleIds));
  const regexes = ruleIds.map((id) => ruleRegex(rules.find((r) => r.id === id)?.rule ?? ''));
  if (regexes.some((r) => r === null)) return [];
  return queryRows<EligibleDid>(
    ctx.db,
    sql`select dids.id, dids.did, q.number, q.description
        from dids join dialplans dp on dp.id = dids.dialplan_id and dp.dptype = 'quickforwarddids'
        left join quickforwarddids q on q.did_id = dids.id and q.user_id = ${ctx.actor.id}
        where ${sql.join(
          regexes.map((r) => sql`dids.did ~ ${r}`),
          sql` and `,
        )}${did === undefined ? sql`` : sql` and dids.did = ${did}`}
        order by dids.did`,
  );
}
