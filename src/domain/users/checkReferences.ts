import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { currencies } from '../../db/schema/currencies.ts';
import { devices } from '../../db/schema/devices.ts';
import { directions, quickforwardsRules, tariffs } from '../../db/schema/index.ts';
import { lcrs } from '../../db/schema/lcrs.ts';
import { accGroups, conflines } from '../../db/schema/settings.ts';
import { users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { isTimeZoneName } from '../settings/timeZones.ts';
import type { UserFields } from './fields.ts';

/** user_details_update's generic failure; INVALID messages carry the exact MOR string. */
export const NOT_UPDATED = 'User was not updated';

const exists = async (rows: Promise<unknown[]>) => (await rows).length > 0;

/**
 * Checks the ids a user patch points at, for a user of realm `realmId` (admin 0 or the owning
 * reseller) whose type will be `usertype`. Tariffs: the realm's own user tariffs, or the admin's
 * when the realm is a reseller and "Allow Resellers to use Admin Tariffs" is on. Spy devices: any for
 * the admin's realm, else a device of the reseller or its users. LCRs: the realm's own, or (for a
 * reseller's realm) the LCR the reseller itself routes by. Another realm's object answers exactly like a
 * missing one. Sound files and PBX pools have no tables yet: their ids are stored unchecked.
 */
export async function checkReferences(ctx: Pick<Ctx, 'db'>, fields: UserFields, realmId: number, usertype: string) {
  const { db } = ctx;
  if (fields.tariffId != null) {
    const owners = [realmId];
    if (realmId !== 0) {
      const [line] = await db
        .select({ value: conflines.value })
        .from(conflines)
        .where(and(eq(conflines.ownerId, 0), eq(conflines.name, 'allow_resellers_admin_tariffs')));
      if (line?.value === '1') owners.push(0);
    }
    const ok = await exists(
      db
        .select({ id: tariffs.id })
        .from(tariffs)
        .where(
          and(
            eq(tariffs.id, fields.tariffId),
            inArray(tariffs.ownerId, owners),
            inArray(tariffs.purpose, ['user', 'user_wholesale']),
          ),
        )
        // Held until the user is written: a concurrent tariffs.delete waits, then sees the user.
        .for('key share'),
    );
    if (!ok) throw invalid('tariff', 'Tariff not found');
  }
  if (fields.lcrId != null && !(await lcrInRealm(ctx, fields.lcrId, realmId))) throw invalid('lcr', NOT_UPDATED);
  if (fields.responsibleAccountantId != null) {
    const ok = await exists(
      db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, fields.responsibleAccountantId), eq(users.usertype, 'accountant'))),
    );
    if (!ok) throw invalid('responsible_accountant', 'Responsible accountant is not valid');
  }
  if (fields.accGroupId != null) {
    const ok =
      (usertype === 'reseller' || usertype === 'accountant') &&
      (await exists(
        db
          .select({ id: accGroups.id })
          .from(accGroups)
          .where(and(eq(accGroups.id, fields.accGroupId), eq(accGroups.groupType, usertype))),
      ));
    if (!ok) throw invalid('acc_group', NOT_UPDATED);
  }
  if (fields.currencyId !== undefined) {
    const ok = await exists(
      db
        .select({ id: currencies.id })
        .from(currencies)
        .where(and(eq(currencies.id, fields.currencyId), eq(currencies.active, true)))
        // Held until the user is written: a concurrent deactivation waits, then sees the user.
        .for('share'),
    );
    if (!ok) throw invalid('currency', NOT_UPDATED);
  }
  if (fields.quickforwardsRuleId != null) {
    const ok = await exists(
      db
        .select({ id: quickforwardsRules.id })
        .from(quickforwardsRules)
        .where(
          and(eq(quickforwardsRules.id, fields.quickforwardsRuleId), inArray(quickforwardsRules.ownerId, [realmId, 0])),
        ),
    );
    if (!ok) throw invalid('quickforwards_rule', NOT_UPDATED);
  }
  if (fields.spyDeviceId != null) {
    // A reseller's user may spy only on devices of that reseller's realm (itself and its users); a
    // device of another realm is answered like a missing one.
    const realm = realmId === 0 ? undefined : or(eq(users.id, realmId), eq(users.ownerId, realmId));
    const ok = await exists(
      db
        .select({ id: devices.id })
        .from(devices)
        .innerJoin(users, eq(users.id, devices.userId))
        .where(and(eq(devices.id, fields.spyDeviceId), realm)),
    );
    if (!ok) throw invalid('spy_device', NOT_UPDATED);
  }
  for (const country of [fields.taxationCountry, fields.address?.directionId]) {
    if (country == null) continue;
    const ok = await exists(db.select({ id: directions.id }).from(directions).where(eq(directions.id, country)));
    if (!ok) throw invalid('direction', NOT_UPDATED);
  }
  if (fields.timeZone !== undefined && !isTimeZoneName(fields.timeZone)) throw invalid('time_zone', NOT_UPDATED);
}

/**
 * An LCR a user of realm `realmId` may route by: one the realm owns (the admin's for the admin's realm),
 * or, in a reseller's realm, the LCR the admin gave the reseller itself.
 */
export async function lcrInRealm(ctx: Pick<Ctx, 'db'>, lcrId: number, realmId: number): Promise<boolean> {
  const own = eq(lcrs.ownerId, realmId);
  const given = sql`${lcrs.id} = (select ${users.lcrId} from ${users} where ${users.id} = ${realmId})`;
  return exists(
    ctx.db
      .select({ id: lcrs.id })
      .from(lcrs)
      .where(and(eq(lcrs.id, lcrId), realmId === 0 ? own : or(own, given)))
      // In a transaction, held until the user is written: a concurrent lcr_delete waits, then sees it.
      .for('key share'),
  );
}
