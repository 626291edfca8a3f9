import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { RowId } from '../ids.ts';
import { campaignInReach, requireAutodialer } from './access.ts';

/**
 * autodialer_get_campaign_ivr_poll_results: one line per answer in the order they were recorded (call-time order), `digits` alone when
 * no timing is known, else `digits,answer_time,end_time` (`YYYY-MM-DD HH:MM:SS`, UTC).
 */
export async function pollResults(ctx: Ctx, input: { id?: number }): Promise<string> {
  await requireAutodialer(ctx);
  const campaign = await campaignInReach(ctx, input.id);
  const rows = await queryRows<{ line: string }>(
    ctx.db,
    sql`select case when answer_time is null and end_time is null then digits
          else digits || ',' || coalesce(to_char(answer_time at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '')
            || ',' || coalesce(to_char(end_time at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '') end as line
        from campaign_poll_results where campaign_id = ${campaign.id}::int
        order by id`,
  );
  return rows.map((r) => r.line).join('\n');
}

export const RecordPollResult = v.strictObject({
  id: RowId,
  number: v.optional(v.pipe(v.string(), v.maxLength(100))),
  digits: v.pipe(v.string(), v.regex(/^[0-9*#]{1,100}$/, 'Digits must be 0-9 * #')),
  answerTime: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  endTime: v.optional(v.pipe(v.string(), v.isoTimestamp())),
});

/** autodialer.recordPollResult (admin, the switch side): stores one IVR poll answer of a campaign call. */
export async function recordPollResult(ctx: Ctx, input: v.InferOutput<typeof RecordPollResult>) {
  if (ctx.actor.usertype !== 'admin') throw forbidden('role', 'Only the admin may report calls');
  return withTransaction(ctx, async (tx) => {
    const campaign = await campaignInReach(tx, input.id);
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into campaign_poll_results (campaign_id, number, digits, answer_time, end_time)
          values (${campaign.id}::int, ${input.number ?? ''}::text, ${input.digits}::text,
            ${input.answerTime ?? null}::timestamptz, ${input.endTime ?? null}::timestamptz)
          returning id`,
    );
    return { resultId: row!.id };
  });
}
