import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { clientWith } from '../helpers/admin.ts';
import { pageStatusErrorXml, useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createProvider, createUser, setConflines, setUserTariff } from '../helpers/factories.ts';
import { AT_ONCE, racePairs, untilAnotherSessionLocks } from './race.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
/** Each round races 8 delete/assign pairs; 3 rounds keep each test to a few seconds on PGlite. */
const ROUNDS = 3;

/** After a delete and a use of one object at once: does it exist, and how many `refTable` rows name it. */
async function settled(table: string, id: number, refTable: string, refColumn: string) {
  const [row] = await queryRows<{ exists: boolean; used: number }>(
    api.handle.db,
    sql`select exists (select 1 from ${sql.raw(table)} where id = ${id}::int) as exists,
      (select count(*)::int from ${sql.raw(refTable)} where ${sql.raw(refColumn)} = ${id}::int) as used`,
  );
  return row!;
}

/**
 * One of the two won: the delete (the use answered `gone` and nothing names the object) or the use
 * (the delete answered `inUse`; the object exists, named once).
 */
function expectOneWins(
  [del, use]: [string, string],
  state: { exists: boolean; used: number },
  gone: string,
  inUse: string,
) {
  if (del === 'ok') {
    expect(use).toBe(gone);
    expect(state).toEqual({ exists: false, used: 0 });
  } else {
    expect([del, use]).toEqual([inUse, 'ok']);
    expect(state).toEqual({ exists: true, used: 1 });
  }
}

/**
 * `ROUNDS` rounds of: make `AT_ONCE` objects, race each one's delete against its use (`racePairs`), then
 * expect one of the two to have won for each (`settled` on `settle` = [table, refTable, refColumn]).
 */
async function raceDeleteAndUse({
  make,
  del,
  use,
  settle: [table, refTable, refColumn],
  gone,
  inUse,
}: {
  make: (round: number, i: number) => Promise<number>;
  del: (id: number) => Promise<unknown>;
  use: (id: number, i: number, round: number) => Promise<unknown>;
  settle: [table: string, refTable: string, refColumn: string];
  gone: string;
  inUse: string;
}) {
  for (let round = 0; round < ROUNDS; round++) {
    const ids: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) ids.push(await make(round, i));
    const pairs = await racePairs(
      round,
      (i) => del(ids[i]!),
      (i) => use(ids[i]!, i, round),
    );
    for (const [i, id] of ids.entries()) {
      expectOneWins(pairs[i]!, await settled(table, id, refTable, refColumn), gone, inUse);
    }
  }
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: Error) => e.message,
  );

// deleteTariff checked "no user has it", then deleted; a users.update giving a user the tariff at once
// passed its "Tariff not found" check too, and the user was left with a deleted tariff (unratable).
describe('deletes racing an assignment of the same object', () => {
  it('tariffs.delete and users.update giving the tariff: one wins', async () => {
    const users: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) users.push((await createUser(api.handle)).id);
    await raceDeleteAndUse({
      make: async (round, i) => (await admin().tariffs.create.mutate({ name: `t-${round}-${i}`, purpose: 'user' })).id,
      del: (id) => admin().tariffs.delete.mutate({ id }),
      use: (id, i) => admin().users.update.mutate({ id: users[i]!, tariffId: id }),
      settle: ['tariffs', 'users', 'tariff_id'],
      gone: 'BAD_REQUEST: Tariff not found',
      inUse: 'CONFLICT: Tariff is assigned to users',
    });
  });

  // updateCurrency checked "no user or tariff uses it" outside any transaction, then deactivated it; a
  // users.update giving a user the currency at once passed its "active currency" check too.
  it('currencies.update deactivating and users.update giving the currency: one wins', async () => {
    const users: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) users.push((await createUser(api.handle)).id);
    for (let round = 0; round < ROUNDS; round++) {
      const ids: number[] = [];
      for (let i = 0; i < AT_ONCE; i++) {
        const name = `X${String.fromCharCode(65 + round, 65 + i)}`;
        ids.push((await admin().currencies.create.mutate({ name, exchangeRate: '2' })).id);
      }
      const pairs = await racePairs(
        round,
        (i) => admin().currencies.update.mutate({ id: ids[i]!, active: false }),
        (i) => admin().users.update.mutate({ id: users[i]!, currencyId: ids[i]! }),
      );
      for (const [i, id] of ids.entries()) {
        // "Exists" here is "still active": deactivation is what the currency answers instead of a delete.
        const [state] = await queryRows<{ exists: boolean; used: number }>(
          api.handle.db,
          sql`select active as exists, (select count(*)::int from users where currency_id = ${id}::int) as used
            from currencies where id = ${id}::int`,
        );
        expectOneWins(
          pairs[i]!,
          state!,
          'BAD_REQUEST: User was not updated',
          'CONFLICT: Currency is used by users or tariffs',
        );
      }
    }
  });

  // deleteLcr locked the LCR and checked "no user routes by it"; users.update read the LCR without a
  // lock, so a user given the LCR at once kept a deleted one.
  it('lcrs.delete and users.update giving the LCR: one wins', async () => {
    const users: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) users.push((await createUser(api.handle)).id);
    await raceDeleteAndUse({
      make: async (round, i) => (await admin().lcrs.create.mutate({ name: `l-${round}-${i}` })).id,
      del: (id) => admin().lcrs.delete.mutate({ id }),
      use: (id, i) => admin().users.update.mutate({ id: users[i]!, lcrId: id }),
      settle: ['lcrs', 'users', 'lcr_id'],
      gone: 'BAD_REQUEST: User was not updated',
      inUse: 'BAD_REQUEST: LCR was not deleted: LCR is in use',
    });
  });

  // deleteLocationGroup checked "no rule names it" without locking the group, and a rule create read
  // the group without a lock: a rule made at once kept a deleted group.
  it('locationGroups.delete and locationRules.create naming the group: one wins', async () => {
    const { id: locationId } = await admin().locations.create.mutate({ name: 'groups' });
    await raceDeleteAndUse({
      make: async (round, i) => (await admin().locationGroups.create.mutate({ name: `g-${round}-${i}` })).id,
      del: (id) => admin().locationGroups.delete.mutate({ id }),
      use: (id, i, round) =>
        admin().locationRules.create.mutate({
          locationId,
          name: 'n',
          cut: `${round}${i}9`,
          locationGroupId: String(id),
        }),
      settle: ['location_groups', 'location_rules', 'locationgroup_id'],
      gone: 'BAD_REQUEST: Location Group was not found',
      inUse: 'CONFLICT: Location Group is in use',
    });
  });

  // deleteLocation checked "no device uses it" without locking the location, and devices.update read
  // the location without a lock: a device moved to it at once kept a deleted location.
  it('locations.delete and devices.update moving a device to the location: one wins', async () => {
    const user = await createUser(api.handle);
    const devices: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) devices.push((await admin().devices.create.mutate({ userId: user.id })).id);
    await raceDeleteAndUse({
      make: async (round, i) => (await admin().locations.create.mutate({ name: `p-${round}-${i}` })).id,
      del: (id) => admin().locations.delete.mutate({ id }),
      use: (id, i) => admin().devices.update.mutate({ id: devices[i]!, newLocationId: id }),
      settle: ['locations', 'devices', 'location_id'],
      gone: 'NOT_FOUND: Location was not found',
      inUse: 'CONFLICT: Location is in use',
    });
  });

  // deleteProvider locked the provider and checked "no LCR lists it"; lcrs.addProvider read the
  // provider without a lock, so a provider added to an LCR at once was deleted under the link.
  it('providers.delete and lcrs.addProvider linking the provider: one wins', async () => {
    const lcrs: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) lcrs.push((await admin().lcrs.create.mutate({ name: `pl-${i}` })).id);
    await raceDeleteAndUse({
      make: async () => (await createProvider(api.handle)).id,
      del: (id) => admin().providers.delete.mutate({ id }),
      use: (id, i) => admin().lcrs.addProvider.mutate({ id: lcrs[i]!, providerId: id }),
      settle: ['providers', 'lcrproviders', 'provider_id'],
      gone: 'BAD_REQUEST: Provider was not added: Provider was not found',
      inUse: 'CONFLICT: Cannot delete provider',
    });
  });

  // deleteProvider locked the provider and checked "no DID names it"; a DID created on the provider at
  // once must either be seen by the check or find no provider (resolveProvider reads it for key share).
  it('providers.delete and dids.create on the provider: one wins', async () => {
    await raceDeleteAndUse({
      make: async () => (await createProvider(api.handle)).id,
      del: (id) => admin().providers.delete.mutate({ id }),
      use: (id, i, round) => admin().dids.create.mutate({ providerId: id, did: `3707${round}${i}000` }),
      settle: ['providers', 'dids', 'provider_id'],
      gone: 'NOT_FOUND: Provider was not found',
      inUse: 'CONFLICT: Cannot delete provider',
    });
  });

  // deleteTariff did not look at providers, provider rules or location rules at all, and their writes
  // read the tariff without a lock: a provider or rule given the tariff at once kept a deleted one.
  const tariffUses = {
    provider: {
      purpose: 'provider',
      table: 'providers',
      gone: 'Invalid tariff',
      inUse: 'Tariff is assigned to providers',
    },
    'provider rule': {
      purpose: 'provider',
      table: 'provider_rules',
      gone: 'Add failed',
      inUse: 'Tariff is assigned to providers',
    },
    'location rule': {
      purpose: 'user',
      table: 'location_rules',
      gone: 'Tariff was not found',
      inUse: 'Tariff is used by location rules',
    },
  } as const;
  for (const [kind, { purpose, table, gone, inUse }] of Object.entries(tariffUses)) {
    it(`tariffs.delete and a ${kind} given the tariff: one wins`, async () => {
      const base = await admin().tariffs.create.mutate({ name: `base-${kind}`, purpose: 'provider' });
      const providers: number[] = [];
      for (let i = 0; i < AT_ONCE; i++) {
        const { id } = await admin().providers.create.mutate({
          name: `tp-${kind}-${i}`,
          tech: 'SIP',
          tariffId: String(base.id),
        });
        providers.push(id);
      }
      const { id: locationId } = await admin().locations.create.mutate({ name: `tariff rules ${kind}` });
      await raceDeleteAndUse({
        make: async (round, i) =>
          (await admin().tariffs.create.mutate({ name: `tu-${kind}-${round}-${i}`, purpose })).id,
        del: (id) => admin().tariffs.delete.mutate({ id }),
        use: (id, i, round) => {
          const tariffId = String(id);
          if (kind === 'provider') return admin().providers.update.mutate({ id: providers[i]!, tariffId });
          if (kind === 'provider rule') {
            return admin().providerRules.create.mutate({ providerId: providers[i]!, name: 'r', cut: '00', tariffId });
          }
          return admin().locationRules.create.mutate({ locationId, name: 'n', cut: `${round}${i}7`, tariffId });
        },
        settle: ['tariffs', table, 'tariff_id'],
        gone: `BAD_REQUEST: ${gone}`,
        inUse: `CONFLICT: ${inUse}`,
      });
    });
  }

  // deleteSmsTariff and deleteSmsLcr checked "no subscription uses it" without locking the row, and
  // user_sms_service_subscribe read them without a lock: a user subscribed at once kept a deleted one.
  // The delete starts once the subscribe has read the row (sent together, they rarely overlapped).
  for (const kind of ['tariff', 'lcr'] as const) {
    const table = kind === 'tariff' ? 'sms_tariffs' : 'sms_lcrs';
    it(`${table}: delete and user_sms_service_subscribe with the SMS ${kind}: one wins`, async () => {
      await setConflines(api.handle, 0, { sms_addon: '1' });
      const fixedLcr = (
        await queryRows<{ id: number }>(api.handle.db, sql`insert into sms_lcrs (name) values ('r') returning id`)
      )[0]!.id;
      const fixedTariff = (await admin().smsTariffs.create.mutate({ name: `fixed-${kind}` })).id;
      for (let round = 0; round < ROUNDS; round++) {
        const user = await createUser(api.handle);
        const id =
          kind === 'tariff'
            ? (await admin().smsTariffs.create.mutate({ name: `s-${round}` })).id
            : (await admin().smsLcrs.create.mutate({ name: `sl-${round}` })).id;
        let settledSubscribe = false;
        const params = {
          u: 'admin',
          user_id: String(user.id),
          sms_tariff_id: String(kind === 'tariff' ? id : fixedTariff),
          sms_lcr_id: String(kind === 'lcr' ? id : fixedLcr),
        };
        const subscribe = api
          .call('user_sms_service_subscribe', params, { hashOf: ['user_id', 'sms_tariff_id'] })
          .then((r) => (r.body.includes('User successfully subscribed') ? 'ok' : r.body))
          .finally(() => {
            settledSubscribe = true;
          });
        await untilAnotherSessionLocks(api.handle.db, table, () => settledSubscribe);
        const del = await outcome(
          kind === 'tariff' ? admin().smsTariffs.delete.mutate({ id }) : admin().smsLcrs.delete.mutate({ id }),
        );
        const assign = await subscribe;
        expectOneWins(
          [del, assign],
          await settled(table, id, 'sms_subscriptions', `sms_${kind}_id`),
          pageStatusErrorXml(kind === 'tariff' ? 'SMS Tariff was not found' : 'SMS LCR was not found'),
          kind === 'tariff' ? 'SMS tariff is used by SMS subscriptions' : 'SMS LCR is used by SMS subscriptions',
        );
      }
    });
  }

  // deleteNumberPool locked the pool and checked "no device presents a CallerID from it"; the device's
  // pool choice read the pool without a lock, so a device given the pool at once kept a deleted one.
  it('numberPools.delete and devices.setCallerIdPools naming the pool: one wins', async () => {
    const user = await createUser(api.handle);
    const devices: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) devices.push((await admin().devices.create.mutate({ userId: user.id })).id);
    await raceDeleteAndUse({
      make: async (round, i) => (await admin().numberPools.create.mutate({ name: `np-${round}-${i}` }))!.id,
      del: (id) => admin().numberPools.delete.mutate({ id }),
      use: (id, i) => admin().devices.setCallerIdPools.mutate({ id: devices[i]!, numberPoolId: id }),
      settle: ['number_pools', 'devices', 'callerid_number_pool_id'],
      gone: 'NOT_FOUND: Number Pool was not found',
      inUse: 'CONFLICT: Number Pool was not deleted',
    });
  });

  // Card group writes checked their tariff and LCR before their transaction, without a lock: a group
  // given the tariff or LCR at once kept a deleted one (deleteTariff did not look at card groups at all).
  for (const kind of ['tariff', 'lcr'] as const) {
    it(`${kind}s.delete and cardGroups.update giving the ${kind}: one wins`, async () => {
      const groups: number[] = [];
      for (let i = 0; i < AT_ONCE; i++) {
        groups.push((await admin().cardGroups.create.mutate({ name: `cg-${kind}-${i}` })).id);
      }
      await raceDeleteAndUse({
        make: async (round, i) => {
          const name = `cg-${round}-${i}`;
          return kind === 'tariff'
            ? (await admin().tariffs.create.mutate({ name, purpose: 'user' })).id
            : (await admin().lcrs.create.mutate({ name })).id;
        },
        del: (id) => (kind === 'tariff' ? admin().tariffs.delete.mutate({ id }) : admin().lcrs.delete.mutate({ id })),
        use: (id, i) =>
          admin().cardGroups.update.mutate({
            id: groups[i]!,
            ...(kind === 'tariff' ? { tariffId: id } : { lcrId: id }),
          }),
        settle: [`${kind}s`, 'cardgroups', `${kind}_id`],
        gone: kind === 'tariff' ? 'BAD_REQUEST: Tariff was not found' : 'BAD_REQUEST: LCR was not found',
        inUse:
          kind === 'tariff'
            ? 'CONFLICT: Tariff is assigned to users'
            : 'BAD_REQUEST: LCR was not deleted: LCR is in use',
      });
    });
  }

  // deleteDestinationGroup checked "no retail or custom rate prices it" without locking the group, and
  // customRates.set read the group before its transaction: a custom rate set at once kept a deleted group.
  it('destinationGroups.delete and customRates.set pricing the group: one wins', async () => {
    const retail = await admin().tariffs.create.mutate({ name: 'dg-retail', purpose: 'user' });
    const users: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) {
      const { id } = await createUser(api.handle);
      await setUserTariff(api.handle, id, retail.id);
      users.push(id);
    }
    await raceDeleteAndUse({
      make: async (round, i) => (await admin().destinationGroups.create.mutate({ name: `dg-${round}-${i}` })).id,
      del: (id) => admin().destinationGroups.delete.mutate({ id }),
      use: (id, i) =>
        admin().customRates.set.mutate({ userId: users[i]!, destinationGroupId: id, bands: [{ price: '1' }] }),
      settle: ['destinationgroups', 'customrates', 'destinationgroup_id'],
      gone: 'NOT_FOUND: destination_group',
      inUse: 'CONFLICT: Destination group has retail or custom rates',
    });
  });

  // planRetailImport read the destination groups without a lock: a retail import pricing a group while
  // the group was deleted wrote retail rates for a deleted group. Sent together the delete always ran
  // first (the import parses XML), so the delete starts once the import has read destinationgroups.
  it('destinationGroups.delete and tariff_retail_import pricing the group: one wins', async () => {
    const band =
      '<rates><rate_price>0.1</rate_price><rate_round_by>1</rate_round_by><rate_type>minute</rate_type>' +
      '<rate_start_time>00:00:00</rate_start_time><rate_end_time>23:59:59</rate_end_time>' +
      '<rate_duration>-1</rate_duration><day_type></day_type></rates>';
    const xml = (tariff: string, group: string) =>
      `<tariff><name>${tariff}</name><id>new</id><destinations><destination><direction/>` +
      `<destination_group_name>${group}</destination_group_name><destination_group_type></destination_group_type>` +
      `${band}</destination></destinations></tariff>`;
    for (let round = 0; round < ROUNDS; round++) {
      const { id } = await admin().destinationGroups.create.mutate({ name: `ri-${round}` });
      await admin().destinations.create.mutate({ prefix: `99${round}`, name: 'd', destinationGroupId: id });
      let settledImport = false;
      const imported = api
        .call('tariff_retail_import', { u: 'admin', xml: xml(`rt-${round}`, `ri-${round}`) }, { as: 'form' })
        .then(({ body }) =>
          body.includes('<bad_destinations>') ? 'bad destination' : body.includes('<tariff_id>') ? 'ok' : body,
        )
        .finally(() => {
          settledImport = true;
        });
      await untilAnotherSessionLocks(api.handle.db, 'destinationgroups', () => settledImport);
      const del = await outcome(admin().destinationGroups.delete.mutate({ id }));
      const assign = await imported;
      expectOneWins(
        [del, assign],
        await settled('destinationgroups', id, 'rates', 'destinationgroup_id'),
        'bad destination',
        'Destination group has retail or custom rates',
      );
    }
  });

  // conflines_update checked default_user_tariff_id and default_device_location_id without a lock: a
  // delete issued once the check had read the row went through and the setting named a deleted row.
  const defaultSettings = {
    default_user_tariff_id: {
      table: 'tariffs',
      make: async (round: number) => (await admin().tariffs.create.mutate({ name: `du-${round}`, purpose: 'user' })).id,
      del: (id: number) => admin().tariffs.delete.mutate({ id }),
      inUse: 'Tariff is assigned to users',
    },
    default_device_location_id: {
      table: 'locations',
      make: async (round: number) => (await admin().locations.create.mutate({ name: `dl-${round}` })).id,
      del: (id: number) => admin().locations.delete.mutate({ id }),
      inUse: 'Location is in use',
    },
  } as const;
  for (const [setting, { table, make, del, inUse }] of Object.entries(defaultSettings)) {
    it(`${table}.delete and conflines_update naming the row as ${setting}: one wins`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await make(round);
        let settledSet = false;
        const set = api
          .call('conflines_update', { u: 'admin', [setting]: String(id) })
          .then(({ body }) =>
            body.includes(`${setting} was not found`) ? 'not found' : body.includes('<error') ? body : 'ok',
          )
          .finally(() => {
            settledSet = true;
          });
        await untilAnotherSessionLocks(api.handle.db, table, () => settledSet);
        const deleted = await outcome(del(id));
        const assign = await set;
        const [state] = await queryRows<{ exists: boolean; used: number }>(
          api.handle.db,
          sql`select exists (select 1 from ${sql.raw(table)} where id = ${id}::int) as exists,
            (select count(*)::int from conflines where name = ${setting} and value = ${String(id)}) as used`,
        );
        expectOneWins([deleted, assign], state!, 'not found', inUse);
      }
    });
  }
});
