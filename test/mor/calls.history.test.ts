import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/users.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { type CallsWorld, callsWorld, insertCalls, unix } from '../helpers/calls.ts';
import { createDestination, createProvider, insertDevice, insertDid, nameUser } from '../helpers/factories.ts';
import type { Caller } from '../helpers/money.ts';

const api = useTestApp();
let w: CallsWorld;

const HASH = [
  'period_start',
  'period_end',
  's_user',
  'user_id',
  's_call_type',
  'calltype',
  's_device',
  'device',
  's_provider',
  's_hgc',
  's_did',
  's_destination',
  'order_by',
  'order_desc',
  'only_did',
  's_uniqueid',
  's_callback_uniqueid',
  'originator_codec_name',
  'terminator_codec_name',
  'direction',
];
const MAY1 = { period_start: unix('2024-05-01T00:00:00Z'), period_end: unix('2024-05-01T23:59:59Z') };

const get = (as: Caller, params: Record<string, string> = {}, options = {}) =>
  as.call('user_calls_get', params, HASH, options).then((r) => r.body);
const uniqueids = (body: string) => [...body.matchAll(/<uniqueid>(.*)<\/uniqueid>/g)].map((m) => m[1]);
const tags = (body: string) => [...new Set([...body.matchAll(/^ {8}<(\w+)>/gm)].map((m) => m[1]))];

let device: { id: number };
let provider: { id: number };
beforeAll(async () => {
  w = await callsWorld(api);
  const h = api.handle;
  await nameUser(h, w.user.id, 'John', 'Smith');
  await nameUser(h, w.r1.id, 'Big', 'Reseller');
  device = await insertDevice(h, w.user.id, { name: '101', deviceType: 'SIP' });
  provider = await createProvider(h, 0, { name: 'Carrier A' });
  await h.db.execute(sql`insert into directions (name, code) values ('Lithuania', 'LTU') on conflict do nothing`);
  const dest = await createDestination(h, { prefix: '3706', name: 'mobile', directionCode: 'LTU' });
  const did = await insertDid(h, { did: '37052000000' });
  const u = w.user.id;
  await insertCalls(h, [
    {
      userId: u,
      calldate: '2024-05-01T10:15:03Z',
      uniqueid: '1714558503.1234',
      src: '37060000001',
      clid: '"John" <37060000001>',
      dst: '37069912345',
      prefix: '3706',
      destinationId: dest.id,
      duration: 65,
      billsec: 60,
      hangupcause: 16,
      srcDeviceId: device.id,
      providerId: provider.id,
      userRate: '0.1',
      userPrice: '0.1',
      providerRate: '0.05',
      providerPrice: '0.05',
    },
    // Same user: busy, through a DID, a second before and after the day.
    { userId: u, calldate: '2024-05-01T12:00:00Z', uniqueid: 'busy-1', disposition: 'BUSY', didId: did.id, dst: '123' },
    { userId: u, calldate: '2024-04-30T23:59:59Z', uniqueid: 'before', dst: '1' },
    { userId: u, calldate: '2024-05-02T00:00:00Z', uniqueid: 'after', dst: '1' },
    // Reseller r1's user (reseller prices), r1's own call, r2's user.
    {
      userId: w.u1.id,
      resellerId: w.r1.id,
      calldate: '2024-05-01T09:00:00Z',
      uniqueid: 'r1-user',
      dst: '44123',
      userRate: '0.1',
      userPrice: '0.1',
      resellerRate: '0.08',
      resellerPrice: '0.08',
      providerPrice: '0.05',
    },
    { userId: w.r1.id, calldate: '2024-05-01T09:30:00Z', uniqueid: 'r1-own', dst: '44' },
    { userId: w.u2.id, resellerId: w.r2.id, calldate: '2024-05-01T08:00:00Z', uniqueid: 'r2-user', dst: '44' },
  ]);
});

describe('user_calls_get', () => {
  it('answers every tag of a call as the admin (system time zone, 4-decimal money)', async () => {
    const body = await get(w.admin, { ...MAY1, s_user: String(w.user.id), s_call_type: 'answered' });
    expect(body).toBe(
      `${XML_DECL}\n<page>\n  <calls_stat>\n` +
        '    <period_start>2024-05-01 00:00:00</period_start>\n    <period_end>2024-05-01 23:59:59</period_end>\n' +
        '    <total_calls>1</total_calls>\n    <currency>USD</currency>\n    <calls>\n      <call>\n' +
        '        <calldate>2024-05-01 10:15:03</calldate>\n        <timezone>GMT +0000</timezone>\n' +
        '        <src>37060000001</src>\n        <clid>"John" &lt;37060000001&gt;</clid>\n' +
        '        <dst>37069912345</dst>\n        <prefix>3706</prefix>\n        <destination>Lithuania mobile</destination>\n' +
        '        <duration>65</duration>\n        <billsec>60</billsec>\n        <disposition>ANSWERED</disposition>\n' +
        `        <hangupcause>16</hangupcause>\n        <user_id>${w.user.id}</user_id>\n        <user>John Smith</user>\n` +
        '        <device>SIP/101</device>\n        <user_rate>0.1000</user_rate>\n        <user_price>0.1000</user_price>\n' +
        '        <reseller></reseller>\n        <reseller_rate>0.0000</reseller_rate>\n        <reseller_price>0.0000</reseller_price>\n' +
        '        <provider>Carrier A</provider>\n        <provider_rate>0.0500</provider_rate>\n' +
        '        <provider_price>0.0500</provider_price>\n        <did></did>\n        <did_price>0.0000</did_price>\n' +
        '        <did_inc_price>0.0000</did_inc_price>\n        <did_prov_price>0.0000</did_prov_price>\n' +
        '        <profit>0.0500</profit>\n        <server_id>1</server_id>\n        <uniqueid>1714558503.1234</uniqueid>\n' +
        '      </call>\n    </calls>\n  </calls_stat>\n</page>\n',
    );
  });

  it('answers an empty <calls> element when nothing matches; the default period is today (system time)', async () => {
    const body = await get(w.admin, { s_user: String(w.user.id) });
    const today = new Date().toISOString().slice(0, 10);
    expect(body).toBe(
      `${XML_DECL}\n<page>\n  <calls_stat>\n` +
        `    <period_start>${today} 00:00:00</period_start>\n    <period_end>${today} 23:59:59</period_end>\n` +
        '    <total_calls>0</total_calls>\n    <currency>USD</currency>\n    <calls></calls>\n  </calls_stat>\n</page>\n',
    );
  });

  it('bounds the period inclusively and filters by call type, device, DID, destination and uniqueid', async () => {
    const u = String(w.user.id);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u }))).toEqual(['1714558503.1234', 'busy-1']);
    const wide = { period_start: unix('2024-04-30T23:59:59Z'), period_end: unix('2024-05-02T00:00:00Z') };
    expect(uniqueids(await get(w.admin, { ...wide, s_user: u }))).toEqual([
      'before',
      '1714558503.1234',
      'busy-1',
      'after',
    ]);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u, s_call_type: 'busy' }))).toEqual(['busy-1']);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u, s_call_type: 'no_answer' }))).toEqual([]);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u, s_device: String(device.id) }))).toEqual([
      '1714558503.1234',
    ]);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u, only_did: '1' }))).toEqual(['busy-1']);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u, s_destination: '3706' }))).toEqual(['1714558503.1234']);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u, s_destination: '%12%' }))).toEqual([
      '1714558503.1234',
      'busy-1',
    ]);
    // Not digits and %: the filter is ignored.
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u, s_destination: 'abc' }))).toHaveLength(2);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u, s_hgc: '16' }))).toEqual(['1714558503.1234']);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_user: u, s_provider: String(provider.id) }))).toEqual([
      '1714558503.1234',
    ]);
    // s_uniqueid ignores every other filter, the period too.
    expect(uniqueids(await get(w.admin, { s_uniqueid: 'after', s_call_type: 'busy' }))).toEqual(['after']);
  });

  it('orders by any documented column, ascending or descending', async () => {
    const all = { ...MAY1, s_user: 'all' };
    expect(uniqueids(await get(w.admin, all))).toEqual(['r2-user', 'r1-user', 'r1-own', '1714558503.1234', 'busy-1']);
    expect(uniqueids(await get(w.admin, { ...all, order_desc: '1' }))).toEqual([
      'busy-1',
      '1714558503.1234',
      'r1-own',
      'r1-user',
      'r2-user',
    ]);
    expect(uniqueids(await get(w.admin, { ...all, order_by: 'dst' }))).toEqual([
      'busy-1',
      '1714558503.1234',
      'r2-user',
      'r1-own',
      'r1-user',
    ]);
    expect(uniqueids(await get(w.admin, { ...all, order_by: 'u_price', order_desc: '1' })).slice(0, 2)).toEqual([
      '1714558503.1234',
      'r1-user',
    ]);
    // The page's d_oener typo sorts like d_owner; an unknown column sorts by time.
    expect(uniqueids(await get(w.admin, { ...all, order_by: 'd_oener' }))).toEqual(
      uniqueids(await get(w.admin, { ...all, order_by: 'd_owner' })),
    );
    expect(uniqueids(await get(w.admin, { ...all, order_by: 'nonsense' }))).toEqual(uniqueids(await get(w.admin, all)));
  });

  it('shows each role its realm and its money columns', async () => {
    const all = { ...MAY1 };
    // Reseller: its users' and its own calls; user and reseller prices and its profit, no provider data.
    const r1 = await get(w.r1, all);
    expect(uniqueids(r1)).toEqual(['r1-user', 'r1-own']);
    expect(tags(r1)).toEqual(expect.arrayContaining(['user_price', 'reseller_price', 'profit', 'did']));
    expect(tags(r1)).not.toContain('provider');
    expect(tags(r1)).not.toContain('did_prov_price');
    expect(r1).toContain('<profit>0.0200</profit>');
    expect(r1).toContain('<reseller>Big Reseller</reseller>');
    // With own providers the reseller sees provider data.
    await api.handle.db.update(users).set({ ownProviders: true }).where(eq(users.id, w.r1.id));
    expect(tags(await get(w.r1, all))).toContain('provider_price');
    await api.handle.db.update(users).set({ ownProviders: false }).where(eq(users.id, w.r1.id));
    // Simple user: itself only, whatever s_user says; its own price only.
    const mine = await get(w.user, { ...all, s_user: String(w.u1.id) });
    expect(uniqueids(mine)).toEqual(['1714558503.1234', 'busy-1']);
    expect(tags(mine)).toEqual([
      'calldate',
      'timezone',
      'src',
      'clid',
      'dst',
      'prefix',
      'destination',
      'duration',
      'billsec',
      'disposition',
      'hangupcause',
      'user_id',
      'user',
      'device',
      'user_rate',
      'user_price',
      'server_id',
      'uniqueid',
    ]);
    // Accountant with Calls and statistics: the admin's realm (resellers' own calls included).
    const acc = await get(w.accFull, { ...all, s_user: 'all' });
    expect(uniqueids(acc)).toEqual(['r1-own', '1714558503.1234', 'busy-1']);
    expect(tags(acc)).toContain('provider_price');
    // Without See financial data: no money at all.
    const blind = await get(w.accBlind, all);
    expect(uniqueids(blind)).toEqual(['r1-own', '1714558503.1234', 'busy-1']);
    expect(tags(blind).filter((t) => /price|rate|profit/.test(t!))).toEqual([]);
    expect(tags(blind)).toContain('provider');
    // Without the right, and partners: Access Denied.
    expect(await get(w.accNone, all)).toBe(pageErrorXml('Access Denied'));
    expect(await get(w.partner, all)).toBe(pageErrorXml('Access Denied'));
  });

  it('answers User was not found for a user outside reach, and only admin filters by reseller', async () => {
    expect(await get(w.r1, { ...MAY1, s_user: String(w.u2.id) })).toBe(pageErrorXml('User was not found'));
    expect(await get(w.r1, { ...MAY1, s_user: String(w.user.id) })).toBe(pageErrorXml('User was not found'));
    expect(await get(w.r1, { ...MAY1, s_user: '999999' })).toBe(pageErrorXml('User was not found'));
    expect(await get(w.accFull, { ...MAY1, s_user: String(w.u1.id) })).toBe(pageErrorXml('User was not found'));
    expect(await get(w.admin, { ...MAY1, s_user: 'abc' })).toBe(pageErrorXml('User was not found'));
    expect(uniqueids(await get(w.r1, { ...MAY1, s_user: String(w.u1.id) }))).toEqual(['r1-user']);
    expect(uniqueids(await get(w.admin, { ...MAY1, s_reseller: String(w.r2.id) }))).toEqual(['r2-user']);
    // s_reseller is ignored for anyone but the admin.
    expect(uniqueids(await get(w.r1, { ...MAY1, s_reseller: String(w.r2.id) }))).toEqual(['r1-user', 'r1-own']);
    // A reseller filters by its own providers only.
    expect(uniqueids(await get(w.r1, { ...MAY1, s_provider: String(provider.id) }))).toEqual([]);
  });

  it('hides the last digits of the destination for a user with "hide destination end"', async () => {
    await api.handle.db.update(users).set({ hideDestinationEnd: 3 }).where(eq(users.id, w.user.id));
    const body = await get(w.user, MAY1);
    expect(body).toContain('<dst>37069912XXX</dst>');
    expect(body).toContain('<dst>XXX</dst>');
    // Others still see the number.
    expect(await get(w.admin, { ...MAY1, s_user: String(w.user.id) })).toContain('<dst>37069912345</dst>');
    await api.handle.db.update(users).set({ hideDestinationEnd: -1 }).where(eq(users.id, w.user.id));
  });

  it('prints dates in the system time zone with its offset and takes the default day there', async () => {
    await api.handle.db.update(users).set({ timeZone: 'Tokyo' }).where(eq(users.id, 0));
    api.changed();
    try {
      const body = await get(w.admin, { ...MAY1, s_user: String(w.user.id) });
      expect(body).toContain('<period_start>2024-05-01 09:00:00</period_start>');
      expect(body).toContain('<calldate>2024-05-01 19:15:03</calldate>\n        <timezone>GMT +0900</timezone>');
      // Today's calls in Tokyo: from Tokyo's midnight.
      await insertCalls(api.handle, [{ userId: w.user.id, calldate: new Date().toISOString(), uniqueid: 'now' }]);
      expect(uniqueids(await get(w.admin, { s_user: String(w.user.id) }))).toEqual(['now']);
    } finally {
      await api.handle.db.update(users).set({ timeZone: 'UTC' }).where(eq(users.id, 0));
      api.changed();
    }
  });

  it('hashes the newest form in documented order, and accepts the MOR 8 form (documented example)', async () => {
    // The documented MOR 8 example and the newest form as the public client builds it.
    expect(
      await api.hash(
        { user_id: '123', period_start: '1252454580', calltype: 'answered' },
        ['user_id', 'period_start', 'period_end', 'direction', 'calltype', 'device'],
        'Very Sercet Key',
      ),
    ).toBe('b93c35d5c6183288322122561a3da7e09abb63b7');
    const client = {
      period_start: '1714521600',
      period_end: '1714607999',
      s_user: '2',
      s_call_type: 'all',
      s_device: 'all',
      s_provider: 'all',
      s_hgc: 'all',
      s_did: 'all',
      order_by: 'time',
      order_desc: '0',
      only_did: '0',
    };
    expect(await api.hash(client, HASH)).toBe('e766d14a7acba241314a8c83831b9f4795932740');
    const u = String(w.user.id);
    const newest = { ...MAY1, s_user: u, s_call_type: 'answered' };
    expect(uniqueids(await get(w.admin, newest))).toEqual(['1714558503.1234']);
    // The same digest over the parameters in another order is refused.
    const swapped = await api.hash(newest, ['s_user', 'period_start', 'period_end', 's_call_type']);
    expect(await get(w.admin, newest, { hash: swapped })).toBe(statusErrorXml('Incorrect hash'));
    // MOR 8: user_id, period_start, period_end, direction, calltype, device.
    const old = { user_id: u, ...MAY1, calltype: 'answered' };
    const oldHash = await api.hash(old, ['user_id', 'period_start', 'period_end', 'direction', 'calltype', 'device']);
    expect(uniqueids(await get(w.admin, old, { hash: oldHash }))).toEqual(['1714558503.1234']);
    // MOR 8 incoming: calls whose destination user is the subject; missed = unanswered incoming.
    // An unsigned s_user next to the MOR 8 digest is refused.
    expect(await get(w.admin, { ...old, s_user: 'all' }, { hash: oldHash })).toBe(statusErrorXml('Incorrect hash'));
    expect(await get(w.admin, newest, { hash: 'x'.repeat(40) })).toBe(statusErrorXml('Incorrect hash'));
  });

  it('selects incoming and missed calls with the MOR 8 direction and call types', async () => {
    await insertCalls(api.handle, [
      {
        userId: w.u1.id,
        resellerId: w.r1.id,
        dstUserId: w.user.id,
        calldate: '2024-05-01T15:00:00Z',
        uniqueid: 'in-ok',
      },
      {
        userId: w.u1.id,
        resellerId: w.r1.id,
        dstUserId: w.user.id,
        calldate: '2024-05-01T16:00:00Z',
        uniqueid: 'in-missed',
        disposition: 'NO ANSWER',
      },
    ]);
    const u = String(w.user.id);
    expect(uniqueids(await get(w.admin, { ...MAY1, user_id: u, direction: 'incoming' }))).toEqual([
      'in-ok',
      'in-missed',
    ]);
    expect(uniqueids(await get(w.admin, { ...MAY1, user_id: u, calltype: 'missed_inc' }))).toEqual(['in-missed']);
  });

  it('answers Access Denied for an unknown caller, pipeline errors in <status>, and serves the old names', async () => {
    expect((await api.call('user_calls_get', { u: 'nobody', ...MAY1 }, { hashOf: HASH })).body).toBe(
      pageErrorXml('Access Denied'),
    );
    for (const alias of ['user_calls', 'calls']) {
      const res = await api.call(
        alias,
        { u: 'admin', ...MAY1, s_user: String(w.user.id) },
        { hashOf: HASH, prefix: '/api' },
      );
      expect(uniqueids(res.body)).toEqual(['1714558503.1234', 'busy-1']);
    }
  });
});
