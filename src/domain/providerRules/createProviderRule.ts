import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { providerRules } from '../../db/schema/lcrs.ts';
import { tariffs } from '../../db/schema/rating.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { RowId } from '../ids.ts';
import { providerInReach } from '../providers/providerAccess.ts';
import { requireProviderRuleRole } from './providerRuleAccess.ts';

const Text = v.optional(v.pipe(v.string(), v.maxLength(255)));
/** Rule fields as sent (text, like the XML parameters). */
export const CreateProviderRule = v.object({
  providerId: v.optional(RowId),
  name: Text,
  cut: Text,
  add: Text,
  minlen: Text,
  maxlen: Text,
  prType: Text,
  tariffId: Text,
  setPai: Text,
  suffix: Text,
  changeCalleridName: Text,
});
export type CreateProviderRule = v.InferOutput<typeof CreateProviderRule>;

const INT = /^\d{1,9}$/;
const BIT = /^[01]$/;
const ADD_FAILED = 'Add failed';

/**
 * provider_rule_create: a rule of a provider within reach. First failure wins: provider →
 * `Provider was not found`; blank name → `name cannot be blank`; cut and add both blank → `both add
 * and cut cannot be blank`; any other bad value (lengths 1 ≤ minlen ≤ maxlen, pr_type src/dst, 0/1
 * flags, a suffix on a src rule, tariff not a provider tariff of the provider's owner) → `Add failed`.
 * The rule is enabled; logs `provider_rule_created`.
 */
export async function createProviderRule(ctx: Ctx, input: CreateProviderRule): Promise<{ ruleId: number }> {
  requireProviderRuleRole(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const provider = await providerInReach(tx, input.providerId);
    const name = (input.name ?? '').trim();
    if (name === '') throw invalid('name', 'name cannot be blank');
    const cut = input.cut ?? '';
    const add = input.add ?? '';
    if (cut === '' && add === '') throw invalid('cut_add', 'both add and cut cannot be blank');
    const fail = () => invalid('rule', ADD_FAILED);
    const int = (value: string | undefined, fallback: number) => {
      if (value === undefined || value === '') return fallback;
      if (!INT.test(value)) throw fail();
      return Number(value);
    };
    const bit = (value: string | undefined) => {
      if (value === undefined || value === '') return 0;
      if (!BIT.test(value)) throw fail();
      return Number(value);
    };
    const minlen = int(input.minlen, 1);
    const maxlen = int(input.maxlen, 100);
    if (minlen < 1 || maxlen < minlen) throw fail();
    const prType = input.prType === undefined || input.prType === '' ? 'dst' : input.prType;
    if (prType !== 'dst' && prType !== 'src') throw fail();
    const suffix = input.suffix ?? '';
    if (suffix !== '' && prType !== 'dst') throw fail();
    let tariffId: number | null = null;
    if (input.tariffId !== undefined && input.tariffId !== '') {
      const id = INT.test(input.tariffId) ? Number(input.tariffId) : 0;
      const [tariff] = id
        ? await tx.db
            .select({ id: tariffs.id })
            .from(tariffs)
            .where(and(eq(tariffs.id, id), eq(tariffs.purpose, 'provider'), eq(tariffs.ownerId, provider.ownerId)))
            // Held until the rule is written: a concurrent tariff delete waits, then sees the rule.
            .for('key share')
        : [];
      if (!tariff) throw fail();
      tariffId = tariff.id;
    }
    const [row] = await tx.db
      .insert(providerRules)
      .values({
        providerId: provider.id,
        name,
        cut,
        add,
        minlen,
        maxlen,
        prType,
        tariffId,
        suffix,
        setPai: bit(input.setPai),
        changeCalleridName: bit(input.changeCalleridName),
      })
      .returning({ id: providerRules.id });
    await logAction(tx, {
      action: 'provider_rule_created',
      targetType: 'provider_rule',
      targetId: row!.id,
      data: name,
    });
    return { ruleId: row!.id };
  });
}
