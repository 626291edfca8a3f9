import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import {
  collides,
  collidesStored,
  collisionText,
  layOut,
  parseBand,
  type RawBand,
  sameSpan,
  type Window,
} from './retailBands.ts';

/** One `<destination>` of the document. */
export interface RetailDestination {
  groupName: string;
  groupType: string;
  bands: RawBand[];
}

/** What the answer reports (every list in document order). */
export interface RetailImportReport {
  badDestinations: { groupName: string; groupType: string }[];
  badRates: { groupName: string; groupType: string; band: RawBand }[];
  xmlCollisions: string[];
  dbCollisions: string[];
}

/** One window to store for a group; `replace` = a stored window with the same span gives way. */
export interface WindowWrite {
  groupId: number;
  window: Window;
  replace: boolean;
}

type Group = { id: number; name: string; desttype: string; used: boolean };
type Stored = { group_id: number; daytype: Window['daytype']; start_time: string; end_time: string };

/** Decides, without writing, what a retail import stores and what it reports (spec Behaviour 4a–e). */
export async function planRetailImport(
  ctx: Pick<Ctx, 'db'>,
  tariffId: number | null,
  destinations: RetailDestination[],
): Promise<{ report: RetailImportReport; writes: WindowWrite[] }> {
  const names = JSON.stringify([...new Set(destinations.map((d) => d.groupName))]);
  // `for key share`, held until the import commits: a group delete (which locks the group before its
  // in-use check) waits and sees the rates written, or this finds no group (a bad destination).
  const groups = await queryRows<Group>(
    ctx.db,
    sql`select g.id, g.name, g.desttype, exists (select 1 from destinations d where d.destinationgroup_id = g.id) as used
      from destinationgroups g where g.name in (select json_array_elements_text(${names}::json)) order by g.id
      for key share of g`,
  );
  const stored = tariffId
    ? await queryRows<Stored>(
        ctx.db,
        sql`select distinct r.destinationgroup_id as group_id, a.daytype, a.start_time::text, a.end_time::text
          from rates r join aratedetails a on a.rate_id = r.id where r.tariff_id = ${tariffId}::int`,
      )
    : [];
  const report: RetailImportReport = { badDestinations: [], badRates: [], xmlCollisions: [], dbCollisions: [] };
  const perGroup = new Map<number, { label: string; windows: Window[] }>();

  for (const d of destinations) {
    const parsed = d.bands.map(parseBand);
    const valid = parsed.flatMap((b, i) => (b ? [{ band: b, raw: d.bands[i]! }] : []));
    const { windows, late } = layOut(valid.map((v) => v.band));
    const rejected = [...parsed.flatMap((b, i) => (b ? [] : [d.bands[i]!])), ...late.map((i) => valid[i]!.raw)];
    for (const band of rejected) report.badRates.push({ groupName: d.groupName, groupType: d.groupType, band });
    const named = groups.filter((g) => g.name === d.groupName);
    const group = named.length > 1 ? named.find((g) => g.desttype === d.groupType) : named[0];
    if (!group?.used) {
      report.badDestinations.push({ groupName: d.groupName, groupType: d.groupType });
      continue;
    }
    const entry = perGroup.get(group.id) ?? { label: d.groupName, windows: [] };
    entry.windows.push(...windows);
    perGroup.set(group.id, entry);
  }

  const writes: WindowWrite[] = [];
  for (const [groupId, { label, windows }] of perGroup) {
    const dropped = new Set<Window>();
    windows.forEach((a, i) => {
      for (const b of windows.slice(i + 1)) {
        if (collides(a, b) || sameSpan(a, b)) {
          report.xmlCollisions.push(collisionText(label, a, b));
          dropped.add(a).add(b);
        }
      }
    });
    const mine = stored
      .filter((s) => s.group_id === groupId)
      .map((s) => ({ ...s, startTime: s.start_time, endTime: s.end_time }));
    for (const w of windows) {
      if (dropped.has(w)) continue;
      const clash = mine.find((s) => collidesStored(w, s));
      if (clash) report.dbCollisions.push(collisionText(label, w, clash));
      else writes.push({ groupId, window: w, replace: mine.some((s) => sameSpan(w, s)) });
    }
  }
  return { report, writes };
}
