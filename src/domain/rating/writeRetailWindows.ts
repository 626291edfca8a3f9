import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { refreshPlannerStatistics } from '../plannerStatistics.ts';
import type { WindowWrite } from './planRetailImport.ts';

const BATCH = 20_000;

/**
 * Stores planned retail windows of one tariff in a few set-based statements (inside the caller's
 * transaction): the group rates that are missing, removal of the stored windows being replaced, then
 * every band, BATCH per statement through json_to_recordset.
 */
export async function writeRetailWindows(tx: Ctx, tariffId: number, writes: readonly WindowWrite[]): Promise<void> {
  await tx.db.execute(sql`update tariffs set last_update_date = now() where id = ${tariffId}::int`);
  if (writes.length === 0) return;
  const groupIds = JSON.stringify([...new Set(writes.map((w) => w.groupId))]);
  const rateIds = new Map(
    (
      await queryRows<{ id: number; group_id: number }>(
        tx.db,
        sql`with g as (select value::int as group_id from json_array_elements_text(${groupIds}::json)),
        created as (
          insert into rates (tariff_id, destinationgroup_id) select ${tariffId}::int, group_id from g
          on conflict (tariff_id, destinationgroup_id) do nothing returning id, destinationgroup_id as group_id)
        select id, group_id from created
        union all select r.id, r.destinationgroup_id from rates r join g on g.group_id = r.destinationgroup_id
          where r.tariff_id = ${tariffId}::int`,
      )
    ).map((r) => [r.group_id, r.id]),
  );
  const replaced = writes
    .filter((w) => w.replace)
    .map((w) => ({
      rate_id: rateIds.get(w.groupId)!,
      daytype: w.window.daytype,
      st: w.window.startTime,
      et: w.window.endTime,
    }));
  if (replaced.length > 0) {
    await tx.db.execute(sql`delete from aratedetails a
      using json_to_recordset(${JSON.stringify(replaced)}::json) as w(rate_id int, daytype text, st time, et time)
      where a.rate_id = w.rate_id and a.daytype = w.daytype and a.start_time = w.st and a.end_time = w.et`);
  }
  const bands = writes.flatMap((w) => w.window.bands.map((b) => ({ ...b, rate_id: rateIds.get(w.groupId)! })));
  for (let start = 0; start < bands.length; start += BATCH) {
    const json = JSON.stringify(bands.slice(start, start + BATCH));
    await tx.db.execute(sql`insert into aratedetails
        (rate_id, "from", duration, artype, round, price, start_time, end_time, daytype)
      select rate_id, "from", duration, artype, round, price, "startTime", "endTime", daytype
      from json_to_recordset(${json}::json) as b(rate_id int, "from" int, duration int, artype text, round int,
        price numeric, "startTime" time, "endTime" time, daytype text)`);
  }
  await refreshPlannerStatistics(tx.db, ['rates', 'aratedetails', 'destinations'], writes.length);
}
