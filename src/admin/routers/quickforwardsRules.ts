import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { deleteQuickforwardsRule } from '../../domain/quickforwards/deleteRule.ts';
import { getQuickforwardsRule, listQuickforwardsRules } from '../../domain/quickforwards/listRules.ts';
import {
  CreateQuickforwardsRule,
  createQuickforwardsRule,
  UpdateQuickforwardsRule,
  updateQuickforwardsRule,
} from '../../domain/quickforwards/saveRule.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const Id = v.strictObject({ id: RowId });

/**
 * Quickforwards rules of the caller's realm (what quickforwards_dids_get reads): which Quickforwards
 * DIDs a user holding the rule may use. Assign with `users.update { quickforwardsRuleId }`.
 */
export const quickforwardsRulesRouter = router({
  list: authed.query(({ ctx }) => listQuickforwardsRules(ctx.ctx)),
  get: authed.input(Id).query(({ ctx, input }) => getQuickforwardsRule(ctx.ctx, input.id)),
  /** `rule`: digits, `[1,2]` lists, `%` any run, `|` alternatives; empty matches no DID. */
  create: authed
    .input(strict(CreateQuickforwardsRule))
    .mutation(({ ctx, input }) => createQuickforwardsRule(ctx.ctx, input)),
  update: authed
    .input(idAs(UpdateQuickforwardsRule, 'ruleId'))
    .mutation(({ ctx, input }) => updateQuickforwardsRule(ctx.ctx, input)),
  /** Refused (CONFLICT) while a user holds the rule. */
  delete: authed.input(Id).mutation(({ ctx, input }) => deleteQuickforwardsRule(ctx.ctx, input.id)),
});
