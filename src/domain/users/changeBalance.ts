import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { UserId } from '../ids.ts';
import { moveUserBalance } from '../ledger/moveBalance.ts';
import { isNumericOverflow } from './dbErrors.ts';
import { Decimal } from './fields.ts';

export const ChangeBalance = v.object({
  userId: UserId,
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
 * row update, its ledger movement and its action-log row (old → new balance) commit together, the
 * arithmetic is numeric in SQL, and concurrent changes serialise on the row lock, so none is lost. An accountant needs "Manage
 * users" and "See financial data" at write level. A user outside the caller's reach is NOT_FOUND.
 */
export async function changeBalance(ctx: Ctx, input: ChangeBalance): Promise<BalanceChanged> {
  const parsed = v.safeParse(ChangeBalance, input);
  if (!parsed.success) throw invalid('amount', NOT_UPDATED);
  const { actor } = ctx;
  const where = scope(actor);
  if (!where) throw forbidden('balance');
  if (!hasRight(actor, 'users_manage', 2) || !hasRight(actor, 'see_financial_data', 2)) throw forbidden('balance');
  try {
    const moved = await moveUserBalance(
      ctx,
      parsed.output.userId,
      { amount: parsed.output.amount, source: 'balance_update', action: 'user_balance_changed' },
      where,
    );
    if (!moved) throw notFound('user');
    return { id: moved.id, username: moved.label, balance: moved.after4 };
  } catch (error) {
    if (isNumericOverflow(error)) throw invalid('amount', NOT_UPDATED);
    throw error;
  }
}
