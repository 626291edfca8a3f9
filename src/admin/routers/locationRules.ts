import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { CopyLocationRule, copyLocationRule } from '../../domain/locationRules/copyLocationRule.ts';
import { CreateLocationRule, createLocationRule } from '../../domain/locationRules/createLocationRule.ts';
import { DeleteLocationRule, deleteLocationRule } from '../../domain/locationRules/deleteLocationRule.ts';
import { getLocationRule, ListLocationRules, listLocationRules } from '../../domain/locationRules/listLocationRules.ts';
import { UpdateLocationRule, updateLocationRule } from '../../domain/locationRules/updateLocationRule.ts';
import { authed, router } from '../trpc.ts';

/**
 * Localization rules of locations, scoped like the XML methods: the admin and accountants read every
 * location and write the admin's, a reseller its own. Field values are text as on the XML side.
 */
export const locationRulesRouter = router({
  /** One location (or `all`) with its rules, paged like location_rules_get. */
  list: authed
    .input(v.strictObject(ListLocationRules.entries))
    .query(({ ctx, input }) => listLocationRules(ctx.ctx, input)),
  get: authed.input(v.strictObject({ id: RowId })).query(({ ctx, input }) => getLocationRule(ctx.ctx, input)),
  create: authed
    .input(v.strictObject({ ...CreateLocationRule.entries, locationId: RowId }))
    .mutation(async ({ ctx, input }) => {
      const { ruleId } = await createLocationRule(ctx.ctx, input);
      return getLocationRule(ctx.ctx, { id: ruleId });
    }),
  update: authed.input(v.strictObject(UpdateLocationRule.entries)).mutation(async ({ ctx, input }) => {
    await updateLocationRule(ctx.ctx, input);
    return getLocationRule(ctx.ctx, { id: input.id });
  }),
  delete: authed.input(v.strictObject(DeleteLocationRule.entries)).mutation(async ({ ctx, input }) => {
    await deleteLocationRule(ctx.ctx, input);
    return { id: input.id };
  }),
  /** Copies rule `id` into location `locationId`; answers the copy. */
  copy: authed.input(v.strictObject(CopyLocationRule.entries)).mutation(async ({ ctx, input }) => {
    const { ruleId } = await copyLocationRule(ctx.ctx, input);
    return getLocationRule(ctx.ctx, { id: ruleId });
  }),
});
