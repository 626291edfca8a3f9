import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addresses, users } from '../../src/db/schema/index.ts';
import { hashPassword } from '../../src/domain/crypto.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createAccountant,
  createLcr,
  createReseller,
  createTariff,
  createUser,
  FIXTURE_PASSWORD,
  setConflines,
} from '../helpers/factories.ts';

const api = useTestApp();
const HASH = ['u', 'p'] as const;

interface Row {
  id: number;
  username: string;
  first?: string;
  last?: string;
  balance?: string;
  blocked?: number;
  lcr?: number | string;
  tariff?: number | string;
  owner: number;
  usertype: string;
  hidden?: number;
}

const userXml = (r: Row) =>
  [
    '      <user>',
    `        <id>${r.id}</id>`,
    `        <username>${r.username}</username>`,
    `        <first_name>${r.first ?? ''}</first_name>`,
    `        <last_name>${r.last ?? ''}</last_name>`,
    `        <balance>${r.balance ?? '0.0000'}</balance>`,
    `        <blocked>${r.blocked ?? 0}</blocked>`,
    `        <lcr_id>${r.lcr ?? ''}</lcr_id>`,
    `        <tariff_id>${r.tariff ?? ''}</tariff_id>`,
    `        <owner_id>${r.owner}</owner_id>`,
    `        <usertype>${r.usertype}</usertype>`,
    `        <hidden>${r.hidden ?? 0}</hidden>`,
    '      </user>',
  ].join('\n');

const listXml = (rows: Row[]) =>
  rows.length === 0
    ? `${XML_DECL}\n<page>\n  <status>\n    <users></users>\n  </status>\n</page>\n`
    : [
        XML_DECL,
        '<page>',
        '  <status>',
        '    <users>',
        ...rows.map(userXml),
        '    </users>',
        '  </status>',
        '</page>',
        '',
      ].join('\n');

const get = (u: string, p: string | undefined, key?: string, extra: Record<string, string> = {}) =>
  api.call('users_get', { u, ...(p === undefined ? {} : { p }), ...extra }, { hashOf: HASH, key }).then((r) => r.body);

type U = Awaited<ReturnType<typeof createUser>>;
let reseller: U;
let resUser: U;
let plain: U;
let accountant: U;
let accRead: U;
let accWrite: U;
let accNone: U;
let partner: U;
let partnerReseller: U;
let partnerResUser: U;
let lcrId: number;
let tariffId: number;

const row = (u: U, extra: Partial<Row> = {}): Row => ({
  id: u.id,
  username: u.username,
  owner: u.ownerId,
  usertype: u.usertype,
  ...extra,
});

beforeAll(async () => {
  const h = api.handle;
  lcrId = (await createLcr(h)).id;
  tariffId = (await createTariff(h, { purpose: 'user' })).id;
  plain = await createUser(h, { balance: '12.345678' });
  const [address] = await h.db.insert(addresses).values({ firstName: 'Test', lastName: 'User <#1> & Co' }).returning();
  await h.db
    .update(users)
    .set({ addressId: address!.id, lcrId, tariffId, blocked: true })
    .where(eq(users.id, plain.id));
  reseller = await createReseller(h, 'res-key');
  resUser = await createUser(h, { ownerId: reseller.id });
  await h.db.update(users).set({ hidden: true }).where(eq(users.id, resUser.id));
  accNone = await createAccountant(h, {});
  accRead = await createAccountant(h, { users_manage: 1 });
  accWrite = await createAccountant(h, { users_manage: 2 });
  accountant = accRead;
  partner = await createUser(h, { usertype: 'partner' });
  partnerReseller = await createReseller(h, 'pr-key', { ownerId: partner.id });
  partnerResUser = await createUser(h, { ownerId: partnerReseller.id });
  api.changed();
});

/** Every row but the admin, in id order, as the admin (and an accountant with the Users right) sees them. */
const everyone = () => [
  row(plain, {
    first: 'Test',
    last: 'User &lt;#1&gt; &amp; Co',
    balance: '12.3457',
    blocked: 1,
    lcr: lcrId,
    tariff: tariffId,
  }),
  row(reseller),
  row(resUser, { hidden: 1 }),
  row(accNone),
  row(accRead),
  row(accWrite),
  row(partner),
  row(partnerReseller),
  row(partnerResUser),
];

describe('users_get', () => {
  it('admin: every user but the admin row, in id order, hidden ones flagged', async () => {
    expect(await get('admin', TEST.adminPassword)).toBe(listXml(everyone()));
  });

  it('the documented example digest (u, p, key) and the uniquehash form (u, key)', async () => {
    const [admin] = await api.handle.db.select().from(users).where(eq(users.id, 0));
    const old = admin!.password;
    await api.handle.db
      .update(users)
      .set({ password: await hashPassword('admin1', 1000) })
      .where(eq(users.id, 0));
    try {
      const doc = await api.call(
        'users_get',
        { u: 'admin', p: 'admin1', test: '1', hash: 'c420ef706a02e6449994b7575b25ef5f74cc722b' },
        { hash: null },
      );
      expect(doc.body).toBe(listXml(everyone()));
      const byHash = await api.call(
        'users_get',
        { u: 'admin', uniquehash: admin!.uniquehash, hash: '69590c5075137e4e42658c15f8f73d982e76b056' },
        { hash: null },
      );
      expect(byHash.body).toBe(listXml(everyone()));
    } finally {
      await api.handle.db.update(users).set({ password: old }).where(eq(users.id, 0));
    }
  });

  it('hash order is u then p; uniquehash is not hashed', async () => {
    const reversed = await api.call('users_get', { u: 'admin', p: TEST.adminPassword }, { hashOf: ['p', 'u'] });
    expect(reversed.body).toBe(statusErrorXml('Incorrect hash'));
    const [admin] = await api.handle.db.select().from(users).where(eq(users.id, 0));
    const hashed = await api.call(
      'users_get',
      { u: 'admin', uniquehash: admin!.uniquehash },
      { hashOf: ['u', 'uniquehash'] },
    );
    expect(hashed.body).toBe(statusErrorXml('Incorrect hash'));
    expect((await api.call('users_get', { u: 'admin', p: TEST.adminPassword }, { hash: null })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('Access Denied when p or uniquehash does not match, or neither is sent; p wins when both are', async () => {
    const [admin] = await api.handle.db.select().from(users).where(eq(users.id, 0));
    expect(await get('admin', 'wrong')).toBe(pageStatusErrorXml('Access Denied'));
    expect(await get('admin', undefined)).toBe(pageStatusErrorXml('Access Denied'));
    expect(await get('admin', undefined, undefined, { uniquehash: 'nope' })).toBe(pageStatusErrorXml('Access Denied'));
    expect(await get('admin', undefined, undefined, { uniquehash: '' })).toBe(pageStatusErrorXml('Access Denied'));
    expect(await get('admin', 'wrong', undefined, { uniquehash: admin!.uniquehash })).toBe(
      pageStatusErrorXml('Access Denied'),
    );
    expect(await get('admin', TEST.adminPassword, undefined, { uniquehash: 'nope' })).toBe(listXml(everyone()));
    // An empty p counts as absent: the uniquehash proves the caller.
    expect(await get('admin', '', undefined, { uniquehash: admin!.uniquehash })).toBe(listXml(everyone()));
    expect(await get('nobody_here', 'x')).toBe(statusErrorXml('Access Denied'));
  });

  it('reseller: its own users only (never itself, never another realm)', async () => {
    expect(await get(reseller.username, FIXTURE_PASSWORD, 'res-key')).toBe(listXml([row(resUser, { hidden: 1 })]));
    expect(await get(partnerReseller.username, FIXTURE_PASSWORD, 'pr-key')).toBe(listXml([row(partnerResUser)]));
    const lonely = await createReseller(api.handle, 'lonely-key');
    api.changed();
    expect(await get(lonely.username, FIXTURE_PASSWORD, 'lonely-key')).toBe(listXml([]));
    await api.handle.db.delete(users).where(eq(users.id, lonely.id));
    api.changed();
    expect(await get(reseller.username, 'wrong', 'res-key')).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('partner (admin key): its resellers and their users', async () => {
    expect(await get(partner.username, FIXTURE_PASSWORD)).toBe(listXml([row(partnerReseller), row(partnerResUser)]));
  });

  it('accountant: with the Users right (read or write) as the admin; without it, not authorized', async () => {
    const all = listXml(everyone());
    expect(await get(accountant.username, FIXTURE_PASSWORD)).toBe(all);
    expect(await get(accWrite.username, FIXTURE_PASSWORD)).toBe(all);
    expect(await get(accNone.username, FIXTURE_PASSWORD)).toBe(
      pageStatusErrorXml('You are not authorized to view this page'),
    );
    expect(await get(accNone.username, 'wrong')).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('simple user: not authorized (after the identity check)', async () => {
    expect(await get(resUser.username, FIXTURE_PASSWORD, 'res-key')).toBe(
      pageStatusErrorXml('You are not authorized to view this page'),
    );
    expect(await get(resUser.username, 'wrong', 'res-key')).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('GET and API switches', async () => {
    expect((await api.call('users_get', { u: 'admin' }, { verb: 'GET' })).body).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    try {
      expect(await get('admin', TEST.adminPassword)).toBe(statusErrorXml('API Requests are disabled'));
    } finally {
      await setConflines(api.handle, 0, { allow_api: '1' });
      api.changed();
    }
  });
});
