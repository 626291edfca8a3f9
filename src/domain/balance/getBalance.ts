import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import { forbidden, notFound } from '../errors.ts';
import { balanceColumns } from './currencySql.ts';

export const GetBalance = v.object({
  username: v.pipe(v.string(), v.minLength(1)),
  /** ISO code, or 'USER' for the user's own currency; unknown codes fall back to the system currency. */
  currency: v.optional(v.string()),
  /** Answer in the user's currency and name it. */
  userCurrency: v.optional(v.boolean()),
});
export type GetBalance = v.InferOutput<typeof GetBalance>;

export interface Balance {
  /** Exact decimal with 4 fraction digits, e.g. "66.0000". */
  balance: string;
  /** Code of the currency the amount is in. */
  currency: string;
}

/**
 * The one statement user_balance_get costs (bench/ renders this very query and runs it with pgbench).
 * Visibility is the ownership tree; conversion is exact numeric arithmetic in SQL. `currency` is ''
 * (system currency), 'USER' (the user's own) or a code (unknown or inactive → system currency).
 */
export function balanceQuery(username: string, actor: Pick<Account, 'id' | 'usertype'>, currency: string) {
  const role = actor.usertype;
  const money = balanceColumns(currency);
  return sql`select ${money.select}
from users u
${money.join}
where u.username = ${username}::text and (
  ${role}::text = 'admin'
  or (${role}::text = 'accountant' and u.owner_id = 0 and u.id <> 0)
  or (${role}::text in ('reseller', 'partner') and (u.id = ${actor.id}::int or u.owner_id = ${actor.id}::int))
  or u.id = ${actor.id}::int)`;
}

/** A user's balance as its owner, an admin-side accountant with financial rights, or the user sees it. */
export async function getBalance(db: Db, actor: Account, input: GetBalance): Promise<Balance> {
  if (!hasRight(actor, 'see_financial_data')) throw forbidden('see_financial_data');
  const currency = input.userCurrency ? 'USER' : (input.currency ?? '');
  const rows = await queryRows<Balance>(db, balanceQuery(input.username, actor, currency));
  const row = rows[0];
  if (!row) throw notFound('user');
  return row;
}
