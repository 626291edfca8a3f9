import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { notFound } from '../errors.ts';
import { balanceColumns } from './currencySql.ts';
import type { Balance } from './getBalance.ts';

/**
 * Balance of the user a public credential names: its uniquehash (user_simple_balance_get), or one of
 * its devices by SIP/IAX password or username (user_balance_get_by_psw / _by_username). A password
 * shared by several devices names nobody: answering would leak someone else's balance.
 */
export async function getBalanceByCredential(
  db: Db,
  by: 'uniquehash' | 'deviceSecret' | 'deviceUsername',
  value: string,
  currency = '',
): Promise<Balance> {
  const money = balanceColumns(currency);
  const where =
    by === 'uniquehash'
      ? sql`u.uniquehash = ${value}::text`
      : by === 'deviceUsername'
        ? sql`u.id = (select user_id from devices where username = ${value}::text)`
        : sql`u.id = (select min(user_id) from devices where secret = ${value}::text and secret <> ''
            having count(*) = 1)`;
  const [row] = await queryRows<Balance>(db, sql`select ${money.select} from users u ${money.join} where ${where}`);
  if (!row) throw notFound(by === 'uniquehash' ? 'uniquehash' : 'user');
  return row;
}
