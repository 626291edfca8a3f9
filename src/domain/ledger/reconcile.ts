import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { moneyScope, readableMovements } from './scope.ts';

export interface Difference {
  account: 'user' | 'card';
  id: number;
  realmId: number;
  /** The stored balance, the sum of the account's movements, and balance − sum (system currency). */
  balance: string;
  ledger: string;
  difference: string;
  /** The `balanceAfter` of the account's last movement (null when it has none). */
  lastBalanceAfter: string | null;
}

export interface Reconciliation {
  /** Accounts and movements checked. */
  users: number;
  cards: number;
  movements: number;
  /** Every account whose balance ≠ sum of movements, or ≠ its last movement's balanceAfter. */
  differences: Difference[];
}

/**
 * Proves the books: for every user and card the actor may read, the stored balance equals the sum of
 * its ledger movements (an opening plus every change) and its last movement's `balanceAfter`. Names
 * every account where either fails. Read-only, one statement.
 */
export async function reconcile(ctx: Ctx): Promise<Reconciliation> {
  if (ctx.actor.usertype === 'user') throw forbidden('ledger');
  const accounts = moneyScope(ctx.actor, {
    realm: sql`a.realm_id`,
    userId: sql`(case when a.account = 'user' then a.id end)`,
  });
  const [row] = await queryRows<Reconciliation>(
    ctx.db,
    sql`with a as (
        select 'user' as account, id, owner_id as realm_id, balance from users
        union all
        select 'card', id, owner_id, balance from cards),
      s as (
        select case when l.user_id is null then 'card' else 'user' end as account,
          coalesce(l.user_id, l.card_id) as id, sum(l.amount) as total, count(*) as moves,
          (array_agg(l.balance_after order by l.id desc))[1] as last_after
        from ledger l where ${readableMovements(ctx.actor)}
        group by 1, 2),
      j as (
        select a.account, a.id, a.realm_id, a.balance, coalesce(s.total, 0) as total,
          coalesce(s.moves, 0) as moves, s.last_after
        from a left join s on s.account = a.account and s.id = a.id
        where ${accounts})
      select
        (select count(*)::int from j where account = 'user') as users,
        (select count(*)::int from j where account = 'card') as cards,
        (select coalesce(sum(moves), 0)::int from j) as movements,
        (select coalesce(json_agg(json_build_object(
            'account', account, 'id', id, 'realmId', realm_id, 'balance', balance::text, 'ledger', total::text,
            'difference', (balance - total)::text, 'lastBalanceAfter', last_after::text) order by account, id), '[]')
          from j where balance <> total or (moves > 0 and last_after <> balance)) as differences`,
  );
  return row!;
}
