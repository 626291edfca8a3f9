import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { UserId } from '../ids.ts';

/** A nonce of a signed request: 16–64 characters that need no percent-encoding (RFC 3986 unreserved). */
export const NONCE_PATTERN = /^[A-Za-z0-9._~-]{16,64}$/;

export const ClaimNonce = v.object({
  /** Whose key signed the request: 0 = the admin, else the reseller. */
  ownerId: UserId,
  nonce: v.pipe(v.string(), v.regex(NONCE_PATTERN)),
  /** Until when the nonce stays claimed: past it, the request it came with is stale anyway. */
  expiresAt: v.date(),
});
export type ClaimNonce = v.InferOutput<typeof ClaimNonce>;

/** Expired rows one claim deletes on its way, oldest first, so the table never needs a job. */
const CLEANUP_BATCH = 100;

/**
 * Claims `nonce` for the key owner: true the first time, false while an earlier claim of the same
 * nonce has not expired. One statement, atomic across instances: the primary key (owner, nonce) decides
 * between concurrent claims, and an expired row of the same nonce is taken over (the nonce may be used
 * again once the window it guarded has passed). On its way the statement deletes up to CLEANUP_BATCH
 * other expired rows; `skip locked` keeps concurrent claims from waiting on each other's cleanup.
 */
export async function claimNonce(ctx: Pick<Ctx, 'db' | 'clock'>, input: ClaimNonce): Promise<boolean> {
  const { ownerId, nonce, expiresAt } = v.parse(ClaimNonce, input);
  const now = ctx.clock().toISOString();
  const rows = await queryRows<{ claimed: number }>(
    ctx.db,
    sql`with expired as (
        delete from api_nonces where (owner_id, nonce) in (
          select owner_id, nonce from api_nonces
          where expires_at < ${now}::timestamptz and not (owner_id = ${ownerId} and nonce = ${nonce})
          order by expires_at
          limit ${CLEANUP_BATCH}
          for update skip locked))
      insert into api_nonces (owner_id, nonce, expires_at)
      values (${ownerId}, ${nonce}, ${expiresAt.toISOString()}::timestamptz)
      on conflict (owner_id, nonce) do update set expires_at = excluded.expires_at
        where api_nonces.expires_at < ${now}::timestamptz
      returning 1 as claimed`,
  );
  return rows.length === 1;
}
