import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { digitsOf } from '../rating/values.ts';
import { applyProviderRules, type ProviderRuleLike } from './transform.ts';

/** A stored call through a provider: the destination as rated and the CallerID. */
export interface ProviderLeg {
  providerId: number | null;
  digits: string;
  src: string;
}

/**
 * The tariff each call's provider price comes from when a provider rule switches it ("Change Provider
 * Tariff to this Tariff", _lcr-model §3): the provider's rules applied as routeCall applies them (the
 * first enabled matching `dst` rule on the destination, else the first `src` rule on the CallerID, that
 * names a tariff). Answers one entry per leg: the rule's tariff, or null (the provider's own tariff).
 * One statement, and only when some provider of the batch has a rule with a tariff.
 */
export async function providerRuleTariffs(db: Db, legs: readonly ProviderLeg[]): Promise<(number | null)[]> {
  const ids = [...new Set(legs.map((l) => l.providerId).filter((id): id is number => id !== null))];
  if (ids.length === 0) return legs.map(() => null);
  const rows = await queryRows<ProviderRuleLike & { providerId: number }>(
    db,
    sql`select pr.id, pr.provider_id as "providerId", pr.enabled, pr.pr_type as "prType", pr.cut, pr.add,
        pr.minlen, pr.maxlen, pr.suffix, pr.tariff_id as "tariffId"
      from provider_rules pr
      where pr.enabled = 1 and pr.provider_id = any(${`{${ids.join(',')}}`}::int[])
        and pr.provider_id in (select provider_id from provider_rules where tariff_id is not null and enabled = 1)`,
  );
  if (rows.length === 0) return legs.map(() => null);
  const byProvider = new Map<number, ProviderRuleLike[]>();
  for (const r of rows) byProvider.set(r.providerId, [...(byProvider.get(r.providerId) ?? []), r]);
  return legs.map((leg) => {
    const rules = leg.providerId === null ? undefined : byProvider.get(leg.providerId);
    if (!rules) return null;
    const sent = applyProviderRules(rules, leg.digits, digitsOf(leg.src));
    return sent.dstRule?.tariffId ?? sent.srcRule?.tariffId ?? null;
  });
}
