import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import type { UpsertRates } from '../../src/domain/rating/rates/upsertRates.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createReseller, createTariff, createUser, setConflines, setUserTariff } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

describe('tariffs.*', () => {
  it('creates, reads, renames, lists and deletes tariffs over the typed client', async () => {
    const created = await admin().tariffs.create.mutate({ name: 'Gold', purpose: 'user_wholesale' });
    expect(created).toMatchObject({
      name: 'Gold',
      purpose: 'user_wholesale',
      ownerId: 0,
      currency: 'USD',
      ratesCount: 0,
    });
    expect(created.lastUpdateDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await admin().tariffs.get.query({ id: created.id })).toEqual(created);
    const renamed = await admin().tariffs.update.mutate({ id: created.id, name: 'Gold 2' });
    expect(renamed.name).toBe('Gold 2');
    expect((await admin().tariffs.list.query({ search: 'gold' })).map((t) => t.name)).toEqual(['Gold 2']);
    expect(await admin().tariffs.delete.mutate({ id: created.id })).toEqual({ deleted: true });
    expect((await trpcError(() => callerAs(api, 'admin').then((c) => c.tariffs.get({ id: created.id })))).code).toBe(
      'NOT_FOUND',
    );
  });

  it("counts each tariff's own rates in list, get and update", async () => {
    const caller = await callerAs(api, 'admin');
    const counts = [0, 1, 2, 3, 4, 150];
    const made = [];
    for (const n of counts) {
      const t = await caller.tariffs.create({ name: `Count ${n}`, purpose: 'user_wholesale' });
      const rates = Array.from({ length: n }, (_, i) => ({ prefix: String(370_000 + i), price: '0.1' }));
      if (n > 0) await caller.rates.upsertMany({ tariffId: t.id, rates });
      made.push(t.id);
    }
    const listed = await caller.tariffs.list({ search: 'Count ' });
    expect(listed.map((t) => [t.name, t.ratesCount])).toEqual(
      [...counts].sort((a, b) => String(a).localeCompare(String(b))).map((n) => [`Count ${n}`, n]),
    );
    expect((await caller.tariffs.get({ id: made[5] as number })).ratesCount).toBe(150);
    expect((await caller.tariffs.update({ id: made[3] as number, name: 'Count 3b' })).ratesCount).toBe(3);
  });

  it('refuses duplicate names per owner, unknown currencies and deleting a tariff in use', async () => {
    const caller = await callerAs(api, 'admin');
    const t = await caller.tariffs.create({ name: 'Dup', purpose: 'user' });
    const dup = await trpcError(() => caller.tariffs.create({ name: 'Dup', purpose: 'user', currency: 'XXX' }));
    expect([dup.code, dup.message]).toEqual([
      'BAD_REQUEST',
      'Tariff name must be unique; Tariff currency was not found',
    ]);
    const user = await createUser(api.handle);
    await setUserTariff(api.handle, user.id, t.id);
    expect((await trpcError(() => caller.tariffs.delete({ id: t.id }))).code).toBe('CONFLICT');
  });

  it('refuses deleting a tariff a provider, a provider rule or a location rule uses, until it no longer does', async () => {
    const caller = await callerAs(api, 'admin');
    const refusal = async (id: number) => {
      const e = await trpcError(() => caller.tariffs.delete({ id }));
      return [e.code, (e.cause as DomainError).detail, e.message];
    };
    const selfCost = await createTariff(api.handle, { purpose: 'provider' });
    const other = await createTariff(api.handle, { purpose: 'provider' });
    const provider = await caller.providers.create({ name: 'Priced', tech: 'SIP', tariffId: String(selfCost.id) });
    expect(await refusal(selfCost.id)).toEqual(['CONFLICT', 'tariff_in_use', 'Tariff is assigned to providers']);
    await caller.providers.update({ id: provider.id, tariffId: String(other.id) });
    expect(await caller.tariffs.delete({ id: selfCost.id })).toEqual({ deleted: true });

    const switched = await createTariff(api.handle, { purpose: 'provider' });
    const rule = await caller.providerRules.create({
      providerId: provider.id,
      name: 'r',
      cut: '00',
      tariffId: String(switched.id),
    });
    expect(await refusal(switched.id)).toEqual(['CONFLICT', 'tariff_in_use', 'Tariff is assigned to providers']);
    await caller.providerRules.delete({ id: rule.id });
    expect(await caller.tariffs.delete({ id: switched.id })).toEqual({ deleted: true });

    const retail = await caller.tariffs.create({ name: 'Rule retail', purpose: 'user' });
    const { id: locationId } = await caller.locations.create({ name: 'Tariff rules' });
    const lr = await caller.locationRules.create({ locationId, name: 'lr', cut: '370', tariffId: String(retail.id) });
    expect(await refusal(retail.id)).toEqual(['CONFLICT', 'tariff_in_use', 'Tariff is used by location rules']);
    await caller.locationRules.update({ id: lr.id, tariffId: '-1' });
    expect(await caller.tariffs.delete({ id: retail.id })).toEqual({ deleted: true });
  });

  it("scopes resellers to their own tariffs (admin's user tariffs read-only and only when allowed)", async () => {
    const a = await createReseller(api.handle);
    const b = await createReseller(api.handle);
    const adminRetail = await createTariff(api.handle, { name: 'Admin retail', purpose: 'user' });
    const adminProvider = await createTariff(api.handle, { name: 'Admin provider', purpose: 'provider' });
    const asA = await callerAs(api, a.username);
    const asB = await callerAs(api, b.username);
    const mine = await asA.tariffs.create({ name: 'Gold', purpose: 'user_wholesale' });
    expect(mine.ownerId).toBe(a.id);
    expect((await asA.tariffs.list({})).map((t) => t.name)).toEqual(['Gold']);
    expect((await trpcError(() => asB.tariffs.get({ id: mine.id }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => asB.tariffs.update({ id: mine.id, name: 'x' }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => asA.tariffs.create({ name: 'P', purpose: 'provider' }))).code).toBe('FORBIDDEN');
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '1' });
    const names = (await asA.tariffs.list({})).map((t) => t.id);
    expect(names).toContain(adminRetail.id);
    expect(names).not.toContain(adminProvider.id);
    expect((await trpcError(() => asA.tariffs.update({ id: adminRetail.id, name: 'mine now' }))).code).toBe(
      'NOT_FOUND',
    );
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '0' });
    const user = await createUser(api.handle);
    expect((await trpcError(() => callerAs(api, user.username).then((c) => c.tariffs.list({})))).code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('rates.*', () => {
  it('refreshes the planner statistics after a bulk load (10,000 rates), not after a small one', async () => {
    const analyzed = async () =>
      (
        await queryRows<{ n: number }>(
          api.handle.db,
          sql`select coalesce(max(analyze_count), 0)::int as n from pg_stat_user_tables where relname = 'rates'`,
        )
      )[0]!.n;
    const t = await createTariff(api.handle);
    const before = await analyzed();
    await admin().rates.upsertMany.mutate({ tariffId: t.id, rates: [{ prefix: '5500', price: '0.1' }] });
    expect(await analyzed()).toBe(before);
    const rates = Array.from({ length: 10_000 }, (_, i) => ({ prefix: String(560_000 + i), price: '0.2' }));
    await admin().rates.upsertMany.mutate({ tariffId: t.id, rates });
    // The statistics collector may report a moment later.
    for (let i = 0; i < 50 && (await analyzed()) === before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await analyzed()).toBeGreaterThan(before);
  });

  it('leaves one band per rate when upserts of the same prefixes race (the tariff row serialises them)', async () => {
    const admin = await callerAs(api, 'admin');
    const { id } = await createTariff(api.handle);
    const prefixes = ['4470', '4471', '4472'];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        admin.rates.upsertMany({ tariffId: id, rates: prefixes.map((prefix) => ({ prefix, price: `0.${i}` })) }),
      ),
    );
    const bands = await queryRows<{ prefix: string; n: number }>(
      api.handle.db,
      sql`select r.prefix, count(b.id)::int as n from rates r left join ratedetails b on b.rate_id = r.id
        where r.tariff_id = ${id} group by r.prefix order by r.prefix`,
    );
    expect(bands).toEqual(prefixes.map((prefix) => ({ prefix, n: 1 })));
  });

  it('upserts many rates (money as strings), pages and searches them, deletes some', async () => {
    const caller = await callerAs(api, 'admin');
    const t = await caller.tariffs.create({ name: 'Paged', purpose: 'user_wholesale' });
    const rates: UpsertRates['rates'] = Array.from({ length: 30 }, (_, i) => ({
      prefix: String(4400 + i),
      price: `0.0${i % 10}1`,
    }));
    rates.push({
      prefix: '4400',
      price: '0.5',
      effectiveFrom: '2031-01-01T00:00:00Z',
      connectionFee: '0.1',
      increment: 60,
      minTime: 30,
      destination: 'UK',
    } as never);
    expect(await admin().rates.upsertMany.mutate({ tariffId: t.id, rates })).toEqual({ upserted: 31 });
    const page = await caller.rates.list({ tariffId: t.id, limit: 2, offset: 0 });
    expect(page.total).toBe(31);
    expect(page.items).toEqual([
      expect.objectContaining({
        prefix: '4400',
        price: '0.001',
        connectionFee: '0',
        increment: 1,
        minTime: 0,
        effectiveFrom: null,
      }),
      expect.objectContaining({
        prefix: '4400',
        price: '0.5',
        connectionFee: '0.1',
        increment: 60,
        minTime: 30,
        effectiveFrom: '2031-01-01T00:00:00Z',
      }),
    ]);
    expect((await caller.rates.list({ tariffId: t.id, prefix: '4402' })).items.map((r) => r.prefix)).toEqual(
      ['4402', '44020'.slice(0, 4)].slice(0, 1),
    );
    // Upsert replaces the band of an existing prefix + date.
    await caller.rates.upsertMany({ tariffId: t.id, rates: [{ prefix: '4401', price: '0.9' }] });
    expect((await caller.rates.list({ tariffId: t.id, prefix: '4401' })).items.map((r) => r.price)).toEqual(['0.9']);
    expect(await caller.rates.delete({ tariffId: t.id, prefixes: ['4400'], ids: [] })).toEqual({ deleted: 2 });
    expect((await caller.rates.list({ tariffId: t.id })).total).toBe(29);
  });

  it('is all-or-nothing: every bad row is reported and the old rates stay', async () => {
    const caller = await callerAs(api, 'admin');
    const t = await caller.tariffs.create({ name: 'Atomic', purpose: 'provider' });
    await caller.rates.upsertMany({ tariffId: t.id, rates: [{ prefix: '1', price: '0.1' }] });
    const error = await trpcError(() =>
      caller.rates.upsertMany({
        tariffId: t.id,
        rates: [
          { prefix: '1', price: '0.2' },
          { prefix: '2', price: '0.2', effectiveFrom: 'tomorrow' },
          { prefix: '1', price: '0.3' },
        ],
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe(
      'row 2: effectiveFrom must be an ISO 8601 date-time; row 3: duplicate of row 1 (same prefix and effective date)',
    );
    expect((await caller.rates.list({ tariffId: t.id })).items.map((r) => `${r.prefix}=${r.price}`)).toEqual(['1=0.1']);
    const retail = await caller.tariffs.create({ name: 'Retail R', purpose: 'user' });
    expect((await trpcError(() => caller.rates.upsertMany({ tariffId: retail.id, rates: [] }))).code).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('planner statistics after bulk rate writes', () => {
  it('analyzes rates, ratedetails and destinations after a large upsert, so lookups probe the prefix index', async () => {
    const caller = await callerAs(api, 'admin');
    const t = await caller.tariffs.create({ name: 'Bulk statistics', purpose: 'user_wholesale' });
    const rates = Array.from({ length: 2_500 }, (_, i) => ({ prefix: String(480_000 + i), price: '0.1' }));
    await caller.rates.upsertMany({ tariffId: t.id, rates });
    const seen = await queryRows<{ name: string; tuples: number }>(
      api.handle.db,
      sql`select relname as name, reltuples::int as tuples from pg_class
        where oid in ('rates'::regclass, 'ratedetails'::regclass, 'destinations'::regclass) order by relname`,
    );
    // Before: -1 (never analyzed) until autovacuum came by; the planner then scanned every rate of
    // the tariff per looked-up number.
    for (const s of seen) expect(s.tuples, s.name).toBeGreaterThanOrEqual(2_500);
    const plan = await queryRows<{ 'QUERY PLAN': string }>(
      api.handle.db,
      sql`explain select id from rates where tariff_id = ${t.id}::int and prefix = any('{4,48,480,4800,48000,480001}'::text[])`,
    );
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toContain('rates_tariff_prefix_idx');
  });
});
