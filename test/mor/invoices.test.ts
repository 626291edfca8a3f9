import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientWith } from '../helpers/admin.ts';
import { statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';
import { createService, createSubscription, insertPayment, rowsOf, setUser } from '../helpers/finance.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
/** 2019-05-01 00:00:00 and 2019-05-31 23:59:59 UTC. */
const MAY = { from: '1556668800', till: '1559347199' };
const rootError = (m: string) => `${XML_DECL}\n<Error>${m}</Error>\n`;

const invoices = (u: string, params: Record<string, string> = {}, key?: string) =>
  api.call('invoices_get', { u, ...params }, { key });

let alice: { id: number; username: string };
let service: { id: number };
let aliceInvoice: number;

/** A postpaid user of `ownerId` invoiced for `month` (YYYY-MM) with one subscription of `price`. */
async function invoiced(ownerId: number, price: string, month = '2019-05') {
  const user = await createUser(api.handle, { ownerId });
  await setUser(api.handle, user.id, { postpaid: true });
  const svc = await createService(api.handle, { name: 'Test_periodic_service', price });
  await createSubscription(api.handle, user.id, svc.id, '2019-01-01T00:00:00Z');
  const [y, m] = month.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  await admin().invoices.generate.mutate({ periodStart: `${month}-01`, periodEnd: end, userIds: [user.id] });
  await api.handle.db.execute(sql`update invoices set issue_date = '2019-06-27' where user_id = ${user.id}`);
  const [row] = await rowsOf<{ id: number; number: string }>(
    api.handle,
    sql`select id, number from invoices where user_id = ${user.id}`,
  );
  return { user, svc, invoice: row! };
}

beforeAll(async () => {
  const made = await invoiced(0, '10');
  alice = made.user;
  service = made.svc;
  aliceInvoice = made.invoice.id;
  await setUser(api.handle, alice.id, { agreement_number: 'AG<1>', clientid: 'C-9' });
});

describe('invoices_get', () => {
  it('answers the documented document: root attributes, one Invoice per invoice, one Product per line', async () => {
    // A paid invoice shows its payment's date; a calls line is named in `lang` and counts in Total_time.
    const payment = await insertPayment(api.handle, {
      userId: alice.id,
      amount: '10',
      gross: '10',
      dateAdded: new Date('2019-07-02T10:00:00Z'),
    });
    await api.handle.db.execute(
      sql`update invoices set paid = true, payment_id = ${payment.id} where id = ${aliceInvoice}`,
    );
    await api.handle.db.execute(sql`insert into invoice_details (invoice_id, name, kind, quantity, price, sum, total, prefix, total_time)
      values (${aliceInvoice}, 'Calls', 'calls', 65, 0.1, 6.5, 6.5, '370', 3725)`);
    const [{ number }] = (await rowsOf<{ number: string }>(
      api.handle,
      sql`select number from invoices where id = ${aliceInvoice}`,
    )) as [{ number: string }];
    const res = await invoices('admin', { ...MAY, lang: 'lt' });
    expect(res.body).toBe(
      `${XML_DECL}
<Invoices from="2019-05-01" till="2019-05-31">
  <Invoice user_id="${alice.id}" agreementnumber="AG&lt;1&gt;" clientid="C-9" number="${number}">
    <id>${aliceInvoice}</id>
    <paid>1</paid>
    <Total_time>01:02:05</Total_time>
    <Product>
      <Name>Test_periodic_service - 1</Name>
      <Quantity>1</Quantity>
      <Price>10.0000</Price>
      <Discount>0.0000</Discount>
      <Sum>10.0000</Sum>
      <Date_added>2019-07-02</Date_added>
      <Issue_date>2019-06-27</Issue_date>
      <Service_id>${service.id}</Service_id>
      <Prefix></Prefix>
    </Product>
    <Product>
      <Name>Skambučiai</Name>
      <Quantity>65</Quantity>
      <Price>0.1000</Price>
      <Discount>0.0000</Discount>
      <Sum>6.5000</Sum>
      <Date_added>2019-07-02</Date_added>
      <Issue_date>2019-06-27</Issue_date>
      <Service_id></Service_id>
      <Prefix>370</Prefix>
    </Product>
  </Invoice>
</Invoices>
`,
    );
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    await api.handle.db.execute(sql`delete from invoice_details where invoice_id = ${aliceInvoice} and kind = 'calls'`);
    await api.handle.db.execute(sql`update invoices set paid = false, payment_id = null where id = ${aliceInvoice}`);
    const unpaid = await invoices('admin', MAY);
    expect(unpaid.body).toContain('<paid>0</paid>\n    <Total_time>00:00:00</Total_time>');
    expect(unpaid.body).toContain('<Date_added></Date_added>');
    expect(unpaid.body).toContain('<Name>Test_periodic_service - 1</Name>');
  });

  it('selects by period: starts on or after from, ends on or before till (system time zone), no bound when absent', async () => {
    const june = await invoiced(0, '3', '2019-06');
    const ids = (body: string) => [...body.matchAll(/<id>(\d+)<\/id>/g)].map((m) => Number(m[1]));
    expect(ids((await invoices('admin', MAY)).body)).toEqual([aliceInvoice]);
    expect(ids((await invoices('admin', { from: MAY.from })).body)).toEqual([aliceInvoice, june.invoice.id]);
    expect(ids((await invoices('admin', { till: MAY.till, from: '0' })).body)).toEqual([aliceInvoice]);
    expect((await invoices('admin', { till: MAY.till })).body).toContain('<Invoices from="" till="2019-05-31">');
    // 2019-05-31 22:00 UTC is already June 1st in Vilnius: May's invoice ends before that date, June's not.
    await setUser(api.handle, 0, { time_zone: 'Vilnius' });
    try {
      const local = await invoices('admin', { from: '1559340000', till: '1561939199' });
      expect(local.body).toContain('<Invoices from="2019-06-01" till="2019-07-01">');
      expect(ids(local.body)).toEqual([june.invoice.id]);
    } finally {
      await setUser(api.handle, 0, { time_zone: 'UTC' });
    }
  });

  it('answers every documented error with its exact string and wrapper', async () => {
    expect((await invoices('nobody', MAY)).body).toBe(rootError('user not found'));
    expect((await invoices('admin', { from: '1262304000', till: '1264982399' })).body).toBe(
      rootError('no invoices found'),
    );
    expect((await invoices('admin', { from: 'yesterday' })).body).toBe(rootError('Invalid date'));
    expect((await api.call('invoices_get', { u: 'admin', ...MAY }, { hash: 'f'.repeat(40) })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect((await api.call('invoices_get', { u: 'admin', ...MAY }, { verb: 'GET' })).body).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    try {
      expect((await invoices('admin', MAY)).body).toBe(statusErrorXml('API Requests are disabled'));
    } finally {
      await setConflines(api.handle, 0, { allow_api: '1' });
      api.changed();
    }
  });

  it('takes sha1(key) or sha1(u + key), and answers on the old alias', async () => {
    const byKey = await api.call('invoices_get', { u: 'admin', ...MAY }, { hashOf: [] });
    const byUser = await api.call('invoices_get', { u: 'admin', ...MAY }, { hashOf: ['u'] });
    const alias = await api.call('invoices', { u: 'admin', ...MAY }, { hashOf: ['u'], prefix: '/api' });
    expect(byKey.body).toContain(`<id>${aliceInvoice}</id>`);
    expect(byUser.body).toBe(byKey.body);
    expect(alias.body).toBe(byKey.body);
    const other = await api.call('invoices_get', { u: 'admin', ...MAY }, { hashOf: ['from'] });
    expect(other.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('shows each caller its own reach: reseller, accountant, simple user, never another realm', async () => {
    const r1 = await createReseller(api.handle, 'key-r1');
    const r2 = await createReseller(api.handle, 'key-r2');
    const mine = await invoiced(r1.id, '1');
    const theirs = await invoiced(r2.id, '2');
    // The reseller's own invoice (from the admin) is in the admin's realm.
    await setUser(api.handle, r1.id, { postpaid: true });
    const svc = await createService(api.handle, { price: '5' });
    await createSubscription(api.handle, r1.id, svc.id, '2019-01-01T00:00:00Z');
    await admin().invoices.generate.mutate({ periodStart: '2019-05-01', periodEnd: '2019-05-31', userIds: [r1.id] });
    const ids = (body: string) => [...body.matchAll(/<Invoice user_id="(\d+)"/g)].map((m) => Number(m[1]));

    expect(ids((await invoices(r1.username, MAY, 'key-r1')).body)).toEqual([mine.user.id, r1.id]);
    expect(ids((await invoices(r2.username, MAY, 'key-r2')).body)).toEqual([theirs.user.id]);
    // The admin: its own users (resellers among them), not the resellers' users.
    expect(ids((await invoices('admin', MAY)).body)).toEqual([alice.id, r1.id]);
    expect(ids((await invoices(alice.username, MAY)).body)).toEqual([alice.id]);
    expect((await invoices(mine.user.username, MAY, 'key-r1')).body).toContain(`<id>${mine.invoice.id}</id>`);
    const user = await createUser(api.handle, {});
    expect((await invoices(user.username, MAY)).body).toBe(rootError('no invoices found'));

    const reader = await createAccountant(api.handle, { see_financial_data: 1 });
    expect(ids((await invoices(reader.username, MAY)).body)).toEqual([alice.id, r1.id]);
    const blind = await createAccountant(api.handle, { users_manage: 2 });
    expect((await invoices(blind.username, MAY)).body).toBe(rootError('You are not authorized to view this page'));
  });
});
