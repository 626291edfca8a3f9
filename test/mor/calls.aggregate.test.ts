import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/users.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { type CallsWorld, callsWorld, insertCalls, unix } from '../helpers/calls.ts';
import {
  createCurrency,
  createDestination,
  createDestinationGroup,
  createProvider,
  insertDevice,
  nameUser,
} from '../helpers/factories.ts';
import type { Caller } from '../helpers/money.ts';

const NOW = new Date('2024-05-15T12:00:00Z');
const api = useTestApp({ clock: () => NOW });
let w: CallsWorld;
let carrier: { id: number };
let ownCarrier: { id: number };
let device: { id: number };
const DAY = { from: unix('2024-05-15T00:00:00Z'), till: unix('2024-05-15T23:59:59Z') };

const get = (as: Caller, params: Record<string, string> = {}, options: { prefix?: string } = {}) =>
  as.call('aggregate_get', params, [], options).then((r) => r.body);

const figures = (f: [number, number, string, string, string, string, string, string, string], indent: string) =>
  [
    `<total_calls>${f[0]}</total_calls>`,
    `<answered_calls>${f[1]}</answered_calls>`,
    `<asr>${f[2]}</asr>`,
    `<billed_duration>${f[3]}</billed_duration>`,
    `<acd>${f[4]}</acd>`,
    `<price>${f[5]}</price>`,
    `<self_cost>${f[6]}</self_cost>`,
    `<profit>${f[7]}</profit>`,
    `<margin>${f[8]}</margin>`,
  ]
    .map((line) => `${indent}${line}\n`)
    .join('');

beforeAll(async () => {
  w = await callsWorld(api);
  const h = api.handle;
  await nameUser(h, w.user.id, 'John', 'Smith');
  carrier = await createProvider(h, 0, { name: 'Main carriers' });
  ownCarrier = await createProvider(h, w.r1.id, { name: 'R1 carrier' });
  device = await insertDevice(h, w.user.id, { name: '101' });
  const group = await createDestinationGroup(h, 'Lithuania Mobile');
  const dest = await createDestination(h, { prefix: '3706', name: 'mobile', groupId: group.id });
  await createCurrency(h, 'EUR', '0.8');
  const base = { userId: w.user.id, providerId: carrier.id, destinationId: dest.id, prefix: '3706' };
  // The page's example row: 10 calls, 7 answered, 420 s, price 0.70, self cost 0.35.
  await insertCalls(h, [
    ...Array.from({ length: 7 }, (_, i) => ({
      ...base,
      calldate: `2024-05-15T0${i}:10:00Z`,
      billsec: 60,
      duration: 65,
      realBillsec: '59.5',
      src: i === 0 ? '111' : '222',
      srcDeviceId: i < 2 ? device.id : null,
      userRate: '0.1',
      userPrice: '0.1',
      providerPrice: '0.05',
    })),
    ...Array.from({ length: 3 }, (_, i) => ({
      ...base,
      calldate: `2024-05-15T1${i}:00:00Z`,
      disposition: 'NO ANSWER' as const,
    })),
    // Outside the day; r1's user through r1's own provider; r2's user.
    { ...base, calldate: '2024-05-16T00:00:00Z', billsec: 5, userPrice: '5' },
    {
      userId: w.u1.id,
      resellerId: w.r1.id,
      providerId: ownCarrier.id,
      calldate: '2024-05-15T08:00:00Z',
      billsec: 30,
      userPrice: '0.5',
      resellerPrice: '0.3',
      providerPrice: '0.2',
    },
    { userId: w.u2.id, resellerId: w.r2.id, calldate: '2024-05-15T08:00:00Z', billsec: 30, userPrice: '0.5' },
  ]);
  await h.db.update(users).set({ ownProviders: true }).where(eq(users.id, w.r1.id));
});

describe('aggregate_get', () => {
  it('groups by user, terminator and destination group by default, with totals', async () => {
    const body = await get(w.admin, { ...DAY, s_originator_id: String(w.user.id) });
    expect(body).toBe(
      `${XML_DECL}\n<page>\n  <aggregates>\n    <aggregate>\n` +
        `      <user_id>${w.user.id}</user_id>\n      <user>John Smith</user>\n` +
        `      <terminator_id>${carrier.id}</terminator_id>\n      <terminator>Main carriers</terminator>\n` +
        '      <dst_group>Lithuania Mobile</dst_group>\n' +
        figures([10, 7, '70.00', '420', '60.00', '0.7000', '0.3500', '0.3500', '50.00'], '      ') +
        '    </aggregate>\n  </aggregates>\n  <totals>\n' +
        figures([10, 7, '70.00', '420', '60.00', '0.7000', '0.3500', '0.3500', '50.00'], '    ') +
        '  </totals>\n</page>\n',
    );
  });

  it('answers <aggregates/> and zero totals without calls', async () => {
    const body = await get(w.admin, { from: unix('2020-01-01T00:00:00Z'), till: unix('2020-01-01T23:59:59Z') });
    expect(body).toBe(
      `${XML_DECL}\n<page>\n  <aggregates></aggregates>\n  <totals>\n` +
        figures([0, 0, '0.00', '0', '0.00', '0.0000', '0.0000', '0.0000', '0.00'], '    ') +
        '  </totals>\n</page>\n',
    );
  });

  it('groups by day, hour, destination, device and provider; filters; the default day is today', async () => {
    const me = { ...DAY, s_originator_id: String(w.user.id) };
    const byDay = await get(w.admin, { ...me, group_by_day: '1' });
    expect(byDay).toContain('<aggregate>\n      <day>2024-05-15</day>\n      <total_calls>10</total_calls>');
    expect((await get(w.admin, { ...me, group_by_hour: '1' })).match(/<hour>/g)).toHaveLength(10);
    expect(await get(w.admin, { ...me, group_by_dst: '1' })).toContain(
      '<dst>3706</dst>\n      <destination>mobile</destination>',
    );
    const byDevice = await get(w.admin, { ...me, group_by_device: '1' });
    expect(byDevice).toContain(
      `<device_id>${device.id}</device_id>\n      <device>SIP/101</device>\n      <total_calls>2</total_calls>`,
    );
    expect(byDevice).toContain('<device_id></device_id>\n      <device></device>\n      <total_calls>8</total_calls>');
    expect(await get(w.admin, { ...me, group_by_op: '1' })).toBe(byDevice);
    expect(await get(w.admin, { ...me, group_by_provider: '1' })).toContain(
      `<provider_id>${carrier.id}</provider_id>\n      <provider>Main carriers</provider>`,
    );
    expect(await get(w.admin, { ...me, group_by_user_rate: '1' })).toContain('<user_rate>0.1000</user_rate>');
    // Filters: caller id, number, duration, destination group, answered calls per row.
    expect(await get(w.admin, { ...me, a_src: '111' })).toContain('<total_calls>1</total_calls>');
    expect(await get(w.admin, { ...me, a_dst: '9%' })).toContain('<aggregates></aggregates>');
    expect(await get(w.admin, { ...me, s_duration: '1' })).toContain('<total_calls>7</total_calls>');
    expect(await get(w.admin, { ...me, dst_group: 'Nowhere' })).toContain('<aggregates></aggregates>');
    const inGroup = await get(w.admin, { ...me, dst_group: 'Lithuania Mobile', group_by_dst: '1' });
    expect(inGroup).toContain('<dst>3706</dst>\n      <destination>mobile</destination>');
    expect(inGroup).toContain('<totals>\n    <total_calls>10</total_calls>');
    const both = await get(w.admin, { ...me, group_by_dst: '1', group_by_dst_group: '1' });
    expect(both).toContain(
      '<dst_group>Lithuania Mobile</dst_group>\n      <dst>3706</dst>\n      <destination>mobile</destination>',
    );
    expect(await get(w.admin, { ...me, group_by_hour: '1', answered_calls: '1' })).toContain(
      '<totals>\n    <total_calls>7</total_calls>',
    );
    expect(await get(w.admin, { ...me, use_real_billsec: '1' })).toContain('<billed_duration>416.5</billed_duration>');
    // Default: today (the clock's day).
    expect(await get(w.admin, { s_originator_id: String(w.user.id) })).toContain('<total_calls>10</total_calls>');
  });

  it('converts money to a_currency (default USD)', async () => {
    const body = await get(w.admin, { ...DAY, s_originator_id: String(w.user.id), a_currency: 'EUR' });
    expect(body).toContain('<price>0.5600</price>\n      <self_cost>0.2800</self_cost>\n      <profit>0.2800</profit>');
  });

  it('answers the same from the rollups and from the calls', async () => {
    const variants: Record<string, string>[] = [
      {},
      { group_by_day: '1', group_by_hour: '1' },
      { group_by_dst: '1', group_by_device: '1', group_by_provider: '1' },
      { group_by_user: '1', answered_calls: '2' },
      { s_device: String(device.id) },
    ];
    const wide = { from: unix('2024-05-01T00:00:00Z'), till: unix('2024-05-31T23:59:59Z') };
    for (const v of variants) {
      // s_duration=0 keeps every call but needs a column the rollups do not keep: the calls answer.
      expect(await get(w.admin, { ...wide, ...v, s_duration: '0' })).toBe(await get(w.admin, { ...wide, ...v }));
    }
  });

  it('answers the same without the destination join when no destination is in a group', async () => {
    const db = api.handle.db;
    const regroup = (prefix: string, group: string | null) =>
      db.execute(sql`update destinations set destinationgroup_id = coalesce(
          (select id from destinationgroups where name = ${group}::text), 0) where prefix = ${prefix}::text`);
    const unused = await createDestinationGroup(api.handle, 'Unused');
    await createDestination(api.handle, { prefix: '99999', groupId: unused.id });
    const variants: Record<string, string>[] = [
      {},
      { group_by_dst_group: '1', group_by_dst: '1' },
      { dst_group: 'Lithuania Mobile' },
      { s_duration: '0' },
    ];
    await regroup('3706', null);
    try {
      // One grouped destination without calls: the statement joins destinations, every call in group 0.
      const joined = await Promise.all(variants.map((v) => get(w.admin, { ...DAY, ...v })));
      expect(joined[0]).toContain('<dst_group></dst_group>');
      expect(joined[0]).toContain('<totals>\n    <total_calls>12</total_calls>');
      expect(joined[2]).toContain('<aggregates></aggregates>');
      // No grouped destination at all: no join, the same documents.
      await regroup('99999', null);
      expect(await Promise.all(variants.map((v) => get(w.admin, { ...DAY, ...v })))).toEqual(joined);
    } finally {
      await regroup('3706', 'Lithuania Mobile');
    }
    expect(await get(w.admin, DAY)).toContain('<dst_group>Lithuania Mobile</dst_group>');
  });

  it('keeps each caller in its realm; filters naming objects out of reach are not found', async () => {
    // Reseller with own providers: its users' calls only.
    expect(await get(w.r1, DAY)).toContain(`<user_id>${w.u1.id}</user_id>`);
    expect(await get(w.r1, DAY)).not.toContain(`<user_id>${w.user.id}</user_id>`);
    expect(await get(w.r1, { ...DAY, s_originator_id: String(w.u2.id) })).toBe(pageErrorXml('User was not found'));
    expect(await get(w.r1, { ...DAY, s_provider: String(carrier.id) })).toBe(pageErrorXml('Provider was not found'));
    expect(await get(w.r1, { ...DAY, s_provider: String(ownCarrier.id) })).toContain('<total_calls>1</total_calls>');
    expect(await get(w.r1, { ...DAY, s_terminator_id: String(carrier.id) })).toBe(
      pageErrorXml('Terminator was not found'),
    );
    expect(await get(w.r1, { ...DAY, s_device: String(device.id) })).toBe(pageErrorXml('Device was not found'));
    expect(await get(w.admin, { ...DAY, s_device: '999999' })).toBe(pageErrorXml('Device was not found'));
    expect(await get(w.admin, { ...DAY, s_originator_id: 'x' })).toBe(pageErrorXml('User was not found'));
    // Without own providers, accountants without the right: not authorized; users, partners: Access Denied.
    const denied = pageErrorXml('You are not authorized to use this functionality');
    expect(await get(w.r2, DAY)).toBe(denied);
    expect(await get(w.accNone, DAY)).toBe(denied);
    const acc = await get(w.accFull, DAY);
    expect(acc).toContain(`<user_id>${w.user.id}</user_id>`);
    expect(acc).not.toContain(`<user_id>${w.u1.id}</user_id>`);
    expect(await get(w.user, DAY)).toBe(pageErrorXml('Access Denied'));
    expect(await get(w.partner, DAY)).toBe(pageErrorXml('Access Denied'));
    expect((await api.call('aggregate_get', { u: 'nobody' })).body).toBe(pageErrorXml('Access Denied'));
  });

  it('hashes the key alone and serves aggregates_get', async () => {
    expect(await api.hash({}, [], 'secret')).toBe('e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4');
    expect(await get(w.admin, DAY, { prefix: '/api' })).toContain('<totals>');
    const alias = await api.call('aggregates_get', { u: 'admin', ...DAY });
    expect(alias.body).toBe(await get(w.admin, DAY));
    expect((await api.call('aggregate_get', { u: 'admin', ...DAY }, { hashOf: ['from'] })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });
});
