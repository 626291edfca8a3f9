import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { ACCESS_DENIED, reachableRecordings, requireRecordingsAccess, storeOf } from './access.ts';

export const NOT_FOUND_ONE = 'Recording was not found';
export const NOT_FOUND_ANY = 'Recordings were not found';
export const USER_REQUIRED = 's_user_id must be present';
export const DATES_REVERSED = 'Date from is greater than date till';

export interface DeleteRecordings {
  /** Exactly this recording (the other filters are then ignored). */
  recordingId?: number;
  userId?: number;
  /** Needs `userId`. */
  deviceId?: number;
  /** ISO instants, inclusive. */
  from?: string;
  till?: string;
}

/**
 * recordings_delete: removes the matching recordings in reach — rows in one transaction, then their
 * audio objects (after the commit, so a failed transaction never loses audio; an object that cannot be
 * removed is logged and left as an orphan). A simple user's filters are narrowed to its own (it still sends one). Answers
 * how many were deleted; none is an error (`Recordings were not found`).
 */
export async function deleteRecordings(ctx: Ctx, input: DeleteRecordings): Promise<number> {
  requireRecordingsAccess(ctx.actor);
  const store = storeOf(ctx);
  const { actor } = ctx;
  const userId = actor.usertype === 'user' ? actor.id : input.userId;
  let filter: ReturnType<typeof sql>;
  if (input.recordingId !== undefined) {
    const [row] = await queryRows<{ reach: boolean }>(
      ctx.db,
      sql`select ${reachableRecordings(actor)} as reach
          from recordings r where r.id = ${Number.isSafeInteger(input.recordingId) ? input.recordingId : -1}::int`,
    );
    if (!row) throw notFound('recording', NOT_FOUND_ONE);
    if (!row.reach) throw forbidden('recording', ACCESS_DENIED);
    filter = sql`r.id = ${input.recordingId}::int`;
  } else {
    if (input.deviceId !== undefined && input.userId === undefined) throw invalid('s_user_id', USER_REQUIRED);
    if (input.from !== undefined && input.till !== undefined && input.from >= input.till) {
      throw invalid('dates', DATES_REVERSED);
    }
    const none = [input.userId, input.deviceId, input.from, input.till].every((x) => x === undefined);
    if (none) throw notFound('recordings', NOT_FOUND_ANY);
    filter = sql`(${userId ?? null}::int is null or r.user_id = ${userId ?? null}::int)
      and (${input.deviceId ?? null}::int is null or r.src_device_id = ${input.deviceId ?? null}::int
        or r.dst_device_id = ${input.deviceId ?? null}::int)
      and (${input.from ?? null}::timestamptz is null or r.date >= ${input.from ?? null}::timestamptz)
      and (${input.till ?? null}::timestamptz is null or r.date <= ${input.till ?? null}::timestamptz)`;
  }
  const deleted = await withTransaction(ctx, async (tx) => {
    const rows = await queryRows<{ id: number; key: string }>(
      tx.db,
      sql`delete from recordings r where ${filter} and ${reachableRecordings(actor)}
          returning r.id, r.object_key as key`,
    );
    if (rows.length === 0) throw notFound('recordings', NOT_FOUND_ANY);
    await logAction(tx, { action: 'recordings_deleted', targetType: 'recording', data: String(rows.length) });
    return rows;
  });
  for (const { key } of deleted) {
    await store.delete(key).catch((error: unknown) => {
      ctx.log.warn('recording audio not deleted', { key, error: String(error) });
    });
  }
  return deleted.length;
}
