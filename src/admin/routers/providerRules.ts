import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { CreateProviderRule, createProviderRule } from '../../domain/providerRules/createProviderRule.ts';
import { DeleteProviderRule, deleteProviderRule } from '../../domain/providerRules/deleteProviderRule.ts';
import { ListProviderRules, providerRulesOf } from '../../domain/providerRules/listProviderRules.ts';
import { providerRuleInReach, requireProviderRuleRole } from '../../domain/providerRules/providerRuleAccess.ts';
import { authed, router } from '../trpc.ts';

/**
 * Provider rules (number rewriting per provider), scoped like the XML methods: the admin and
 * accountants with Manage providers work with the admin's providers' rules, a reseller with its own.
 */
export const providerRulesRouter = router({
  /** The rules of one provider, by id (an empty list when it has none). */
  list: authed
    .input(v.strictObject(ListProviderRules.entries))
    .query(({ ctx, input }) => providerRulesOf(ctx.ctx, input)),
  get: authed.input(v.strictObject({ id: RowId })).query(({ ctx, input }) => {
    requireProviderRuleRole(ctx.ctx.actor, 1);
    return providerRuleInReach(ctx.ctx, input.id);
  }),
  create: authed
    .input(v.strictObject({ ...CreateProviderRule.entries, providerId: RowId }))
    .mutation(async ({ ctx, input }) => {
      const { ruleId } = await createProviderRule(ctx.ctx, input);
      return providerRuleInReach(ctx.ctx, ruleId);
    }),
  delete: authed.input(v.strictObject(DeleteProviderRule.entries)).mutation(async ({ ctx, input }) => {
    await deleteProviderRule(ctx.ctx, input);
    return { id: input.id };
  }),
});
