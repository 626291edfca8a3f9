import { and, eq, inArray, ne } from 'drizzle-orm';
import { dids } from '../../db/schema/dids.ts';
import { quickforwardsRules } from '../../db/schema/quickforwards.ts';
import { users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { ruleMatches } from '../quickforwards/rules.ts';

/**
 * Numbers a reseller may not create: those an admin Quickforwards rule defines, unless that rule is
 * assigned to the reseller ("Quickforwards rules" page). Admin and accountants are not limited.
 */
export async function quickforwardsConflicts(ctx: Ctx, numbers: readonly string[]): Promise<Set<string>> {
  if (ctx.actor.usertype !== 'reseller' || numbers.length === 0) return new Set();
  const [me] = await ctx.db.select({ ruleId: users.quickforwardsRuleId }).from(users).where(eq(users.id, ctx.actor.id));
  const rules = await ctx.db
    .select({ rule: quickforwardsRules.rule })
    .from(quickforwardsRules)
    .where(
      and(
        eq(quickforwardsRules.ownerId, 0),
        ne(quickforwardsRules.rule, ''),
        me?.ruleId ? ne(quickforwardsRules.id, me.ruleId) : undefined,
      ),
    );
  return new Set(numbers.filter((n) => rules.some((r) => ruleMatches(r.rule, n))));
}

export interface NewDid {
  did: string;
  providerId: number;
  comment?: string;
  resellerComment?: string;
  customSipHeader?: string;
}

/** Inserts free DIDs for the caller (a reseller's DIDs are handed to it); skips numbers that exist. */
export async function insertDids(ctx: Ctx, rows: readonly NewDid[]): Promise<{ id: number; did: string }[]> {
  const resellerId = ctx.actor.usertype === 'reseller' ? ctx.actor.id : 0;
  const out: { id: number; did: string }[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000).map((r) => ({ ...r, resellerId, status: 'free' as const }));
    out.push(
      ...(await ctx.db
        .insert(dids)
        .values(chunk)
        .onConflictDoNothing({ target: dids.did })
        .returning({ id: dids.id, did: dids.did })),
    );
  }
  return out;
}

/** Numbers of `numbers` that already exist. */
export async function existingDids(ctx: Ctx, numbers: readonly string[]): Promise<Set<string>> {
  const found: string[] = [];
  for (let i = 0; i < numbers.length; i += 1000) {
    const rows = await ctx.db
      .select({ did: dids.did })
      .from(dids)
      .where(inArray(dids.did, numbers.slice(i, i + 1000)));
    found.push(...rows.map((r) => r.did));
  }
  return new Set(found);
}
