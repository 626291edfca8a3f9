import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { IdOrZero as Id } from '../ids.ts';
import { type Authorization, authorize } from './authorize.ts';
import { checkCall } from './ingest/callRow.ts';
import { type IngestResult, ingestChecked, requireIngestRight } from './ingestCalls.ts';

const Uniqueid = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(150));
const Time = v.optional(v.pipe(v.string(), v.isoTimestamp()));

export const StartCall = v.object({
  uniqueid: Uniqueid,
  deviceId: v.optional(Id),
  accountcode: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
  src: v.optional(v.pipe(v.string(), v.maxLength(255)), ''),
  clid: v.optional(v.pipe(v.string(), v.maxLength(255)), ''),
  dst: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  /** Default now. */
  startTime: Time,
  serverId: v.optional(Id, 1),
  channel: v.optional(v.pipe(v.string(), v.maxLength(255)), ''),
  dstDeviceId: v.optional(Id),
  didId: v.optional(Id),
  providerId: v.optional(Id),
});
export type StartCall = v.InferInput<typeof StartCall>;

export const AnswerCall = v.object({ uniqueid: Uniqueid, answerTime: Time });
export type AnswerCall = v.InferInput<typeof AnswerCall>;

export const EndCall = v.object({
  uniqueid: Uniqueid,
  /** Default now. */
  endTime: Time,
  /** Default: ANSWERED when the call was answered, else NO ANSWER. */
  disposition: v.optional(v.picklist(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED'])),
  /** Default: end − answer, in whole seconds. */
  billsec: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(604_800))),
  hangupcause: v.optional(Id),
});
export type EndCall = v.InferInput<typeof EndCall>;

/**
 * activeCalls.start: a call begins ringing. Authorizes it (calls.authorize) and, when allowed, keeps
 * it in the live table behind active_calls_get with the seconds it may last. A start repeated for a
 * uniqueid already live changes nothing and answers the same.
 */
export async function startCall(ctx: Ctx, input: StartCall): Promise<Authorization & { id: number | null }> {
  requireIngestRight(ctx);
  const verdict = await authorize(
    ctx,
    {
      deviceId: input.deviceId,
      accountcode: input.accountcode,
      dst: input.dst,
      at: input.startTime,
    },
    input.uniqueid,
  );
  if (!verdict.allowed) return { ...verdict, id: null };
  const start = input.startTime ?? ctx.clock().toISOString();
  const [row] = await queryRows<{ id: number }>(
    ctx.db,
    sql`with dst as (select d.id, d.user_id from devices d where d.id = ${input.dstDeviceId ?? null}::int),
      ins as (
        insert into active_calls (uniqueid, server_id, start_time, src, clid, dst, localized_dst, user_id, reseller_id,
          src_device_id, dst_user_id, dst_device_id, provider_id, did_id, channel, max_seconds)
        select ${input.uniqueid}::text, ${input.serverId ?? 1}::int, ${start}::timestamptz, ${input.src ?? ''}::text,
          ${input.clid ?? ''}::text, ${input.dst}::text, regexp_replace(${input.dst}::text, '\\D', '', 'g'), u.id,
          nullif(u.owner_id, 0), ${verdict.deviceId!}::int, (select user_id from dst), (select id from dst),
          ${input.providerId ?? null}::int, ${input.didId ?? null}::int, ${input.channel ?? ''}::text, ${verdict.maxSeconds}::int
        from users u where u.id = ${verdict.userId!}::int
        on conflict (uniqueid) do nothing returning id)
      select id from ins union all select id from active_calls where uniqueid = ${input.uniqueid}::text limit 1`,
  );
  return { ...verdict, id: row?.id ?? null };
}

/** activeCalls.answer: the live call was answered (its duration starts counting in active_calls_get). */
export async function answerCall(ctx: Ctx, input: AnswerCall): Promise<{ id: number }> {
  requireIngestRight(ctx);
  const [row] = await queryRows<{ id: number }>(
    ctx.db,
    sql`update active_calls set answer_time = coalesce(answer_time, ${input.answerTime ?? ctx.clock().toISOString()}::timestamptz)
      where uniqueid = ${input.uniqueid}::text returning id`,
  );
  if (!row) throw notFound('active_call', 'No such active call');
  return row;
}

interface Live {
  start_time: Date | string;
  answer_time: Date | string | null;
  src: string;
  clid: string;
  dst: string;
  src_device_id: number;
  dst_device_id: number | null;
  did_id: number | null;
  provider_id: number | null;
  channel: string;
}

/**
 * activeCalls.end: the call hung up. Its CDR goes through exactly the path of calls.ingest (rated,
 * charged, exactly once per uniqueid) and the live row is removed. Ending a call already ended answers
 * `duplicates: 1` and changes nothing.
 */
export async function endCall(ctx: Ctx, input: EndCall): Promise<IngestResult> {
  requireIngestRight(ctx);
  const [live] = await queryRows<Live>(
    ctx.db,
    sql`select start_time, answer_time, src, clid, dst, src_device_id, dst_device_id, did_id, provider_id, channel
      from active_calls where uniqueid = ${input.uniqueid}::text`,
  );
  if (!live) {
    const [done] = await queryRows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from call_keys where uniqueid = ${input.uniqueid}::text`,
    );
    if (done?.n) return { inserted: 0, duplicates: 1, rejected: [] };
    throw notFound('active_call', 'No such active call');
  }
  const start = new Date(live.start_time);
  const answer = live.answer_time === null ? null : new Date(live.answer_time);
  const end = input.endTime ? new Date(input.endTime) : ctx.clock();
  if (end < start) throw invalid('end_time', 'endTime is before the start of the call');
  const duration = Math.round((end.getTime() - start.getTime()) / 1000);
  const billsec = Math.min(
    duration,
    input.billsec ?? (answer ? Math.max(0, Math.round((end.getTime() - answer.getTime()) / 1000)) : 0),
  );
  const result = await ingestChecked(ctx, [0], (_, index) =>
    checkCall(
      {
        uniqueid: input.uniqueid,
        calldate: start.toISOString(),
        answerTime: answer?.toISOString(),
        endTime: end.toISOString(),
        duration,
        billsec,
        disposition: input.disposition ?? (answer ? 'ANSWERED' : 'NO ANSWER'),
        src: live.src,
        clid: live.clid,
        dst: live.dst,
        deviceId: live.src_device_id,
        channel: live.channel,
        dstDeviceId: live.dst_device_id,
        didId: live.did_id,
        providerId: live.provider_id,
        hangupcause: input.hangupcause,
      },
      index,
      ctx.clock(),
    ),
  );
  await queryRows(ctx.db, sql`delete from active_calls where uniqueid = ${input.uniqueid}::text`);
  return result;
}
