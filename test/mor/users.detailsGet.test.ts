import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addresses, directions, taxes, users } from '../../src/db/schema/index.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const HASH = ['user_id', 'username'] as const;

interface Shown {
  id: number;
  username: string;
  account?: string;
  /** An accountant without See financial data: no balance or credit tags. */
  noMoney?: boolean;
  balance?: string;
  credit?: string;
  first?: string;
  last?: string;
  personalid?: string;
  agreementNumber?: string;
  agreementDate?: string;
  vat?: string;
  vatPercent?: string;
  address?: string;
  postcode?: string;
  city?: string;
  state?: string;
  phone?: string;
  mobile?: string;
  fax?: string;
  email?: string;
  country?: string;
  code?: string;
}

/** The exact document user_details_get answers (as openmor indents it). */
const detailsXml = (d: Shown) =>
  [
    XML_DECL,
    '<page>',
    '  <pagename>Personal_details</pagename>',
    '  <language>en</language>',
    `  <userid>${d.id}</userid>`,
    '  <details>',
    '    <main_detail>',
    `      <account>${d.account ?? 'Prepaid'}</account>`,
    ...(d.noMoney
      ? []
      : [
          `      <balance>${d.balance ?? '0.0000'} USD</balance>`,
          `      <balance_number>${d.balance ?? '0.0000'}</balance_number>`,
          '      <balance_currency>USD</balance_currency>',
          `      <credit>${d.credit ?? '0.0000'}</credit>`,
        ]),
    '    </main_detail>',
    '    <other_details>',
    `      <username>${d.username}</username>`,
    `      <first_name>${d.first ?? ''}</first_name>`,
    `      <surname>${d.last ?? ''}</surname>`,
    `      <personalid>${d.personalid ?? ''}</personalid>`,
    `      <agreement_number>${d.agreementNumber ?? ''}</agreement_number>`,
    `      <agreement_date>${d.agreementDate ?? ''}</agreement_date>`,
    `      <taxation_country>${d.country ?? ''}</taxation_country>`,
    `      <vat_reg_number>${d.vat ?? ''}</vat_reg_number>`,
    `      <vat_percent>${d.vatPercent ?? '0.0'}</vat_percent>`,
    '    </other_details>',
    '    <registration>',
    `      <reg_address>${d.address ?? ''}</reg_address>`,
    `      <reg_postcode>${d.postcode ?? ''}</reg_postcode>`,
    `      <reg_city>${d.city ?? ''}</reg_city>`,
    `      <reg_country>${d.country ?? ''}</reg_country>`,
    `      <reg_state>${d.state ?? ''}</reg_state>`,
    `      <reg_direction>${d.code ?? ''}</reg_direction>`,
    `      <reg_phone>${d.phone ?? ''}</reg_phone>`,
    `      <reg_mobile>${d.mobile ?? ''}</reg_mobile>`,
    `      <reg_fax>${d.fax ?? ''}</reg_fax>`,
    `      <reg_email>${d.email ?? ''}</reg_email>`,
    '    </registration>',
    '  </details>',
    '</page>',
    '',
  ].join('\n');

const get = (u: string, params: Record<string, string>, key?: string) =>
  api.call('user_details_get', { u, ...params }, { hashOf: HASH, key });

describe('user_details_get', () => {
  it("answers the documented document with the user's details, address and total tax", async () => {
    const user = await createUser(api.handle, { balance: '12.5' });
    // Seeded on every install: ISO 3166-1 numeric id, alpha-3 code.
    const [lt] = await api.handle.db.select().from(directions).where(eq(directions.code, 'LTU'));
    expect(lt).toEqual({ id: 440, name: 'Lithuania', code: 'LTU' });
    const [address] = await api.handle.db
      .insert(addresses)
      .values({
        firstName: 'John',
        lastName: 'Smith & Sons',
        address: 'Main st. 1',
        postcode: 'LT-01',
        city: 'Vilnius',
        state: 'VL',
        phone: '3701',
        mobPhone: '3706',
        fax: '3705',
        email: 'john@example.com',
        directionId: lt!.id,
      })
      .returning();
    const [tax] = await api.handle.db
      .insert(taxes)
      .values({ tax1Value: '18', tax2Enabled: true, tax2Value: '2.5', tax3Value: '50' })
      .returning();
    await api.handle.db
      .update(users)
      .set({
        addressId: address!.id,
        taxId: tax!.id,
        postpaid: true,
        credit: '-1',
        clientid: 'C-1',
        agreementNumber: 'A-7',
        agreementDate: '2007-03-26',
        vatNumber: 'LT123',
        taxationCountry: lt!.id,
      })
      .where(eq(users.id, user.id));
    const res = await get('admin', { user_id: String(user.id) });
    expect(res.body).toBe(
      detailsXml({
        id: user.id,
        username: user.username,
        account: 'Postpaid',
        balance: '12.5000',
        credit: 'Unlimited',
        first: 'John',
        last: 'Smith &amp; Sons',
        personalid: 'C-1',
        agreementNumber: 'A-7',
        agreementDate: '2007-03-26',
        vat: 'LT123',
        vatPercent: '20.5',
        address: 'Main st. 1',
        postcode: 'LT-01',
        city: 'Vilnius',
        state: 'VL',
        phone: '3701',
        mobile: '3706',
        fax: '3705',
        email: 'john@example.com',
        country: 'Lithuania',
        code: 'LTU',
      }),
    );
  });

  it('finds the user by username, or by both when they agree; prints a limited credit', async () => {
    const user = await createUser(api.handle);
    await api.handle.db.update(users).set({ credit: '10' }).where(eq(users.id, user.id));
    const shown = detailsXml({ id: user.id, username: user.username, credit: '10.0000' });
    expect((await get('admin', { username: user.username })).body).toBe(shown);
    expect((await get('admin', { user_id: String(user.id), username: user.username })).body).toBe(shown);
    expect((await get('admin', { user_id: String(user.id), username: 'admin' })).body).toBe(
      pageErrorXml('User was not found'),
    );
  });

  it("shows the admin's own details with userid 0", async () => {
    const res = await get('admin', { user_id: '0' });
    expect(res.body).toBe(detailsXml({ id: 0, username: 'admin', account: 'Postpaid', credit: 'Unlimited' }));
  });

  it('is served under the old name user_details and under /api', async () => {
    const user = await createUser(api.handle);
    const shown = detailsXml({ id: user.id, username: user.username });
    const params = { u: 'admin', user_id: String(user.id) };
    expect((await api.call('user_details', params, { hashOf: HASH })).body).toBe(shown);
    expect((await api.call('user_details_get', params, { hashOf: HASH, prefix: '/api' })).body).toBe(shown);
  });

  it('hashes user_id then username (documented example: key 456789 gives f7c3bc1d…)', async () => {
    expect(await api.hash({ user_id: '123' }, HASH, '456789')).toBe('f7c3bc1d808e04732adf679965ccc34ca7ae3441');
    const user = await createUser(api.handle);
    const params = { u: 'admin', user_id: String(user.id), username: user.username };
    expect((await api.call('user_details_get', params, { hashOf: ['username', 'user_id'] })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect((await api.call('user_details_get', params, { hash: 'f'.repeat(40) })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('answers Access Denied for an unknown or missing u', async () => {
    expect((await get('nobody', { user_id: '0' })).body).toBe(statusErrorXml('Access Denied'));
    expect((await api.call('user_details_get', { user_id: '0' }, { hashOf: HASH })).body).toBe(
      statusErrorXml('Access Denied'),
    );
  });

  it('answers User was not found for no target, a malformed id or an unknown user', async () => {
    const targets: Record<string, string>[] = [
      {},
      { user_id: 'x' },
      { user_id: '-3' },
      { user_id: '999999' },
      { username: 'ghost' },
    ];
    for (const params of targets) {
      expect((await get('admin', params)).body).toBe(pageErrorXml('User was not found'));
    }
  });

  it('lets a simple user see only itself', async () => {
    const me = await createUser(api.handle);
    const other = await createUser(api.handle);
    expect((await get(me.username, { user_id: String(me.id) })).body).toBe(
      detailsXml({ id: me.id, username: me.username }),
    );
    for (const id of [other.id, 0]) {
      expect((await get(me.username, { user_id: String(id) })).body).toBe(pageErrorXml('User was not found'));
    }
  });

  it("lets a reseller see itself and its users, never another reseller's or the admin's", async () => {
    const r1 = await createReseller(api.handle, 'r1-key-111');
    const r2 = await createReseller(api.handle, 'r2-key-222');
    const mine = await createUser(api.handle, { ownerId: r1.id });
    const theirs = await createUser(api.handle, { ownerId: r2.id });
    const adminsUser = await createUser(api.handle);
    const as = (id: number) => get(r1.username, { user_id: String(id) }, 'r1-key-111');
    expect((await as(mine.id)).body).toBe(detailsXml({ id: mine.id, username: mine.username }));
    expect((await as(r1.id)).body).toBe(detailsXml({ id: r1.id, username: r1.username }));
    for (const id of [theirs.id, r2.id, adminsUser.id, 0]) {
      expect((await as(id)).body).toBe(pageErrorXml('User was not found'));
    }
    expect((await get(r1.username, { username: theirs.username }, 'r1-key-111')).body).toBe(
      pageErrorXml('User was not found'),
    );
  });

  it("lets an accountant read admin's users only with Manage users (read)", async () => {
    const reader = await createAccountant(api.handle, { users_manage: 1, see_financial_data: 1 });
    const blind = await createAccountant(api.handle, { users_manage: 1 });
    const none = await createAccountant(api.handle);
    const reseller = await createReseller(api.handle);
    const adminsUser = await createUser(api.handle);
    const resellersUser = await createUser(api.handle, { ownerId: reseller.id });
    expect((await get(reader.username, { user_id: String(adminsUser.id) })).body).toBe(
      detailsXml({ id: adminsUser.id, username: adminsUser.username }),
    );
    for (const id of [resellersUser.id, 0]) {
      expect((await get(reader.username, { user_id: String(id) })).body).toBe(pageErrorXml('User was not found'));
    }
    expect((await get(none.username, { user_id: String(adminsUser.id) })).body).toBe(
      pageErrorXml('You are not authorized to view this page'),
    );
    // Without See financial data: the same record without its money tags (itself included).
    expect((await get(blind.username, { user_id: String(adminsUser.id) })).body).toBe(
      detailsXml({ id: adminsUser.id, username: adminsUser.username, noMoney: true }),
    );
    expect((await get(none.username, { user_id: String(none.id) })).body).toBe(
      detailsXml({ id: none.id, username: none.username, noMoney: true }),
    );
  });
});
