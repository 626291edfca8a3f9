import { asc, inArray } from 'drizzle-orm';
import * as v from 'valibot';
import { locationRules } from '../../db/schema/devices.ts';
import type { Ctx } from '../ctx.ts';
import { RowId } from '../ids.ts';
import {
  type LocationRow,
  type LocationRuleRow,
  readableLocation,
  readableLocations,
  requireLocationRole,
  ruleInReach,
} from './locationAccess.ts';

export const ListLocationRules = v.object({
  /** A location id, or `all` (every location in reach). */
  locationId: v.union([RowId, v.literal('all')]),
  from: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  maxResults: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});
export type ListLocationRules = v.InferOutput<typeof ListLocationRules>;

export interface LocationWithRules extends LocationRow {
  rules: LocationRuleRow[];
}

/**
 * location_rules_get: the rules of one location in reach (admin and accountants: any; a reseller: its
 * own), or of every location in reach (`all`), ordered by location then rule id; `from` / `maxResults`
 * page the flat rule list. One location is always answered (with no rules if it has none); with `all`,
 * the locations that have rules in the page. Unknown or outside reach → `Location was not found`.
 */
export async function listLocationRules(
  ctx: Ctx,
  input: { locationId: number | 'all' | undefined; from?: number; maxResults?: number },
): Promise<LocationWithRules[]> {
  requireLocationRole(ctx.actor, 'Access denied');
  const all = input.locationId === 'all';
  const places = all
    ? await readableLocations(ctx)
    : [await readableLocation(ctx, input.locationId as number | undefined, 'Location was not found')];
  const rows = await ctx.db
    .select()
    .from(locationRules)
    .where(
      inArray(
        locationRules.locationId,
        places.map((p) => p.id),
      ),
    )
    .orderBy(asc(locationRules.locationId), asc(locationRules.id))
    .offset(input.from ?? 0)
    .limit(input.maxResults ?? 2_147_483_647);
  const out = places.map((p) => ({ ...p, rules: rows.filter((r) => r.locationId === p.id) }));
  return all ? out.filter((p) => p.rules.length > 0) : out;
}

/** location_rule_get: one rule whose location is in reach; else `Location rule was not found`. */
export async function getLocationRule(ctx: Ctx, input: { id?: number }): Promise<LocationRuleRow> {
  requireLocationRole(ctx.actor, 'Access denied');
  return (await ruleInReach(ctx, input.id, 'Location rule was not found')).rule;
}
