import { and, eq, inArray, sql } from 'drizzle-orm';
import { conflines } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';

/** Reads conflines of one owner as a name → value map (only `names` when given). */
export async function readConflines(ctx: Pick<Ctx, 'db'>, ownerId: number, names?: readonly string[]) {
  const rows = await ctx.db
    .select({ name: conflines.name, value: conflines.value })
    .from(conflines)
    .where(
      names ? and(eq(conflines.ownerId, ownerId), inArray(conflines.name, [...names])) : eq(conflines.ownerId, ownerId),
    );
  return Object.fromEntries(rows.map((r) => [r.name, r.value])) as Record<string, string>;
}

/**
 * Upserts conflines of one owner and writes an action-log row for every value that really changed.
 * Call inside a transaction. Returns the names that changed.
 */
export async function writeConflines(
  ctx: Ctx,
  ownerId: number,
  values: readonly (readonly [name: string, value: string])[],
  secretNames: readonly string[] = ['api_secret_key'],
): Promise<string[]> {
  if (values.length === 0) return [];
  const before = await readConflines(
    ctx,
    ownerId,
    values.map(([name]) => name),
  );
  const changed = values.filter(([name, value]) => before[name] !== value);
  if (changed.length === 0) return [];
  await ctx.db
    .insert(conflines)
    .values(changed.map(([name, value]) => ({ name, value, ownerId })))
    .onConflictDoUpdate({
      target: [conflines.ownerId, conflines.name],
      set: { value: sql`excluded.value`, updatedAt: sql`now()` },
    });
  for (const [name, value] of changed) {
    const hide = secretNames.includes(name);
    await logAction(ctx, {
      action: 'setting_changed',
      targetType: 'confline',
      targetId: ownerId,
      data: hide ? `${name}=********` : `${name}=${before[name] ?? ''}`,
      data2: hide ? `${name}=********` : `${name}=${value}`,
    });
  }
  ctx.invalidateAuth();
  return changed.map(([name]) => name);
}
