import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { insertService, type SubsWorld, subsWorld } from '../helpers/subs.ts';

const api = useTestApp();
let w: SubsWorld;
let ids: { periodic: number; once: number; flat: number; r1: number };
beforeAll(async () => {
  w = await subsWorld(api);
  ids = {
    periodic: await insertService(api, { name: 'Test_periodic_service', price: '10' }),
    once: await insertService(api, { name: 'Test_one_time_fee_service', type: 'one_time_fee', price: '12.25' }),
    flat: await insertService(api, { name: 'Flat & more', type: 'flat_rate', price: '0.5', quantity: 300 }),
    r1: await insertService(api, { ownerId: w.r1.id, name: 'R1 daily', period: 'day', price: '1.123456' }),
  };
  await api.handle.db.execute(sql`update services set memo = 'Comment', self_cost = '2.5' where id = ${ids.periodic}`);
  await api.handle.db.execute(sql`update services set continue_call = true where id = ${ids.flat}`);
});

const item = (fields: string[]) => `    <service>\n${fields.map((f) => `      ${f}\n`).join('')}    </service>\n`;
const wrap = (items: string[]) => `${XML_DECL}\n<page>\n  <services>\n${items.join('')}  </services>\n</page>\n`;
const periodic = (money = true) =>
  item([
    `<id>${ids.periodic}</id>`,
    '<name>Test_periodic_service</name>',
    '<memo>Comment</memo>',
    '<type>periodic_fee</type>',
    '<period>month</period>',
    ...(money ? ['<price>10.0</price>', '<self_cost>2.5</self_cost>', '<currency>USD</currency>'] : []),
    '<quantity>1</quantity>',
    '<continue_call>0</continue_call>',
  ]);
const once = (money = true) =>
  item([
    `<id>${ids.once}</id>`,
    '<name>Test_one_time_fee_service</name>',
    '<memo></memo>',
    '<type>one_time_fee</type>',
    '<period></period>',
    ...(money ? ['<price>12.25</price>', '<self_cost>0.0</self_cost>', '<currency>USD</currency>'] : []),
    '<quantity></quantity>',
    '<continue_call>0</continue_call>',
  ]);
const flat = (money = true) =>
  item([
    `<id>${ids.flat}</id>`,
    '<name>Flat &amp; more</name>',
    '<memo></memo>',
    '<type>flat_rate</type>',
    '<period></period>',
    ...(money ? ['<price>0.5</price>', '<self_cost>0.0</self_cost>', '<currency>USD</currency>'] : []),
    '<quantity>300</quantity>',
    '<continue_call>1</continue_call>',
  ]);
const r1 = () =>
  item([
    `<id>${ids.r1}</id>`,
    '<name>R1 daily</name>',
    '<memo></memo>',
    '<type>periodic_fee</type>',
    '<period>day</period>',
    '<price>1.123456</price>',
    '<self_cost>0.0</self_cost>',
    '<currency>USD</currency>',
    '<quantity>1</quantity>',
    '<continue_call>0</continue_call>',
  ]);

describe('services_get', () => {
  it('the admin reads every service by id, money as plain decimals with the system currency', async () => {
    const res = await w.admin.call('services_get');
    expect(res.body).toBe(wrap([periodic(), once(), flat(), r1()]));
  });

  it('a reseller its own; an accountant the admin’s, without money unless it sees financial data', async () => {
    expect((await w.r1.call('services_get')).body).toBe(wrap([r1()]));
    expect((await w.accSvcRead.call('services_get')).body).toBe(wrap([periodic(), once(), flat()]));
    expect((await w.accSvcBlind.call('services_get')).body).toBe(wrap([periodic(false), once(false), flat(false)]));
  });

  it('errors: none found, simple user, accountant without the right, unknown u, wrong hash', async () => {
    expect((await w.r2.call('services_get')).body).toBe(pageStatusErrorXml('No Services found'));
    expect((await w.user.call('services_get')).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await w.partner.call('services_get')).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await w.accNone.call('services_get')).body).toBe(
      pageStatusErrorXml('You are not authorized to manage Services'),
    );
    const unknown = await api.call('services_get', { u: 'nobody' });
    expect(unknown.body).toBe(pageStatusErrorXml('You are not authorized to manage Services'));
    const wrong = await w.admin.call('services_get', { x: '1' }, ['x']);
    expect(wrong.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('hash: the secret key only (the page example); /api path', async () => {
    expect(await api.hash({}, [], '123456')).toBe('7c4a8d09ca3762af61e59520943dc26494f8941b');
    expect((await w.r1.call('services_get', {}, [], { prefix: '/api' })).body).toBe(wrap([r1()]));
  });
});
