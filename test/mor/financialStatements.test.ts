import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createCurrency, createReseller, createUser, setConflines } from '../helpers/factories.ts';
import { insertCreditNote, insertPayment } from '../helpers/finance.ts';

const api = useTestApp();
/** 2020-03-10 12:00 UTC (a Tuesday): every document of the fixtures is dated that day or the next. */
const DAY = 1583841600;
const PERIOD = { date_from: String(DAY), date_till: String(DAY) };

let invoiceSeq = 0;

/** Inserts an invoice row with the given totals (system currency). */
async function insertInvoice(
  userId: number,
  ownerId: number,
  values: { price: string; withVat: string; paid: boolean; issue?: string },
) {
  const seq = ++invoiceSeq;
  // Each fixture invoice bills another (past) year: one invoice per user and period.
  const year = 1900 + seq;
  await api.handle.db.execute(sql`insert into invoices (user_id, owner_id, seq, number, period_start, period_end,
      issue_date, invoice_type, price, price_with_vat, currency, total, total_tax, total_with_tax, paid)
    values (${userId}, ${ownerId}, ${seq}, ${`T${seq}`}, ${`${year}-02-01`}, ${`${year}-02-28`}, ${values.issue ?? '2020-03-10'},
      'postpaid', ${values.price}, ${values.withVat}, 'USD', ${values.price}, 0, ${values.price}, ${values.paid})`);
}

const statement = (u: string, params: Record<string, string> = {}, key?: string, hashOf = ['user_id']) =>
  api.call('financial_statements_get', { u, ...PERIOD, ...params }, { key, hashOf });

let user: { id: number; username: string };
let other: { id: number; username: string };

beforeAll(async () => {
  user = await createUser(api.handle);
  other = await createUser(api.handle);
  const eur = await createCurrency(api.handle, 'EUR', '0.8');
  await insertInvoice(user.id, 0, { price: '10', withVat: '12.1', paid: true });
  await insertInvoice(user.id, 0, { price: '20', withVat: '24.2', paid: true });
  await insertInvoice(other.id, 0, { price: '5', withVat: '6.05', paid: false });
  await insertInvoice(other.id, 0, { price: '99', withVat: '99', paid: false, issue: '2020-03-11' });
  await insertCreditNote(api.handle, {
    userId: user.id,
    issueDate: new Date('2020-03-10T23:59:59Z'),
    price: '10',
    priceWithVat: '12.1',
    status: 'unpaid',
  });
  await insertCreditNote(api.handle, {
    userId: other.id,
    issueDate: new Date('2020-03-11T00:00:00Z'),
    price: '1',
    priceWithVat: '1',
  });
  // 40 EUR at 0.8 EUR per USD = 50 USD; gross 48.4 EUR = 60.5 USD.
  await insertPayment(api.handle, {
    userId: user.id,
    currency: 'EUR',
    exchangeRate: eur.exchangeRate,
    amount: '40',
    tax: '8.4',
    gross: '48.4',
    dateAdded: new Date('2020-03-10T08:00:00Z'),
  });
  await insertPayment(api.handle, {
    userId: other.id,
    amount: '7',
    gross: '7',
    completed: false,
    dateAdded: new Date('2020-03-10T09:00:00Z'),
  });
  // A calling card's payment belongs to the card, not to a user.
  await insertPayment(api.handle, {
    cardId: 1,
    amount: '1000',
    gross: '1000',
    dateAdded: new Date('2020-03-10T09:00:00Z'),
  });
});

const group = (type: string, status: string, count: number, price: string, withVat: string) =>
  `    <statement type="${type}">
      <status>${status}</status>
      <count>${count}</count>
      <price>${price}</price>
      <price_with_vat>${withVat}</price_with_vat>
    </statement>
`;
const doc = (...groups: string[]) =>
  `${XML_DECL}\n<page>\n  <financial_statement currency="USD">\n${groups.join('')}  </financial_statement>\n</page>\n`;

describe('financial_statements_get', () => {
  it('groups invoices, credit notes and payments of the period by paid state, in the system currency', async () => {
    const res = await statement('admin');
    expect(res.body).toBe(
      doc(
        group('invoices', 'paid', 2, '30.0000', '36.3000'),
        group('invoices', 'unpaid', 1, '5.0000', '6.0500'),
        group('credit_notes', 'unpaid', 1, '10.0000', '12.1000'),
        group('payments', 'paid', 1, '50.0000', '60.5000'),
        group('payments', 'unpaid', 1, '7.0000', '7.0000'),
      ),
    );
    // A wider period takes the next day's documents in too.
    const two = await statement('admin', { date_till: String(DAY + 86_400) });
    expect(two.body).toContain(group('invoices', 'unpaid', 2, '104.0000', '105.0500'));
    expect(two.body).toContain(group('credit_notes', 'unpaid', 2, '11.0000', '13.1000'));
  });

  it('filters by status (stauts too, status wins) and by user', async () => {
    expect((await statement('admin', { status: 'paid' })).body).toBe(
      doc(group('invoices', 'paid', 2, '30.0000', '36.3000'), group('payments', 'paid', 1, '50.0000', '60.5000')),
    );
    expect((await statement('admin', { stauts: 'unpaid' })).body).toBe(
      doc(
        group('invoices', 'unpaid', 1, '5.0000', '6.0500'),
        group('credit_notes', 'unpaid', 1, '10.0000', '12.1000'),
        group('payments', 'unpaid', 1, '7.0000', '7.0000'),
      ),
    );
    expect((await statement('admin', { status: 'paid', stauts: 'unpaid' })).body).toContain('<status>paid</status>');
    expect((await statement('admin', { user_id: String(other.id) })).body).toBe(
      doc(group('invoices', 'unpaid', 1, '5.0000', '6.0500'), group('payments', 'unpaid', 1, '7.0000', '7.0000')),
    );
    // A day without documents: the statement is empty.
    expect((await statement('admin', { date_from: '86400', date_till: '86400' })).body).toBe(
      `${XML_DECL}\n<page>\n  <financial_statement currency="USD"></financial_statement>\n</page>\n`,
    );
  });

  it('reads the dates as whole days in the system time zone', async () => {
    // In Vilnius (UTC+2) the credit note of 23:59:59 UTC is already March 11th, the invoice dates stay.
    await api.handle.db.execute(sql`update users set time_zone = 'Vilnius' where id = 0`);
    try {
      const res = await statement('admin', { status: 'unpaid' });
      expect(res.body).not.toContain('credit_notes');
      expect(res.body).toContain(group('invoices', 'unpaid', 1, '5.0000', '6.0500'));
    } finally {
      await api.handle.db.execute(sql`update users set time_zone = 'UTC' where id = 0`);
    }
  });

  it('hashes user_id (or user_id, date_from, date_till) and answers on the old alias', async () => {
    const params = { user_id: String(user.id) };
    const documented = await statement('admin', params);
    expect(documented.body).toContain('<count>2</count>');
    const client = await statement('admin', params, undefined, ['user_id', 'date_from', 'date_till']);
    expect(client.body).toBe(documented.body);
    const alias = await api.call(
      'financial_statements',
      { u: 'admin', ...PERIOD, ...params },
      { hashOf: ['user_id'], prefix: '/api' },
    );
    expect(alias.body).toBe(documented.body);
    expect((await statement('admin', params, undefined, [])).body).toBe(statusErrorXml('Incorrect hash'));
    expect((await statement('admin', params, undefined, ['date_from', 'user_id'])).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('answers every documented error with its exact string and wrapper', async () => {
    expect((await statement('nobody')).body).toBe(pageErrorXml('Bad login'));
    const blind = await createAccountant(api.handle, { see_financial_data: 1 });
    expect((await statement(blind.username)).body).toBe(pageErrorXml('Bad login'));
    expect((await statement('admin', { user_id: '999999' })).body).toBe(pageErrorXml('Access Denied'));
    expect((await statement('admin', { user_id: 'x' })).body).toBe(pageErrorXml('Access Denied'));
    expect((await statement('admin', { status: 'open' })).body).toBe(pageErrorXml('Invalid status'));
    expect((await statement('admin', { date_from: 'today' })).body).toBe(pageErrorXml('Invalid date'));
    expect((await api.call('financial_statements_get', { u: 'admin' }, { verb: 'GET' })).body).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    try {
      expect((await statement('admin')).body).toBe(statusErrorXml('API Requests are disabled'));
    } finally {
      await setConflines(api.handle, 0, { allow_api: '1' });
      api.changed();
    }
  });

  it('keeps each caller to its reach: accountant, reseller, simple user', async () => {
    const accountant = await createAccountant(api.handle, { see_financial_data: 1, payments_manage: 1 });
    expect((await statement(accountant.username)).body).toBe((await statement('admin')).body);

    const r1 = await createReseller(api.handle, 'key-r1');
    const r2 = await createReseller(api.handle, 'key-r2');
    const mine = await createUser(api.handle, { ownerId: r1.id });
    const theirs = await createUser(api.handle, { ownerId: r2.id });
    await insertInvoice(mine.id, r1.id, { price: '3', withVat: '3', paid: true });
    await insertInvoice(theirs.id, r2.id, { price: '4', withVat: '4', paid: true });
    await insertInvoice(r1.id, 0, { price: '8', withVat: '8', paid: false }); // the reseller's own, from the admin
    expect((await statement(r1.username, {}, 'key-r1')).body).toBe(
      doc(group('invoices', 'paid', 1, '3.0000', '3.0000'), group('invoices', 'unpaid', 1, '8.0000', '8.0000')),
    );
    expect((await statement(r1.username, { user_id: String(theirs.id) }, 'key-r1')).body).toBe(
      pageErrorXml('Access Denied'),
    );
    expect((await statement(r1.username, { user_id: String(user.id) }, 'key-r1')).body).toBe(
      pageErrorXml('Access Denied'),
    );
    // The admin's statement is its own realm's: the resellers' users are not in it.
    expect((await statement('admin', { user_id: String(mine.id) })).body).toBe(pageErrorXml('Access Denied'));
    expect((await statement('admin')).body).toContain(group('invoices', 'unpaid', 2, '13.0000', '14.0500'));

    // A simple user: its own statement, user_id ignored.
    const own = await statement(user.username, { user_id: String(other.id) });
    expect(own.body).toBe(
      doc(
        group('invoices', 'paid', 2, '30.0000', '36.3000'),
        group('credit_notes', 'unpaid', 1, '10.0000', '12.1000'),
        group('payments', 'paid', 1, '50.0000', '60.5000'),
      ),
    );
    expect((await statement(mine.username, {}, 'key-r1')).body).toBe(
      doc(group('invoices', 'paid', 1, '3.0000', '3.0000')),
    );
  });
});
