import { and, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { cardgroups } from '../../db/schema/cards.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { ownerScope, requireCards } from './access.ts';
import { checkGroup } from './checkGroup.ts';
import { CardGroupFields } from './groupFields.ts';
import { copyTax } from './refs.ts';
import { type CardGroupView, viewGroups } from './viewGroups.ts';

export const UpdateCardGroup = v.object({
  cardGroupId: RowId,
  ...CardGroupFields,
  /** The calling-card dial plan (access number) of the group's owner; null = none. */
  dialplanId: v.optional(v.nullable(RowId)),
  /** Soft delete: hidden groups leave every list; updating `hidden: false` restores one. */
  hidden: v.optional(v.boolean()),
});
export type UpdateCardGroup = v.InferOutput<typeof UpdateCardGroup>;

const isId = (n: number) => Number.isSafeInteger(n) && n >= 0 && n <= 2_147_483_647;

/** A group of the actor's reach, hidden ones included (so they can be restored); NOT_FOUND otherwise. */
export async function findGroupForUpdate(ctx: Ctx, cardGroupId: number) {
  if (!isId(cardGroupId)) throw notFound('card_group', 'Card Group not found');
  const [group] = await ctx.db
    .select({
      id: cardgroups.id,
      ownerId: cardgroups.ownerId,
      validFrom: cardgroups.validFrom,
      validTill: cardgroups.validTill,
    })
    .from(cardgroups)
    .where(and(eq(cardgroups.id, cardGroupId), ownerScope(ctx.actor, sql`${cardgroups.ownerId}`)));
  if (!group) throw notFound('card_group', 'Card Group not found');
  return group;
}

/**
 * Changes the sent fields of a card group (cc_group_update, cardGroups.update); its cards follow at
 * once, since they take tariff, LCR, location and prices from the group. Number and PIN lengths are
 * fixed. With `taxId` the group gets its own copy of that tax record.
 */
export async function updateCardGroup(ctx: Ctx, input: UpdateCardGroup): Promise<CardGroupView> {
  requireCards(ctx.actor, 2, { financial: true });
  const group = await findGroupForUpdate(ctx, input.cardGroupId);
  const { cardGroupId, taxId, validFrom, validTill, name, ...rest } = input;
  await withTransaction(ctx, async (tx) => {
    // In the transaction: the tariff, LCR and location checks hold those rows until the group is written.
    await checkGroup('update', { ctx: tx, input, ownerId: group.ownerId, now: ctx.clock(), current: group });
    const patch: Partial<typeof cardgroups.$inferInsert> = Object.fromEntries(
      Object.entries(rest).filter(([, value]) => value !== undefined),
    );
    if (name !== undefined) patch.name = name.trim();
    if (validFrom !== undefined) patch.validFrom = new Date(validFrom);
    if (validTill !== undefined) patch.validTill = validTill === null ? null : new Date(validTill);
    if (taxId !== undefined) patch.taxId = taxId === null ? null : await copyTax(tx, taxId);
    const changed = Object.keys(patch);
    if (changed.length > 0) await tx.db.update(cardgroups).set(patch).where(eq(cardgroups.id, cardGroupId));
    await logAction(tx, {
      action: 'cardgroup_updated',
      targetType: 'cardgroup',
      targetId: cardGroupId,
      data: changed.join(','),
    });
  });
  const [view] = await viewGroups(ctx, { cardGroupId, includeHidden: true });
  return view!;
}
