import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { isNumericOverflow } from './dbErrors.ts';
import { Decimal } from './fields.ts';

export const ChangeBalance = v.object({
  userId: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Amount added in the system currency; negative subtracts. Exact decimal text. */
  amount: Decimal,
});
export type ChangeBalance = v.InferOutput<typeof ChangeBalance>;

export interface BalanceChanged {
  id: number;
  username: string;
  /** Balance after the change, 4 decimals. */
  balance: string;
}

/** user_balance_update's failure for an amount that is not a number or does not fit. */
export const NOT_UPDATED = 'User balance not updated';

/** Whose balance the caller may change: never its own ("admin/reseller, not the user himself"). */
function scope(actor: Account) {
  switch (actor.usertype) {
    case 'admin':
      return sql`id <> ${actor.id}`;
    case 'accountant':
      return sql`owner_id = 0 and id <> 0 and id <> ${actor.id}`;
    case 'reseller':
      return sql`owner_id = ${actor.id}`;
    default:
      return null;
  }
}

/**
 * Adds `amount` to a user's balance (user_balance_update, users.changeBalance) in ONE statement: the
 * row update and its action-log row (old → new balance) commit together, the arithmetic is numeric in
 * SQL, and concurrent changes serialise on the row lock, so none is lost. An accountant needs "Manage
 * users" and "See financial data" at write level. A user outside the caller's reach is NOT_FOUND.
 */
export async function changeBalance(ctx: Ctx, input: ChangeBalance): Promise<BalanceChanged> {
  const parsed = v.safeParse(ChangeBalance, input);
  if (!parsed.success) throw invalid('amount', NOT_UPDATED);
  const { actor } = ctx;
  const where = scope(actor);
  if (!where) throw forbidden('balance');
  if (!hasRight(actor, 'users_manage', 2) || !hasRight(actor, 'see_financial_data', 2)) throw forbidden('balance');
  const amount = parsed.output.amount;
  try {
    const [row] = await queryRows<BalanceChanged>(
      ctx.db,
      sql`with changed as (
        update users set balance = balance + ${amount}::numeric, updated_at = now()
        where id = ${parsed.output.userId} and ${where}
        returning id, username, balance, balance - ${amount}::numeric as old),
      logged as (
        insert into actions (user_id, action, target_type, target_id, data, data2, ip)
        select ${actor.id}, 'user_balance_changed', 'user', id, old::text, balance::text, ${ctx.ip} from changed)
      select id, username, round(balance, 4)::text as balance from changed`,
    );
    if (!row) throw notFound('user');
    return row;
  } catch (error) {
    if (isNumericOverflow(error)) throw invalid('amount', NOT_UPDATED);
    throw error;
  }
}
