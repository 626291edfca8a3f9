import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { requireIngestRight } from '../calls/ingestCalls.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { storeOf } from './access.ts';

export const AddRecording = v.strictObject({
  /** The switch's call id of a stored CDR. */
  uniqueid: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  comment: v.optional(v.pipe(v.string(), v.maxLength(1000))),
});
export type AddRecording = v.InferOutput<typeof AddRecording>;

/**
 * Stores a call's recording (admin, as the switch side reporting calls): the audio is streamed into
 * the object store under a random key, then the metadata row is written from the call's CDR (user,
 * devices, source, destination, billsec, date). An unknown call → NOT_FOUND before anything is written;
 * a failed row write removes the object again.
 */
export async function addRecording(
  ctx: Ctx,
  input: AddRecording,
  audio: ReadableStream<Uint8Array>,
  contentType = 'audio/mpeg',
  length?: number,
): Promise<{ id: number; objectKey: string; size: number }> {
  requireIngestRight(ctx);
  const store = storeOf(ctx);
  const [call] = await queryRows<{ id: number }>(
    ctx.db,
    sql`select k.call_id as id from call_keys k where k.uniqueid = ${input.uniqueid}::text`,
  );
  if (!call) throw notFound('call', 'Call was not found');
  const objectKey = `${crypto.randomUUID()}.mp3`;
  const { size } = await store.put(objectKey, audio, contentType, length);
  try {
    return await withTransaction(ctx, async (tx) => {
      const [row] = await queryRows<{ id: number }>(
        tx.db,
        sql`insert into recordings (uniqueid, callback_uniqueid, call_id, user_id, dst_user_id, src_device_id,
              dst_device_id, date, comment, duration, source, destination, size, object_key)
            select c.uniqueid, c.callback_uniqueid, c.id, c.user_id, coalesce(c.dst_user_id, 0),
              coalesce(c.src_device_id, 0), coalesce(c.dst_device_id, 0), c.calldate, ${input.comment ?? ''}::text,
              c.billsec, c.src, c.dst, ${size}::bigint, ${objectKey}::text
            from call_keys k join calls c on c.id = k.call_id and c.calldate = k.calldate
            where k.uniqueid = ${input.uniqueid}::text
            returning id`,
      );
      if (!row) throw notFound('call', 'Call was not found');
      await logAction(tx, {
        action: 'recording_added',
        targetType: 'recording',
        targetId: row.id,
        data: input.uniqueid,
      });
      return { id: row.id, objectKey, size };
    });
  } catch (error) {
    await store.delete(objectKey).catch(() => {});
    throw error;
  }
}
