import { and, eq, ne, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { lcrs } from '../../db/schema/lcrs.ts';
import type { Ctx } from '../ctx.ts';
import { Problems } from '../devices/problems.ts';

export const LCR_ORDERS = ['price', 'priority', 'percent', 'quality'] as const;
export type LcrOrder = (typeof LCR_ORDERS)[number];

/** LCR fields as sent (text, like the XML parameters); absent = unchanged (update) or default (create). */
export const LcrFields = v.object({
  name: v.optional(v.pipe(v.string(), v.maxLength(255))),
  order: v.optional(v.pipe(v.string(), v.maxLength(20))),
  allowLossCalls: v.optional(v.pipe(v.string(), v.maxLength(20))),
  noFailover: v.optional(v.pipe(v.string(), v.maxLength(20))),
  minimalRateMarginPercent: v.optional(v.pipe(v.string(), v.maxLength(30))),
  firstProviderPercentLimit: v.optional(v.pipe(v.string(), v.maxLength(30))),
  qualityRoutingId: v.optional(v.pipe(v.string(), v.maxLength(20))),
});
export type LcrFields = v.InferOutput<typeof LcrFields>;

export type LcrPatch = Partial<typeof lcrs.$inferInsert>;

const BIT = /^[01]$/;
const DECIMAL = /^-?\d{1,7}(\.\d{1,4})?$/;

/**
 * Checks the sent fields and returns the columns to write; every failed rule becomes one `<message>`
 * under `headline` (`LCR was not created` / `LCR was not updated`), nothing is saved. Names are unique
 * per owner; `quality_routing_id` accepts only -1 (openmor has no quality-routing tables).
 */
export async function checkLcrFields(
  ctx: Ctx,
  f: LcrFields,
  ownerId: number,
  headline: string,
  exceptId = 0,
): Promise<LcrPatch> {
  const out: LcrPatch = {};
  const problems: string[] = [];
  if (f.name !== undefined) {
    const name = f.name.trim();
    if (name === '') problems.push('Name cannot be blank');
    else {
      // LCR names have no unique index: writers of one owner's names wait for each other until commit,
      // so this check holds until the write.
      await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext('openmor.lcrs.name'), ${ownerId}::int)`);
      const same = await ctx.db
        .select({ id: lcrs.id })
        .from(lcrs)
        .where(and(eq(lcrs.ownerId, ownerId), eq(lcrs.name, name), ne(lcrs.id, exceptId)));
      if (same.length > 0) problems.push('Name must be unique');
      else out.name = name;
    }
  }
  if (f.order !== undefined) {
    if ((LCR_ORDERS as readonly string[]).includes(f.order)) out.order = f.order;
    else problems.push('Order is invalid');
  }
  const bit = (value: string | undefined, label: string, set: (n: number) => void) => {
    if (value === undefined) return;
    if (BIT.test(value)) set(Number(value));
    else problems.push(`${label} must be 0 or 1`);
  };
  const decimal = (value: string | undefined, label: string, set: (s: string) => void) => {
    if (value === undefined) return;
    if (DECIMAL.test(value)) set(value);
    else problems.push(`${label} must be a number`);
  };
  bit(f.allowLossCalls, 'Allow loss calls', (n) => {
    out.allowLossCalls = n;
  });
  bit(f.noFailover, 'No failover', (n) => {
    out.noFailover = n;
  });
  decimal(f.minimalRateMarginPercent, 'Minimal rate margin percent', (s) => {
    out.minimalRateMarginPercent = s;
  });
  decimal(f.firstProviderPercentLimit, 'First provider percent limit', (s) => {
    out.firstProviderPercentLimit = s;
  });
  if (f.qualityRoutingId !== undefined) {
    if (f.qualityRoutingId === '-1') out.qualityRoutingId = -1;
    else problems.push('Quality routing was not found');
  }
  if (problems.length > 0) throw new Problems(headline, problems);
  return out;
}
