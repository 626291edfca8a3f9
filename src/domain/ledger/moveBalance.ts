import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { LedgerSource } from '../../db/schema/ledger.ts';
import type { Ctx } from '../ctx.ts';

/** One movement of an account's balance, in the system currency (negative takes money away). */
export interface Movement {
  /** Exact decimal text. */
  amount: string;
  source: LedgerSource;
  /** The document that moved the money (payment, credit note, card, subscription charge, call …). */
  sourceId?: number | null;
  memo?: string;
  /**
   * An action-log row for the actor, with the old and the new balance (`data`, `data2`), written by the
   * same statement.
   */
  action?: string;
}

export interface Moved {
  id: number;
  /** The account's realm (0 = the admin's, else the owning reseller). */
  realmId: number;
  before: string;
  after: string;
  /** `after` with 4 decimals, as MOR prints money. */
  after4: string;
  /** The account's name: a user's username, a card's number. */
  label: string;
  ledgerId: number;
}

const ACCOUNTS = {
  user: {
    table: sql.raw('users'),
    column: sql.raw('user_id'),
    target: 'user',
    touch: sql.raw(', updated_at = now()'),
    label: sql.raw('username'),
  },
  card: {
    table: sql.raw('cards'),
    column: sql.raw('card_id'),
    target: 'card',
    touch: sql.raw(''),
    label: sql.raw('number'),
  },
} as const;

/**
 * Moves a balance and appends its ledger row in ONE statement (design rule: the ledger is the only way
 * a balance moves). The row lock taken by the update serialises concurrent movements of one account,
 * so `before`/`after` are exact and no change is lost. `where` narrows the account (the caller's
 * realm); null when no such account is in reach. Call inside the operation's transaction when the
 * movement belongs with other writes.
 */
async function moveBalance(
  ctx: Pick<Ctx, 'db' | 'actor' | 'ip'> | (Pick<Ctx, 'db' | 'ip'> & { actor?: undefined }),
  kind: keyof typeof ACCOUNTS,
  id: number,
  move: Movement,
  where?: SQL,
): Promise<Moved | null> {
  const a = ACCOUNTS[kind];
  const amount = sql`${move.amount}::numeric`;
  const actorId = ctx.actor?.id ?? null;
  const logged = move.action
    ? sql`, logged as (
        insert into actions (user_id, action, target_type, target_id, data, data2, ip)
        select ${actorId ?? 0}::int, ${move.action}::text, ${a.target}::text, id, before::text, balance::text, ${ctx.ip}::text
        from changed)`
    : sql``;
  const [row] = await queryRows<Moved>(
    ctx.db,
    sql`with changed as (
        update ${a.table} set balance = balance + ${amount}${a.touch}
        where id = ${id}::int ${where ? sql`and ${where}` : sql``}
        returning id, owner_id, ${a.label} as label, balance, balance - ${amount} as before),
      moved as (
        insert into ledger (${a.column}, realm_id, amount, balance_after, source, source_id, actor_id, memo)
        select id, owner_id, ${amount}, balance, ${move.source}::text, ${move.sourceId ?? null}::bigint,
          ${actorId}::int, ${move.memo ?? ''}::text
        from changed returning id)${logged}
      select c.id, c.owner_id as "realmId", c.before::text as before, c.balance::text as after,
        round(c.balance, 4)::text as after4, c.label, m.id::int as "ledgerId"
      from changed c, moved m`,
  );
  return row ?? null;
}

/** Moves a user's balance (see moveBalance). */
export const moveUserBalance = (
  ctx: Parameters<typeof moveBalance>[0],
  userId: number,
  move: Movement,
  where?: SQL,
): Promise<Moved | null> => moveBalance(ctx, 'user', userId, move, where);

/** Moves a calling card's balance (see moveBalance). */
export const moveCardBalance = (
  ctx: Parameters<typeof moveBalance>[0],
  cardId: number,
  move: Movement,
  where?: SQL,
): Promise<Moved | null> => moveBalance(ctx, 'card', cardId, move, where);

/** One of many movements of users' balances (see moveUserBalances). */
export interface BulkMovement {
  userId: number;
  /** Exact decimal text; negative takes money away. */
  amount: string;
  sourceId: number | null;
  memo?: string;
}

/**
 * The set-based form of moveUserBalance, for documents that come in batches (calls): every movement
 * gets its own ledger row, each account's balance is updated ONCE by the sum of its movements, in one
 * statement. The accounts are locked in id order first (two concurrent batches never deadlock), and
 * each row's `balance_after` is the running balance in the order given, so the books stay exact:
 * balance = sum of movements = the last movement's balanceAfter. Answers how many rows were written.
 * Call inside the documents' transaction.
 */
export async function moveUserBalances(
  ctx: Pick<Ctx, 'db'>,
  source: LedgerSource,
  movements: readonly BulkMovement[],
): Promise<number> {
  if (movements.length === 0) return 0;
  const [row] = await queryRows<{ moved: number }>(ctx.db, moveUserBalancesQuery(source, movements));
  return row?.moved ?? 0;
}

/** moveUserBalances' statement (bench/calls-ingest-profile.ts explains it). */
export function moveUserBalancesQuery(source: LedgerSource, movements: readonly BulkMovement[]): SQL {
  const json = JSON.stringify(
    movements.map((m, n) => ({ n, user_id: m.userId, amount: m.amount, source_id: m.sourceId, memo: m.memo ?? '' })),
  );
  return sql`with m as (select * from json_to_recordset(${json}::json) as m(n int, user_id int, amount numeric, source_id bigint, memo text)),
      ${balanceMovesFromM(source)}
      select count(*)::int as moved from moved`;
}

/**
 * The CTEs of a bulk movement, for a statement that already has a CTE `m (n, user_id, amount,
 * source_id, memo)`: each user's balance updated once by its total, after locking the users in id
 * order, and one ledger row per movement with the running balance in `n` order. Leaves a CTE `moved`
 * (one row per ledger row). moveUserBalances' statement uses it, and so does the calls statement,
 * which charges the calls it stores without sending them back and forth (storeCalls.ts).
 */
export function balanceMovesFromM(source: LedgerSource): SQL {
  return sql`t as (select user_id, sum(amount) as total from m group by user_id),
      locked as materialized (select u.id from users u where u.id in (select user_id from t) order by u.id for update),
      changed as (
        update users u set balance = u.balance + t.total, updated_at = now()
        from t where u.id = t.user_id and u.id in (select id from locked)
        returning u.id, u.owner_id, u.balance - t.total as before),
      moved as (
        insert into ledger (user_id, realm_id, amount, balance_after, source, source_id, actor_id, memo)
        select m.user_id, c.owner_id, m.amount, c.before + sum(m.amount) over (partition by m.user_id order by m.n),
          ${source}::text, m.source_id, null, m.memo
        from m join changed c on c.id = m.user_id
        order by m.user_id, m.n
        returning 1)`;
}
