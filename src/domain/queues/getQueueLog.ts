import { and, asc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { queryRows } from '../../db/rows.ts';
import { queueLog, queues } from '../../db/schema/queues.ts';
import { hasRight } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden, notFound } from '../errors.ts';
import { systemZone } from '../settings/systemZone.ts';

/** queue_log_get's filters: exact values; `from`/`till` Unix seconds (inclusive). */
export interface QueueLogFilter {
  from?: number | undefined;
  till?: number | undefined;
  queuename?: string | undefined;
  callid?: string | undefined;
  agent?: string | undefined;
  event?: string | undefined;
  data?: (string | undefined)[];
}

export type QueueLogRow = Omit<typeof queueLog.$inferSelect, 'time'>;

/**
 * queue_log_get: Asterisk queue-log rows of the period (default: today in the system time zone)
 * matching every filter exactly, of the caller's queues (admin and accountants with Manage devices:
 * every queue; a reseller: the queues it owns), by id. Other callers: Access Denied; none: No data found.
 */
export async function getQueueLog(ctx: Ctx, filter: QueueLogFilter): Promise<QueueLogRow[]> {
  const { actor } = ctx;
  const everyQueue =
    actor.usertype === 'admin' || (actor.usertype === 'accountant' && hasRight(actor, 'devices_manage', 1));
  if (!everyQueue && actor.usertype !== 'reseller') throw forbidden('queue_log', 'Access Denied');
  const zone = await systemZone(ctx.db);
  const [today] = await queryRows<{ start: string; end: string }>(
    ctx.db,
    sql`select extract(epoch from d at time zone ${zone}::text)::bigint::text as start,
        extract(epoch from (d + interval '1 day' - interval '1 second') at time zone ${zone}::text)::bigint::text as "end"
      from (select date_trunc('day', ${ctx.clock().toISOString()}::timestamptz at time zone ${zone}::text) as d) t`,
  );
  const from = new Date((filter.from ?? Number(today!.start)) * 1000);
  const till = new Date((filter.till ?? Number(today!.end)) * 1000);
  const where: SQL[] = [gte(queueLog.time, from), lte(queueLog.time, till)];
  const exact = (column: AnyPgColumn, value: string | undefined) => {
    if (value !== undefined) where.push(eq(column, value));
  };
  exact(queueLog.queuename, filter.queuename);
  exact(queueLog.callid, filter.callid);
  exact(queueLog.agent, filter.agent);
  exact(queueLog.event, filter.event);
  const dataColumns = [queueLog.data1, queueLog.data2, queueLog.data3, queueLog.data4, queueLog.data5];
  for (const [i, column] of dataColumns.entries()) exact(column, filter.data?.[i]);
  if (!everyQueue) {
    where.push(
      sql`${queueLog.queuename} in (select ${queues.name} from ${queues} where ${queues.ownerId} = ${actor.id})`,
    );
  }
  const rows = await ctx.db
    .select({
      id: queueLog.id,
      callid: queueLog.callid,
      queuename: queueLog.queuename,
      agent: queueLog.agent,
      event: queueLog.event,
      data1: queueLog.data1,
      data2: queueLog.data2,
      data3: queueLog.data3,
      data4: queueLog.data4,
      data5: queueLog.data5,
    })
    .from(queueLog)
    .where(and(...where))
    .orderBy(asc(queueLog.id));
  if (rows.length === 0) throw notFound('queue_log', 'No data found');
  return rows;
}
