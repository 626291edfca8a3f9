import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { destinations } from '../../src/db/schema/rating.ts';
import { EXPORT_PAGE } from '../../src/domain/rating/getTariffRates.ts';
import { renderXml, type XmlNode } from '../../src/mor/xml.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  createAccountant,
  createCurrency,
  createCustomRate,
  createDestinationGroup,
  createReseller,
  createRetailRate,
  createTariff,
  createUser,
  createWholesaleRate,
  setConflines,
  setUserTariff,
} from '../helpers/factories.ts';

const api = useTestApp();
const H = { hashOf: ['user_id', 'tariff_id'] } as const;
const call = (params: Record<string, string>, options = {}) =>
  api.call('tariff_rates_get', params, { ...H, ...options });
const NOT_FOUND = pageErrorXml('No tariff found');

let wholesale: number;
let retail: number;
let provider: number;
let retailUser: { id: number; username: string };

const wholesaleXml = `${XML_DECL}
<page>
  <pagename>Tariff</pagename>
  <tariff_name>Wholesale B</tariff_name>
  <purpose>user_wholesale</purpose>
  <currency>USD</currency>
  <rates>
    <rate>
      <direction>Lithuania</direction>
      <destination>Mobile Bite</destination>
      <prefix>370685</prefix>
      <subcode>MOB</subcode>
      <code>LTU</code>
      <tariff_rate>0.05</tariff_rate>
      <con_fee>0</con_fee>
      <increment>1</increment>
      <min_time>0</min_time>
      <start_time>00:00:00</start_time>
      <end_time>23:59:59</end_time>
      <daytype></daytype>
      <effective_from></effective_from>
    </rate>
    <rate>
      <direction>Lithuania</direction>
      <destination>Mobile Bite</destination>
      <prefix>370685</prefix>
      <subcode>MOB</subcode>
      <code>LTU</code>
      <tariff_rate>0.04</tariff_rate>
      <con_fee>0.1</con_fee>
      <increment>60</increment>
      <min_time>30</min_time>
      <start_time>00:00:00</start_time>
      <end_time>23:59:59</end_time>
      <daytype></daytype>
      <effective_from>2031-01-02 03:04:05</effective_from>
    </rate>
  </rates>
</page>
`;

const band = (price: string, duration: string, from: number) => `      <rate>
        <duration>${duration}</duration>
        <type>minute</type>
        <round_by>1</round_by>
        <tariff_rate>${price}</tariff_rate>
        <start_time>00:00:00</start_time>
        <end_time>23:59:59</end_time>
        <daytype></daytype>
        <from>${from}</from>
      </rate>
`;

const retailXml = `${XML_DECL}
<page>
  <pagename>Tariff</pagename>
  <tariff_name>Retail A</tariff_name>
  <purpose>user</purpose>
  <currency>EUR</currency>
  <rates>
    <destination>
      <destination_group_name>Albania MOB</destination_group_name>
      <destination_group_type>MOB</destination_group_type>
${band('0.1', '60', 1)}${band('0.05', 'Infinity', 61)}    </destination>
  </rates>
  <custom_rates>
    <currency>EUR</currency>
    <destination>
      <destination_group_name>Albania MOB</destination_group_name>
      <destination_group_type>MOB</destination_group_type>
${band('0.07', 'Infinity', 1)}    </destination>
  </custom_rates>
</page>
`;

beforeAll(async () => {
  const eur = await createCurrency(api.handle, 'EUR', '0.9');
  wholesale = (await createTariff(api.handle, { name: 'Wholesale B' })).id;
  await createWholesaleRate(api.handle, wholesale, { prefix: '370685', name: 'Mobile Bite', price: '0.05' });
  await api.handle.db
    .update(destinations)
    .set({ directionCode: 'LTU', subcode: 'MOB' })
    .where(eq(destinations.prefix, '370685'));
  await createWholesaleRate(api.handle, wholesale, {
    prefix: '370685',
    price: '0.04',
    connectionFee: '0.1',
    increment: 60,
    minTime: 30,
    effectiveFrom: new Date('2031-01-02T03:04:05Z'),
  });
  retail = (await createTariff(api.handle, { name: 'Retail A', purpose: 'user', currency: 'EUR' })).id;
  const group = await createDestinationGroup(api.handle, 'Albania MOB', 'MOB');
  await createRetailRate(api.handle, retail, group.id, [
    { price: '0.1', duration: 60 },
    { price: '0.05', from: 61 },
  ]);
  retailUser = await createUser(api.handle, { currencyId: eur.id });
  await setUserTariff(api.handle, retailUser.id, retail);
  await createCustomRate(api.handle, retailUser.id, group.id, [{ price: '0.07' }]);
  provider = (await createTariff(api.handle, { name: 'Provider', purpose: 'provider' })).id;
});

describe('tariff_rates_get', () => {
  it('exports a wholesale tariff by tariff_id, dated rows included', async () => {
    expect((await call({ u: 'admin', tariff_id: String(wholesale) })).body).toBe(wholesaleXml);
  });

  it('sends the document gzip-encoded when the client accepts gzip, plain otherwise', async () => {
    const hash = await api.hash({ tariff_id: String(wholesale) }, H.hashOf);
    const res = await api.app.app.request(`/billing/api/tariff_rates_get?u=admin&tariff_id=${wholesale}&hash=${hash}`, {
      method: 'POST',
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const plain = await new Response(res.body!.pipeThrough(new DecompressionStream('gzip'))).text();
    expect(plain).toBe(wholesaleXml);
    const unzipped = await call({ u: 'admin', tariff_id: String(wholesale) });
    expect(unzipped.headers.get('content-encoding')).toBeNull();
    // error documents of this method are encoded the same way
    const err = await api.app.app.request('/billing/api/tariff_rates_get?u=admin&hash=x', {
      method: 'POST',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(err.headers.get('content-encoding')).toBe('gzip');
    expect(await new Response(err.body!.pipeThrough(new DecompressionStream('gzip'))).text()).toContain(
      '<error>Incorrect hash</error>',
    );
  });

  it("exports a user's retail tariff and its custom rates by user_id, under the alias get_tariff", async () => {
    const res = await api.call('get_tariff', { u: 'admin', user_id: String(retailUser.id) }, H);
    expect(res.body).toBe(retailXml);
  });

  it('hashes user_id then tariff_id (Dec 2011 example: "123100456789"); user_id wins', async () => {
    await setConflines(api.handle, 0, { api_secret_key: '456789' });
    api.changed();
    const doc = await call(
      { u: 'admin', user_id: '123', tariff_id: '100' },
      { hash: 'b1bef44691c237b574263e09b2838ad1e658e507' },
    );
    const swapped = await call(
      { u: 'admin', user_id: '123', tariff_id: '100' },
      { hashOf: ['tariff_id', 'user_id'], key: '456789' },
    );
    await setConflines(api.handle, 0, { api_secret_key: 'secret' });
    api.changed();
    expect(doc.body).toBe(NOT_FOUND);
    expect(swapped.body).toBe(statusErrorXml('Incorrect hash'));
    const both = await call({ u: 'admin', user_id: String(retailUser.id), tariff_id: String(wholesale) });
    expect(both.body).toBe(retailXml);
  });

  it('answers Bad login for an unknown caller and No tariff found when nothing resolves', async () => {
    expect((await call({ u: 'nobody' })).body).toBe(pageErrorXml('Bad login'));
    expect((await call({ u: 'admin' })).body).toBe(NOT_FOUND);
    expect((await call({ u: 'admin', tariff_id: '99999' })).body).toBe(NOT_FOUND);
    expect((await call({ u: 'admin', tariff_id: 'abc' })).body).toBe(NOT_FOUND);
  });

  it('refuses GET until Allow GET API is on', async () => {
    const params = { u: 'admin', tariff_id: String(wholesale) };
    expect((await call(params, { verb: 'GET' })).body).toBe(statusErrorXml('GET Requests are disabled'));
    await setConflines(api.handle, 0, { allow_get_api: '1' });
    api.changed();
    const res = await call(params, { verb: 'GET' });
    await setConflines(api.handle, 0, { allow_get_api: '0' });
    api.changed();
    expect(res.body).toBe(wholesaleXml);
  });

  it('gives a simple user its own tariff whatever tariff_id or user_id it sends', async () => {
    const other = await createUser(api.handle);
    const res = await call({ u: retailUser.username, user_id: String(other.id), tariff_id: String(wholesale) });
    expect(res.body).toBe(retailXml);
  });

  it('lets an accountant with Manage Tariffs read admin users by user_id; tariff_id alone is ignored', async () => {
    const ok = await createAccountant(api.handle, { tariffs_manage: 1 });
    const no = await createAccountant(api.handle, {});
    expect((await call({ u: ok.username, user_id: String(retailUser.id) })).body).toBe(retailXml);
    expect((await call({ u: ok.username, tariff_id: String(wholesale) })).body).toBe(NOT_FOUND);
    expect((await call({ u: no.username, user_id: String(retailUser.id) })).body).toBe(NOT_FOUND);
  });

  it('keeps resellers to their own tariffs and users; admin user tariffs only when allowed, provider never', async () => {
    const a = await createReseller(api.handle, 'key-a-123456');
    const b = await createReseller(api.handle, 'key-b-123456');
    const own = await createTariff(api.handle, { name: 'Own', ownerId: a.id });
    const aUser = await createUser(api.handle, { ownerId: a.id });
    await setUserTariff(api.handle, aUser.id, own.id);
    const asA = (p: Record<string, string>) => call({ u: a.username, ...p }, { key: 'key-a-123456' });
    const asB = (p: Record<string, string>) => call({ u: b.username, ...p }, { key: 'key-b-123456' });
    expect((await asA({ tariff_id: String(own.id) })).body).toContain('<tariff_name>Own</tariff_name>');
    expect((await asA({ user_id: String(aUser.id) })).body).toContain('<tariff_name>Own</tariff_name>');
    expect((await asB({ tariff_id: String(own.id) })).body).toBe(NOT_FOUND);
    expect((await asB({ user_id: String(aUser.id) })).body).toBe(NOT_FOUND);
    expect((await asA({ tariff_id: String(wholesale) })).body).toBe(NOT_FOUND);
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '1' });
    api.changed();
    expect((await asA({ tariff_id: String(wholesale) })).body).toBe(wholesaleXml);
    expect((await asA({ tariff_id: String(provider) })).body).toBe(NOT_FOUND);
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '0' });
    api.changed();
  });
});

describe('tariff_rates_get streaming (large tariffs)', () => {
  /** The whole export as one statement in the documented order, rendered by renderXml: the reference. */
  async function reference(tariffId: number, name: string): Promise<string> {
    const list = await queryRows<XmlNode>(
      api.handle.db,
      sql`select coalesce(dr.name, '') as direction,
        coalesce(ds.name, '') as destination, r.prefix, coalesce(ds.subcode, '') as subcode,
        coalesce(ds.direction_code, '') as code, b.rate::text as tariff_rate, b.connection_fee::text as con_fee,
        b.increment_s::text as increment, b.min_time::text as min_time, b.start_time::text as start_time,
        b.end_time::text as end_time, b.daytype,
        coalesce(to_char(r.effective_from at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '') as effective_from
      from rates r join ratedetails b on b.rate_id = r.id left join destinations ds on ds.id = r.destination_id
        left join directions dr on dr.code = ds.direction_code
      where r.tariff_id = ${tariffId}
      order by 1, r.prefix, r.effective_from nulls first, case b.daytype when '' then 0 when 'WD' then 1 else 2 end,
        b.start_time, b.id`,
    );
    return renderXml({
      page: {
        pagename: 'Tariff',
        tariff_name: name,
        purpose: 'user_wholesale',
        currency: 'USD',
        rates: list.length === 0 ? '' : { rate: list },
      },
    });
  }

  it('streams a tariff of several pages byte for byte as one document would print', async () => {
    const t = await createTariff(api.handle, { name: 'Big & <wide>' });
    // 2.5 pages of rates, over two directions and none; some dated, some with two bands.
    await api.handle.db.execute(sql`insert into destinations (prefix, name, direction_code)
      select (500000 + i)::text, 'Dest ' || i, case i % 3 when 0 then 'ALA' when 1 then 'LTU' else '' end
      from generate_series(0, ${EXPORT_PAGE * 2 + EXPORT_PAGE / 2 - 1}) i on conflict do nothing`);
    await api.handle.db.execute(sql`insert into rates (tariff_id, destination_id, prefix, effective_from)
      select ${t.id}, d.id, d.prefix, case when d.id % 7 = 0 then '2030-01-01T00:00:00Z'::timestamptz end
      from destinations d where d.prefix like '5%' and length(d.prefix) = 6`);
    await api.handle.db.execute(sql`insert into ratedetails (rate_id, rate, daytype)
      select r.id, (r.id % 97) / 100.0, '' from rates r where r.tariff_id = ${t.id}
      union all select r.id, 0.5, 'WD' from rates r where r.tariff_id = ${t.id} and r.id % 5 = 0`);
    const res = await call({ u: 'admin', tariff_id: String(t.id) });
    expect(res.body).toBe(await reference(t.id, 'Big & <wide>'));
    const [bands] = await queryRows<{ n: number }>(
      api.handle.db,
      sql`select count(*)::int as n from ratedetails b join rates r on r.id = b.rate_id where r.tariff_id = ${t.id}`,
    );
    expect(bands!.n).toBeGreaterThan(EXPORT_PAGE * 2);
    expect(res.body.match(/<rate>/g)).toHaveLength(bands!.n);
  });

  it('prints an empty tariff with an empty <rates>, and wraps a streamed answer for XML API Extension', async () => {
    const t = await createTariff(api.handle, { name: 'Empty' });
    const res = await call({ u: 'admin', tariff_id: String(t.id) });
    expect(res.body).toBe(await reference(t.id, 'Empty'));
    expect(res.body).toContain('  <rates></rates>\n');
    await setConflines(api.handle, 0, { xml_api_extension: '1' });
    api.changed();
    try {
      const wrapped = await call({ u: 'admin', tariff_id: String(t.id) });
      expect(wrapped.body).toBe(`<html>\n${res.body.slice(XML_DECL.length + 1)}</html>\n`);
    } finally {
      await setConflines(api.handle, 0, { xml_api_extension: '0' });
      api.changed();
    }
  });
});
