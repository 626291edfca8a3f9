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

export interface RetailImportResult extends RetailImportReport {
  tariffId: number;
  tariffName: string;
}

const BAD_XML = () => invalid('bad_xml', 'Bad XML data');

/**
 * tariff_retail_import (spec tariff_retail_import.md): resolves or creates the caller's retail tariff
 * named by `<id>`/`<name>`, then imports every destination group's bands. Problems with single groups,
 * bands or time windows are reported and skipped (the documented partial import); everything that is
 * written is validated first and written in one transaction, so a failure leaves the tariff as it was.
 */
export async function importRetailTariff(ctx: Ctx, input: RetailImport): Promise<RetailImportResult> {
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
    if (clash) throw invalid('tariff_exists', `TARIFF with same name exists, ID:${clash.id}!!! CHANGE NAME OR ID`);
  }
  if (input.destinations.length === 0) throw invalid('no_destinations', 'No destinations!');

  const plan = await planRetailImport(ctx, byId?.id ?? null, input.destinations);
  return withTransaction(ctx, async (tx) => {
    let tariffId = byId?.id;
    if (tariffId === undefined) {
      const [row] = await queryRows<{ id: number }>(
        tx.db,
        sql`insert into tariffs (name, purpose, owner_id, currency)
          values (${input.name}::text, 'user', ${ownerId}::int, coalesce((select c.name from users u
            join currencies c on c.id = u.currency_id where u.id = ${ctx.actor.id}::int),
            (select name from currencies where is_default limit 1), 'USD'))
          returning id`,
      );
      tariffId = row!.id;
    }
    await writeRetailWindows(tx, tariffId, plan.writes);
    await logAction(tx, {
      action: 'tariff_retail_import',
      targetType: 'tariff',
      targetId: tariffId,
      data: input.name,
      data2: `groups=${new Set(plan.writes.map((w) => w.groupId)).size} windows=${plan.writes.length}`,
    });
    return { tariffId, tariffName: input.name, ...plan.report };
  });
}
