import { count, eq } from 'drizzle-orm';
import { campaigns } from '../../db/schema/autodialer.ts';
import { devices } from '../../db/schema/devices.ts';
import { recordings } from '../../db/schema/recordings.ts';
import type { Ctx } from '../ctx.ts';

/**
 * Things that hang off a user and stop its deletion (MOR "Users with calls cannot be deleted").
 * Each family registers its table here: `count` says how many rows the user has; `remove` deletes
 * them when the caller forces the deletion. A dependent without `remove` can never be forced away
 * (calls and payments are billing history: register them without `remove` once their tables exist).
 */
export interface UserDependent {
  name: string;
  count(ctx: Pick<Ctx, 'db'>, userId: number): Promise<number>;
  remove?(ctx: Pick<Ctx, 'db'>, userId: number): Promise<void>;
}

export const USER_DEPENDENTS: UserDependent[] = [
  {
    name: 'devices',
    count: async (ctx, userId) =>
      (await ctx.db.select({ n: count() }).from(devices).where(eq(devices.userId, userId)))[0]?.n ?? 0,
    remove: async (ctx, userId) => {
      await ctx.db.delete(devices).where(eq(devices.userId, userId));
    },
  },
  {
    name: 'autodialer campaigns',
    count: async (ctx, userId) =>
      (await ctx.db.select({ n: count() }).from(campaigns).where(eq(campaigns.userId, userId)))[0]?.n ?? 0,
    // Numbers, actions and poll results go with their campaign (foreign keys on delete cascade).
    remove: async (ctx, userId) => {
      await ctx.db.delete(campaigns).where(eq(campaigns.userId, userId));
    },
  },
  {
    // Call history, with audio in the object store: never forced away.
    name: 'recordings',
    count: async (ctx, userId) =>
      (await ctx.db.select({ n: count() }).from(recordings).where(eq(recordings.userId, userId)))[0]?.n ?? 0,
  },
];
