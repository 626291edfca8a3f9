import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { sha256Hex } from '../crypto.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, invalid } from '../errors.ts';

/** An idempotency key: 1–255 visible ASCII characters (a UUID, an order number …). */
export const IdempotencyKey = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(255),
  v.regex(/^[\x21-\x7e]+$/, 'Idempotency key must be 1-255 visible ASCII characters'),
);

export const INVALID_KEY = 'Invalid idempotency key';
export const KEY_REUSED = 'Idempotency key was already used for another request';

/** How long a key is remembered: at least 24 hours; rows older than this are pruned (jobs). */
export const KEY_TTL_HOURS = 48;

/** A request to run once: the caller's key and what identifies the request. */
export interface OnceClaim {
  key: string;
  /** Canonical text of the request (method and parameters); only its digest is stored. */
  request: string;
}

/**
 * Runs a money-moving operation at most once per (calling account, key). The key row is claimed in the
 * same transaction as the operation's effects and holds its answer: a retry — concurrent or a day
 * later, on any instance — waits for the first to commit and gets the stored answer without moving
 * anything; the same key with another request is refused (CONFLICT). A failed operation stores
 * nothing (its transaction rolls back), so a retry runs it again. `run` gets the transaction's Ctx
 * and must return JSON-serialisable data. Without a claim it simply runs.
 */
export async function once<T>(ctx: Ctx, claim: OnceClaim | undefined, run: (tx: Ctx) => Promise<T>): Promise<T> {
  if (!claim) return run(ctx);
  if (!v.is(IdempotencyKey, claim.key)) throw invalid('idempotency_key', INVALID_KEY);
  const fingerprint = await sha256Hex(claim.request);
  const account = ctx.actor.id;
  return withTransaction(ctx, async (tx) => {
    await queryRows(
      tx.db,
      sql`delete from idempotency_keys where account_id = ${account}::int and key = ${claim.key}::text
        and created_at < now() - make_interval(hours => ${KEY_TTL_HOURS}::int)`,
    );
    // Waits for a concurrent first request holding the same key, then sees its committed row.
    const [mine] = await queryRows<{ claimed: boolean }>(
      tx.db,
      sql`insert into idempotency_keys (account_id, key, fingerprint) values (${account}::int, ${claim.key}::text, ${fingerprint}::text)
        on conflict do nothing returning true as claimed`,
    );
    if (!mine) {
      const [prior] = await queryRows<{ fingerprint: string; response: string | null }>(
        tx.db,
        sql`select fingerprint, response from idempotency_keys where account_id = ${account}::int and key = ${claim.key}::text`,
      );
      if (!prior || prior.fingerprint !== fingerprint) throw conflict('idempotency_key', KEY_REUSED);
      return JSON.parse(prior.response ?? 'null') as T;
    }
    const result = await run(tx);
    await queryRows(
      tx.db,
      sql`update idempotency_keys set response = ${JSON.stringify(result ?? null)}::text
        where account_id = ${account}::int and key = ${claim.key}::text`,
    );
    return result;
  });
}

/** A canonical text of a request: a name and its parameters sorted by name (JSON, so unambiguous). */
export function canonicalRequest(name: string, params: Record<string, unknown>): string {
  return JSON.stringify([name, sortKeys(params)]);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
