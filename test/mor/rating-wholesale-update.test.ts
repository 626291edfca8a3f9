import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { tariffs } from '../../src/db/schema/rating.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createCurrency, createReseller, createTariff, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const H = { hashOf: ['id', 'name', 'currency'] } as const;
const call = (params: Record<string, string>, options = {}) =>
  api.call('tariff_wholesale_update', params, { ...H, ...options });
const created = (id: number) => `${XML_DECL}\n<page>\n  <status>ok</status>\n  <tariff_id>${id}</tariff_id>\n</page>\n`;
const updated = `${XML_DECL}\n<page>\n  <status>ok</status>\n</page>\n`;
const problems = (...messages: string[]) =>
  `${XML_DECL}\n<response>\n  <error>\n${messages.map((m) => `    <message>${m}</message>\n`).join('')}  </error>\n</response>\n`;
const tariffNamed = async (name: string) =>
  (await api.handle.db.select().from(tariffs).where(eq(tariffs.name, name)))[0];
const idOf = (body: string) => Number(/<tariff_id>(\d+)</.exec(body)?.[1]);
const ratesOf = (tariffId: number) =>
  queryRows<{ prefix: string; price: string; fee: string; increment_s: number; min_time: number }>(
    api.handle.db,
    sql`select r.prefix, d.rate::text as price, d.connection_fee::text as fee, d.increment_s, d.min_time
        from rates r join ratedetails d on d.rate_id = r.id where r.tariff_id = ${tariffId} order by r.prefix`,
  );

describe('tariff_wholesale_update', () => {
  it('creates a user wholesale tariff in the system currency when id is absent', async () => {
    const res = await call({ u: 'admin', name: 'WS One', test: '1' });
    const row = await tariffNamed('WS One');
    expect(res.body).toBe(created(row!.id));
    expect([row?.purpose, row?.ownerId, row?.currency]).toEqual(['user_wholesale', 0, 'USD']);
  });

  it('updates name and currency under the alias wholesale_tariff; hash order id, name, currency', async () => {
    await createCurrency(api.handle, 'EUR', '0.9');
    const { id } = await createTariff(api.handle, { name: 'WS Two' });
    const params = { u: 'admin', id: String(id), name: 'WS Two b', currency: 'EUR' };
    expect((await api.call('wholesale_tariff', params, { hashOf: ['name', 'id', 'currency'] })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect((await api.call('wholesale_tariff', params, H)).body).toBe(updated);
    expect((await tariffNamed('WS Two b'))?.currency).toBe('EUR');
  });

  it('reports every failed rule as a <message>, in order, and writes nothing', async () => {
    await createTariff(api.handle, { name: 'Taken' });
    expect((await call({ u: 'admin' })).body).toBe(problems('Tariff name cannot be empty'));
    expect((await call({ u: 'admin', name: 'Taken', currency: 'XXX' })).body).toBe(
      problems('Tariff name must be unique', 'Tariff currency was not found'),
    );
    expect((await call({ u: 'admin', name: '', currency: 'XXX' })).body).toBe(
      problems('Tariff name cannot be empty', 'Tariff currency was not found'),
    );
  });

  it('answers Tariff not found for ids that are not the caller realm user wholesale tariffs', async () => {
    const retail = await createTariff(api.handle, { name: 'Retail x', purpose: 'user' });
    const reseller = await createReseller(api.handle, 'r-key-12345');
    const theirs = await createTariff(api.handle, { name: 'Theirs', ownerId: reseller.id });
    for (const id of ['0', 'abc', '999999', String(retail.id), String(theirs.id)]) {
      expect((await call({ u: 'admin', id, name: 'n' })).body).toBe(pageErrorXml('Tariff not found'));
    }
  });

  it('answers Bad login for an unknown caller and Access Denied for users and accountants without the right', async () => {
    const user = await createUser(api.handle);
    const reader = await createAccountant(api.handle, { tariffs_manage: 1 });
    expect((await call({ u: 'nobody', name: 'x' })).body).toBe(pageErrorXml('Bad login'));
    expect((await call({ u: user.username, name: 'x' })).body).toBe(pageErrorXml('Access Denied'));
    expect((await call({ u: reader.username, name: 'x' })).body).toBe(pageErrorXml('Access Denied'));
  });

  it("creates accountants' tariffs for the admin and resellers' for themselves (names unique per owner)", async () => {
    const writer = await createAccountant(api.handle, { tariffs_manage: 2 });
    expect(idOf((await call({ u: writer.username, name: 'Acc WS' })).body)).toBeGreaterThan(0);
    expect((await tariffNamed('Acc WS'))?.ownerId).toBe(0);
    const a = await createReseller(api.handle, 'a-key-12345');
    const b = await createReseller(api.handle, 'b-key-12345');
    const res = await call({ u: a.username, name: 'Acc WS' }, { key: 'a-key-12345' });
    const mine = (await api.handle.db.select().from(tariffs).where(eq(tariffs.ownerId, a.id)))[0];
    expect(res.body).toBe(created(mine!.id));
    expect((await call({ u: b.username, id: String(mine!.id), name: 'stolen' }, { key: 'b-key-12345' })).body).toBe(
      pageErrorXml('Tariff not found'),
    );
  });
});

describe('tariff_wholesale_update with rates (openmor extension)', () => {
  const csv = 'prefix,price,connection_fee,increment,min_time\n370,0.987,0.1,60,30\n37068,0.05\n';

  it('creates a tariff with rates from a form field, creating missing destinations', async () => {
    const res = await call({ u: 'admin', name: 'With rates', rates: csv }, { as: 'form' });
    const id = idOf(res.body);
    expect(res.body).toBe(created(id));
    expect(await ratesOf(id)).toEqual([
      { prefix: '370', price: '0.987', fee: '0.1', increment_s: 60, min_time: 30 },
      { prefix: '37068', price: '0.05', fee: '0', increment_s: 1, min_time: 0 },
    ]);
  });

  it('upserts from an uploaded file: changed prices replace the band, new prefixes are added', async () => {
    const id = (await tariffNamed('With rates'))!.id;
    const form = new FormData();
    for (const [k, v] of Object.entries({ u: 'admin', id: String(id) })) form.set(k, v);
    form.set('rates', new File(['370;0.5\n44;0.02;;;;;UK'], 'rates.csv', { type: 'text/csv' }));
    form.set('hash', await api.hash({ id: String(id) }, ['id']));
    const response = await api.app.app.request('http://openmor.test/billing/api/tariff_wholesale_update', {
      method: 'POST',
      body: form,
    });
    expect(await response.text()).toBe(updated);
    expect((await ratesOf(id)).map((r) => `${r.prefix}=${r.price}`)).toEqual(['370=0.5', '37068=0.05', '44=0.02']);
  });

  it('is all-or-nothing: row-level messages, the old rates intact, no tariff created', async () => {
    const id = (await tariffNamed('With rates'))!.id;
    const bad = '370,0.1\nabc,0.1\n371,-1\n370,0.2\n';
    const res = await call({ u: 'admin', id: String(id), rates: bad }, { as: 'form' });
    expect(res.body).toBe(
      problems(
        'row 2: prefix must be 1-20 digits',
        'row 3: price must be a non-negative decimal like 0.05',
        'row 4: duplicate of row 1 (same prefix and effective date)',
      ),
    );
    expect((await ratesOf(id)).map((r) => `${r.prefix}=${r.price}`)).toEqual(['370=0.5', '37068=0.05', '44=0.02']);
    expect((await call({ u: 'admin', name: 'Never', rates: bad }, { as: 'form' })).body).toContain('<message>');
    expect(await tariffNamed('Never')).toBeUndefined();
  });
});
