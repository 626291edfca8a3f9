import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireCards } from './access.ts';
import { type CardGroupView, viewGroups } from './viewGroups.ts';

export const ListCardGroups = v.object({
  /** Only this group. */
  cardGroupId: v.optional(RowId),
});
export type ListCardGroups = v.InferOutput<typeof ListCardGroups>;

/** Visible card groups of the actor's reach, by id (cc_groups_get, cardGroups.list). */
export async function listCardGroups(ctx: Ctx, input: ListCardGroups = {}): Promise<CardGroupView[]> {
  requireCards(ctx.actor, 1);
  return viewGroups(ctx, { cardGroupId: input.cardGroupId });
}

export const GetCardGroup = v.object({ cardGroupId: RowId });
export type GetCardGroup = v.InferOutput<typeof GetCardGroup>;

/**
 * One visible card group of the actor's reach (cardGroups.get, card_group_get); NOT_FOUND otherwise.
 * `adminAll: false` limits the admin to its own groups, as card_group_get documents.
 */
export async function getCardGroup(ctx: Ctx, input: GetCardGroup, adminAll = true): Promise<CardGroupView> {
  requireCards(ctx.actor, 1);
  const [group] = await viewGroups(ctx, { cardGroupId: input.cardGroupId, adminAll });
  if (!group) throw notFound('card_group', 'Card group not found');
  return group;
}
