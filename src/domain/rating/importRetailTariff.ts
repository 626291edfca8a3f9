import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { realmOf, requireTariffRight } from './access.ts';
import { planRetailImport, type RetailDestination, type RetailImportReport } from './planRetailImport.ts';
import { writeRetailWindows } from './writeRetailWindows.ts';

export interface RetailImport {
  /** `<id>` as sent. */
  id: string;
  /** `<name>` as sent. */
  name: string;
  destinations: RetailDestination[];
}

export interface RetailImportOptions {
  /**
   * Import the valid destinations and report the rest (the spec's Behaviour 5, MOR's behaviour): what
   * the XML API does unless the API setting "tariff_import_all_or_nothing" is on. false: any reported
   * problem rejects the whole document and nothing is written.
   */
  partial: boolean;
}

export interface RetailImportResult extends RetailImportReport {
  /** false: all-or-nothing mode found problems, nothing was written. */
  imported: boolean;
  /** The tariff used or created; null when the tariff did not exist and was not created. */
  tariffId: number | null;
  tariffName: string;
}

/** Whether the plan reported anything (a bad destination or band, a collision in the xml or the db). */
export const hasProblems = (r: RetailImportReport): boolean =>
  r.badDestinations.length + r.badRates.length + r.xmlCollisions.length + r.dbCollisions.length > 0;

const BAD_XML = () => invalid('bad_xml', 'Bad XML data');

/**
 * tariff_retail_import (spec tariff_retail_import.md): resolves or creates the caller's retail tariff
 * named by `<id>`/`<name>`, then imports every destination group's bands. The whole document is
 * validated and planned before the first write. With `partial` the problems (group, band or time
 * window) are reported and skipped and the rest is imported (the spec's partial import); without it a
 * single reported problem rejects the document: nothing is created or written and the report says why.
 * Whatever is written is written in one transaction, so a failure leaves the tariff as it was.
 */
export async function importRetailTariff(
  ctx: Ctx,
  input: RetailImport,
  options: RetailImportOptions,
): Promise<RetailImportResult> {
  requireTariffRight(ctx.actor, 2);
  if (input.id.trim() === '' || input.name.trim() === '') throw BAD_XML();
  const ownerId = realmOf(ctx.actor);
  const id = /^\d{1,9}$/.test(input.id.trim()) ? Number(input.id.trim()) : -1;
  const [byId] = await queryRows<{ id: number; name: string; owner_id: number; purpose: string }>(
    ctx.db,
    sql`select id, name, owner_id, purpose from tariffs where id = ${id}::int`,
  );
  if (byId && byId.owner_id !== ownerId) throw invalid('tariff_owner', 'Tariff belongs to other user!');
  if (byId && byId.name !== input.name) {
    throw invalid('tariff_name', `TARIFF NAME WITH THIS ID DO NOT MATCH !!!FOUND ${byId.name}`);
  }
  if (byId && byId.purpose !== 'user') throw BAD_XML();
  if (!byId) {
    const [clash] = await queryRows<{ id: number }>(
      ctx.db,
      sql`select id from tariffs where owner_id = ${ownerId}::int and name = ${input.name}::text`,
    );
    if (clash) throw nameTakenError(clash.id);
  }
  if (input.destinations.length === 0) throw invalid('no_destinations', 'No destinations!');

  return withTransaction(ctx, async (tx) => {
    // Planning reads the stored bands: lock the tariff first so a concurrent import of the same tariff
    // plans against what this one writes, never against the same old state.
    if (byId) await queryRows(tx.db, sql`select id from tariffs where id = ${byId.id}::int for update`);
    const plan = await planRetailImport(tx, byId?.id ?? null, input.destinations);
    if (!options.partial && hasProblems(plan.report)) {
      return { imported: false, tariffId: byId?.id ?? null, tariffName: input.name, ...plan.report };
    }
    let tariffId = byId?.id;
    if (tariffId === undefined) {
      const [row] = await queryRows<{ id: number }>(
        tx.db,
        sql`insert into tariffs (name, purpose, owner_id, currency)
          values (${input.name}::text, 'user', ${ownerId}::int, coalesce((select c.name from users u
            join currencies c on c.id = u.currency_id where u.id = ${ctx.actor.id}::int),
            (select name from currencies where is_default limit 1), 'USD'))
          on conflict (owner_id, name) do nothing
          returning id`,
      );
      // Created meanwhile by a concurrent request: the same answer as when it existed before.
      if (!row) throw await nameTaken(tx, ownerId, input.name);
      tariffId = row.id;
    }
    await writeRetailWindows(tx, tariffId, plan.writes);
    await logAction(tx, {
      action: 'tariff_retail_import',
      targetType: 'tariff',
      targetId: tariffId,
      data: input.name,
      data2: `groups=${new Set(plan.writes.map((w) => w.groupId)).size} windows=${plan.writes.length}`,
    });
    return { imported: true, tariffId, tariffName: input.name, ...plan.report };
  });
}

const nameTakenError = (id: number | string) =>
  invalid('tariff_exists', `TARIFF with same name exists, ID:${id}!!! CHANGE NAME OR ID`);

async function nameTaken(ctx: Ctx, ownerId: number, name: string) {
  const [clash] = await queryRows<{ id: number }>(
    ctx.db,
    sql`select id from tariffs where owner_id = ${ownerId}::int and name = ${name}::text`,
  );
  return nameTakenError(clash?.id ?? '');
}
