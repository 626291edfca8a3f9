import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { insertService, type SubsWorld, subscribe, subsWorld } from '../helpers/subs.ts';

const NOW = new Date('2026-03-15T12:00:00Z');
const api = useTestApp({ clock: () => NOW });
let w: SubsWorld;
let ids: { a: number; b: number; c: number };
let users: { one: number; r1: number };
beforeAll(async () => {
  w = await subsWorld(api);
  const h = api.handle.db;
  // The system time zone is the admin's: Vilnius, +0200 in winter.
  await h.execute(sql`update users set time_zone = 'Europe/Vilnius' where id = 0`);
  const one = await w.customer();
  const r1 = await w.userOf(w.r1.id);
  await h.execute(sql`update users set postpaid = true where id in (${one.id}, ${r1.id})`);
  await h.execute(sql`insert into addresses (id, first_name, last_name) values (90001, 'Test', 'User #1')`);
  await h.execute(sql`update users set address_id = 90001 where id = ${one.id}`);
  users = { one: one.id, r1: r1.id };
  const periodic = await insertService(api, { name: 'Service Name', price: '10' });
  const flat = await insertService(api, { name: 'Flat', type: 'flat_rate', price: '12.5', quantity: 100 });
  ids = {
    a: await subscribe(w.admin, one.id, periodic, {
      subscription_activation_start: '1307167264',
      subscription_activation_end: '1307167265',
      subscription_memo: 'Subscriptions memo',
    }),
    b: await subscribe(w.admin, one.id, flat, { subscription_memo: 'flat' }),
    c: await subscribe(w.r1, r1.id, await insertService(api, { ownerId: w.r1.id, name: 'R1', price: '1' })),
  };
  await h.execute(
    sql`insert into devices (id, user_id, username, name, device_type) values (90002, ${one.id}, 'dev101', '101', 'SIP')`,
  );
  await h.execute(sql`update subscriptions set device_id = 90002 where id = ${ids.a}`);
});

const sub = (fields: string[]) =>
  `      <subscription>\n${fields.map((f) => `        ${f}\n`).join('')}      </subscription>\n`;
const wrap = (items: string[]) =>
  `${XML_DECL}\n<page>\n  <status>\n    <subscriptions>\n${items.join('')}    </subscriptions>\n  </status>\n</page>\n`;
const a = (price = true) =>
  sub([
    `<id>${ids.a}</id>`,
    '<user>Test User #1</user>',
    '<device>SIP/101</device>',
    '<service>Service Name</service>',
    '<from>2011-06-04 09:01:04 +0300</from>',
    '<till>2011-06-04 09:01:05 +0300</till>',
    '<time_left></time_left>',
    '<memo>Subscriptions memo</memo>',
    '<type>periodic_fee</type>',
    ...(price ? ['<price>10.0</price>'] : []),
    `<user_id>${users.one}</user_id>`,
  ]);
const b = (price = true) =>
  sub([
    `<id>${ids.b}</id>`,
    '<user>Test User #1</user>',
    '<device></device>',
    '<service>Flat</service>',
    '<from>2026-03-01 00:00:00 +0200</from>',
    '<till></till>',
    '<time_left>6000</time_left>',
    '<memo>flat</memo>',
    '<type>flat_rate</type>',
    ...(price ? ['<price>12.5</price>'] : []),
    `<user_id>${users.one}</user_id>`,
  ]);

describe('subscriptions_get', () => {
  it('the admin reads every subscription: the documented tags, dates with the system zone offset', async () => {
    const body = (await w.admin.call('subscriptions_get')).body;
    expect(body.startsWith(wrap([a(), b()]).slice(0, -50))).toBe(true);
    expect(body).toContain(`<id>${ids.c}</id>`);
    const filtered = await w.admin.call('subscriptions_get', { user_id: String(users.one) });
    expect(filtered.body).toBe(wrap([a(), b()]));
  });

  it('filters combine: service, start ≥, end ≤, memo, until canceled, all', async () => {
    const ask = async (params: Record<string, string>) => (await w.admin.call('subscriptions_get', params)).body;
    expect(await ask({ subscription_memo: 'Subscriptions memo', user_id: 'all', service_id: 'all' })).toBe(wrap([a()]));
    expect(await ask({ subscription_until_canceled: '1', user_id: String(users.one) })).toBe(wrap([b()]));
    expect(await ask({ subscription_activation_end: '1307167265' })).toBe(wrap([a()]));
    expect(await ask({ subscription_activation_start: '1307167265', user_id: String(users.one) })).toBe(wrap([b()]));
    for (const params of [
      { subscription_memo: 'nope' } as Record<string, string>,
      { user_id: 'x' },
      { service_id: '999999' },
      { subscription_activation_start: 'now' },
    ]) {
      expect(await ask(params)).toBe(pageStatusErrorXml('No Subscriptions found'));
    }
  });

  it('reach: a reseller its users’, an accountant the admin’s (price by See financial data), a user its own', async () => {
    const r1 = (await w.r1.call('subscriptions_get')).body;
    expect(r1).toContain(`<id>${ids.c}</id>`);
    expect(r1).not.toContain(`<id>${ids.a}</id>`);
    expect((await w.r2.call('subscriptions_get')).body).toBe(pageStatusErrorXml('No Subscriptions found'));
    expect((await w.accSubRead.call('subscriptions_get')).body).toBe(wrap([a(false), b(false)]));
    expect((await w.accNone.call('subscriptions_get')).body).toBe(
      pageStatusErrorXml('You are not authorized to manage Subscriptions'),
    );
    const [{ username }] = (await queryRows<{ username: string }>(
      api.handle.db,
      sql`select username from users where id = ${users.one}`,
    )) as [{ username: string }];
    const mine = await api.call('subscriptions_get', { u: username }, { hashOf: [] });
    expect(mine.body).toBe(wrap([a(), b()]));
    expect((await w.user.call('subscriptions_get')).body).toBe(pageStatusErrorXml('No Subscriptions found'));
    expect((await w.partner.call('subscriptions_get')).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await api.call('subscriptions_get', { u: 'nobody' })).body).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('hash: the key only (page example), or the public client’s digest of the filters; /api path', async () => {
    expect(await api.hash({}, [], 'secret')).toBe('e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4');
    const order = [
      'service_id',
      'subscription_activation_start',
      'subscription_activation_end',
      'subscription_memo',
      'subscription_until_canceled',
      'user_id',
    ];
    const example = {
      service_id: '2',
      subscription_activation_start: '1307167264',
      subscription_activation_end: '1307167265',
      subscription_memo: 'Subscriptions memo',
      subscription_until_canceled: '1',
      user_id: '2',
    };
    // The values in the documented order (the spec's worked string carries a stray `1` after the end).
    expect(await api.hash(example, order, 'secret')).toBe(
      await api.hash({ s: '213071672641307167265Subscriptions memo12' }, ['s'], 'secret'),
    );
    const all = { ...example, user_id: String(users.one), service_id: 'all', subscription_until_canceled: '0' };
    expect((await w.admin.call('subscriptions_get', all, order)).body).toBe(wrap([a()]));
    const params = { subscription_memo: 'Subscriptions memo', user_id: String(users.one) };
    expect((await w.admin.call('subscriptions_get', params, ['subscription_memo', 'user_id'])).body).toBe(wrap([a()]));
    expect((await w.admin.call('subscriptions_get', params, ['user_id'])).body).toBe(statusErrorXml('Incorrect hash'));
    expect((await w.admin.call('subscriptions_get', params, [], { prefix: '/api' })).body).toBe(wrap([a()]));
  });
});
