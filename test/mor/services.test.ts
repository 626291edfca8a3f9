import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import type { Caller } from '../helpers/money.ts';
import { insertService, type SubsWorld, serviceRow, subsWorld, successXml } from '../helpers/subs.ts';

const api = useTestApp();
let w: SubsWorld;
beforeAll(async () => {
  w = await subsWorld(api);
});

const CREATE = ['new_service_name', 'new_service_type'];
const create = (as: Caller, params: Record<string, string>, options = {}) =>
  as.call('service_create', params, CREATE, options);
const createdXml = (id: number) =>
  `${XML_DECL}\n<page>\n  <status>\n    <success>Service successfully created</success>\n    <service>\n      <id>${id}</id>\n    </service>\n  </status>\n</page>\n`;
const lastService = async () =>
  (await queryRows<{ id: number }>(api.handle.db, sql`select max(id) as id from services`))[0]!.id;
const actionOf = async (action: string, id: number) =>
  queryRows<{ user_id: number }>(
    api.handle.db,
    sql`select user_id from actions where action = ${action} and target_type = 'service' and target_id = ${id}`,
  );

describe('service_create', () => {
  it('creates a periodic fee with prices and period; answers its id; logs it', async () => {
    const res = await create(w.admin, {
      new_service_name: 'Line rent',
      new_service_type: 'periodic_fee',
      service_sell_price: '12.5',
      service_self_cost: '3.1234567',
      service_period: 'day',
    });
    const id = await lastService();
    expect(res.body).toBe(createdXml(id));
    expect(await serviceRow(api, id)).toEqual({
      owner_id: 0,
      name: 'Line rent',
      memo: '',
      type: 'periodic_fee',
      period: 'day',
      price: '12.500000',
      self_cost: '3.123457',
      quantity: 1,
    });
    expect(await actionOf('service_created', id)).toEqual([{ user_id: 0 }]);
  });

  it('flat rates keep their minutes; other types store quantity 1 and period month', async () => {
    await create(w.admin, {
      new_service_name: 'Flat',
      new_service_type: 'flat_rate',
      service_minutes_per_month: '300',
      service_period: 'day',
    });
    expect(await serviceRow(api, await lastService())).toMatchObject({
      type: 'flat_rate',
      quantity: 300,
      period: 'month',
    });
    await create(w.admin, {
      new_service_name: 'Dyn',
      new_service_type: 'dynamic_flat_rate',
      service_minutes_per_month: '5',
    });
    expect(await serviceRow(api, await lastService())).toMatchObject({ type: 'dynamic_flat_rate', quantity: 5 });
    await create(w.admin, {
      new_service_name: 'Setup',
      new_service_type: 'one_time_fee',
      service_minutes_per_month: '9',
    });
    expect(await serviceRow(api, await lastService())).toMatchObject({
      type: 'one_time_fee',
      quantity: 1,
      period: 'month',
      price: '0.000000',
    });
  });

  it('owner: a reseller its own; the admin may name itself or one of its resellers; an accountant the admin', async () => {
    await create(w.r1, { new_service_name: 'R1 fee', new_service_type: 'periodic_fee' });
    expect(await serviceRow(api, await lastService())).toMatchObject({ owner_id: w.r1.id });
    await create(w.admin, {
      new_service_name: 'For r2',
      new_service_type: 'periodic_fee',
      new_owner_id: String(w.r2.id),
    });
    expect(await serviceRow(api, await lastService())).toMatchObject({ owner_id: w.r2.id });
    await create(w.accSvc, { new_service_name: 'Acc', new_service_type: 'periodic_fee' });
    expect(await serviceRow(api, await lastService())).toMatchObject({ owner_id: 0 });
  });

  it('a bad new_owner_id, or one sent by anyone but the admin, is `User was not found` and creates nothing', async () => {
    const before = await lastService();
    for (const [as, owner] of [
      [w.admin, String(w.user.id)],
      [w.admin, '999999'],
      [w.admin, 'x'],
      [w.r1, String(w.r1.id)],
      [w.accSvc, '0'],
    ] as const) {
      const res = await create(as, { new_service_name: 'N', new_service_type: 'periodic_fee', new_owner_id: owner });
      expect(res.body).toBe(pageStatusErrorXml('User was not found'));
    }
    expect(await lastService()).toBe(before);
  });

  it('answers each validation error in the documented order and creates nothing', async () => {
    const before = await lastService();
    const cases: [Record<string, string>, string][] = [
      [{ new_service_type: 'periodic_fee' }, 'Service must have name'],
      [{ new_service_name: '  ', new_service_type: 'x' }, 'Service must have name'],
      [{ new_service_name: 'N' }, 'Service must have service type'],
      [{ new_service_name: 'N', new_service_type: 'monthly' }, 'Service Type is invalid'],
      [
        { new_service_name: 'N', new_service_type: 'periodic_fee', service_sell_price: 'ten' },
        'Service Price must be numeric',
      ],
      [
        { new_service_name: 'N', new_service_type: 'periodic_fee', service_sell_price: '1', service_self_cost: '1,5' },
        'Service Self Cost must be numeric',
      ],
      [{ new_service_name: 'N', new_service_type: 'flat_rate' }, 'Flat Rate Service must have quantity'],
      [
        { new_service_name: 'N', new_service_type: 'flat_rate', service_minutes_per_month: 'many' },
        'Quantity must be numeric',
      ],
      [
        { new_service_name: 'N', new_service_type: 'flat_rate', service_minutes_per_month: '0' },
        'Quantity must be greater than zero',
      ],
      [
        { new_service_name: 'N', new_service_type: 'dynamic_flat_rate', service_minutes_per_month: '-3' },
        'Quantity must be greater than zero',
      ],
    ];
    for (const [params, message] of cases) {
      expect((await create(w.admin, params)).body).toBe(pageStatusErrorXml(message));
    }
    expect(await lastService()).toBe(before);
  });

  it('callers: simple user and partner Access Denied; accountant without write the page string; unknown u', async () => {
    const params = { new_service_name: 'N', new_service_type: 'periodic_fee' };
    expect((await create(w.user, params)).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await create(w.partner, params)).body).toBe(pageStatusErrorXml('Access Denied'));
    for (const acc of [w.accSvcRead, w.accNone]) {
      expect((await create(acc, params)).body).toBe(
        pageStatusErrorXml('You are not authorized to use this functionality'),
      );
    }
    const res = await api.call('service_create', { u: 'nobody', ...params }, { hashOf: CREATE });
    expect(res.body).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('hash: name then type then key; any other order is Incorrect hash', async () => {
    const params = { new_service_name: 'H', new_service_type: 'periodic_fee' };
    const wrong = await w.admin.call('service_create', params, ['new_service_type', 'new_service_name']);
    expect(wrong.body).toBe(statusErrorXml('Incorrect hash'));
    const right = await w.admin.call('service_create', params, CREATE);
    expect(right.body).toBe(createdXml(await lastService()));
  });

  it('is served under /api too', async () => {
    const res = await create(
      w.admin,
      { new_service_name: 'Alias', new_service_type: 'periodic_fee' },
      { prefix: '/api' },
    );
    expect(res.body).toBe(createdXml(await lastService()));
  });
});

describe('service_update', () => {
  const update = (as: Caller, params: Record<string, string>, options = {}) =>
    as.call('service_update', params, ['service_id'], options);
  const UPDATED = successXml('Service successfully updated');

  it('changes only the sent, non-empty fields; logs it', async () => {
    const id = await insertService(api, { name: 'Old', price: '10' });
    const res = await update(w.admin, {
      service_id: String(id),
      service_name: 'New',
      service_sell_price: '',
      service_self_cost: '2',
    });
    expect(res.body).toBe(UPDATED);
    expect(await serviceRow(api, id)).toMatchObject({
      name: 'New',
      price: '10.000000',
      self_cost: '2.000000',
      type: 'periodic_fee',
    });
    expect(await actionOf('service_updated', id)).toEqual([{ user_id: 0 }]);
    await update(w.admin, { service_id: String(id), service_period: 'day' });
    expect(await serviceRow(api, id)).toMatchObject({ period: 'day' });
  });

  it('switching to a flat type needs minutes; a flat service keeps its own', async () => {
    const id = await insertService(api);
    expect((await update(w.admin, { service_id: String(id), service_type: 'flat_rate' })).body).toBe(
      pageStatusErrorXml('Flat Rate Service must have quantity'),
    );
    expect(await serviceRow(api, id)).toMatchObject({ type: 'periodic_fee' });
    await update(w.admin, { service_id: String(id), service_type: 'flat_rate', service_minutes_per_month: '60' });
    expect(await serviceRow(api, id)).toMatchObject({ type: 'flat_rate', quantity: 60 });
    await update(w.admin, { service_id: String(id), service_name: 'Flat 60' });
    expect(await serviceRow(api, id)).toMatchObject({ type: 'flat_rate', quantity: 60, name: 'Flat 60' });
  });

  it('answers every documented error and changes nothing', async () => {
    const id = String(await insertService(api, { name: 'Keep', type: 'flat_rate', quantity: 10 }));
    const before = await serviceRow(api, Number(id));
    const cases: [Record<string, string>, string][] = [
      [{}, 'Service was not selected'],
      [{ service_id: '999999' }, 'Service was not found'],
      [{ service_id: 'abc' }, 'Service was not found'],
      [{ service_id: id, service_type: 'weekly' }, 'Service Type is invalid'],
      [{ service_id: id, service_sell_price: '1e3' }, 'Service Price must be numeric'],
      [{ service_id: id, service_self_cost: 'x' }, 'Service Self Cost must be numeric'],
      [{ service_id: id, service_minutes_per_month: 'lots' }, 'Quantity must be numeric'],
      [{ service_id: id, service_minutes_per_month: '0' }, 'Quantity must be greater than zero'],
    ];
    for (const [params, message] of cases)
      expect((await update(w.admin, params)).body).toBe(pageStatusErrorXml(message));
    expect(await serviceRow(api, Number(id))).toEqual(before);
  });

  it('realms: a reseller its own only; an accountant the admin’s; callers', async () => {
    const mine = String(await insertService(api, { ownerId: w.r1.id }));
    const admins = String(await insertService(api));
    expect((await update(w.r1, { service_id: mine, service_name: 'R1' })).body).toBe(UPDATED);
    expect((await update(w.r2, { service_id: mine, service_name: 'R2' })).body).toBe(
      pageStatusErrorXml('Service was not found'),
    );
    expect((await update(w.r1, { service_id: admins, service_name: 'R1' })).body).toBe(
      pageStatusErrorXml('Service was not found'),
    );
    expect((await update(w.accSvc, { service_id: mine, service_name: 'A' })).body).toBe(
      pageStatusErrorXml('Service was not found'),
    );
    expect((await update(w.accSvc, { service_id: admins, service_name: 'A' })).body).toBe(UPDATED);
    expect((await update(w.accSvcRead, { service_id: admins, service_name: 'B' })).body).toBe(
      pageStatusErrorXml('You are not authorized to use this functionality'),
    );
    expect((await update(w.user, { service_id: admins })).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await update(w.admin, { service_id: mine, service_name: 'Admin' })).body).toBe(UPDATED);
    expect(await serviceRow(api, Number(mine))).toMatchObject({ name: 'Admin' });
  });

  it('hash service_id + key; /api path', async () => {
    const id = String(await insertService(api));
    expect((await w.admin.call('service_update', { service_id: id }, [])).body).toBe(statusErrorXml('Incorrect hash'));
    expect((await update(w.admin, { service_id: id, service_name: 'P' }, { prefix: '/api' })).body).toBe(UPDATED);
  });
});

describe('service_delete', () => {
  const del = (as: Caller, params: Record<string, string>, options = {}) =>
    as.call('service_delete', params, ['service_id'], options);
  const DELETED = successXml('Service was successfully deleted');

  it('deletes a service without subscriptions, with its destinations; logs it', async () => {
    const id = await insertService(api);
    await api.handle.db.execute(sql`insert into service_destinations (service_id, prefix) values (${id}, '370')`);
    expect((await del(w.admin, { service_id: String(id) })).body).toBe(DELETED);
    expect(await serviceRow(api, id)).toBeUndefined();
    const dest = await queryRows(api.handle.db, sql`select 1 from service_destinations where service_id = ${id}`);
    expect(dest).toEqual([]);
    expect(await actionOf('service_deleted', id)).toEqual([{ user_id: 0 }]);
  });

  it('refuses a service with any subscription', async () => {
    const id = await insertService(api);
    await api.handle.db.execute(
      sql`insert into subscriptions (service_id, user_id, activation_start, activation_end)
        values (${id}, ${w.user.id}, now() - interval '60 days', now() - interval '30 days')`,
    );
    expect((await del(w.admin, { service_id: String(id) })).body).toBe(
      pageStatusErrorXml('Cannot delete - some subscriptions to this service exist'),
    );
    expect(await serviceRow(api, id)).toBeDefined();
  });

  it('errors: unknown u, simple user, accountant without the right, missing or foreign service', async () => {
    const id = String(await insertService(api, { ownerId: w.r1.id }));
    const unknown = await api.call('service_delete', { u: 'nobody', service_id: id }, { hashOf: ['service_id'] });
    expect(unknown.body).toBe(pageStatusErrorXml('User was not found'));
    expect((await del(w.user, { service_id: id })).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await del(w.accSvcRead, { service_id: id })).body).toBe(
      pageStatusErrorXml('You are not authorized to manage Services'),
    );
    for (const params of [{}, { service_id: '999999' }, { service_id: '-1' }] as Record<string, string>[]) {
      expect((await del(w.admin, params)).body).toBe(pageStatusErrorXml('Service was not found'));
    }
    expect((await del(w.r2, { service_id: id })).body).toBe(pageStatusErrorXml('Service was not found'));
    expect((await del(w.accSvc, { service_id: id })).body).toBe(pageStatusErrorXml('Service was not found'));
    expect(await serviceRow(api, Number(id))).toBeDefined();
    expect((await del(w.r1, { service_id: id }, { prefix: '/api' })).body).toBe(DELETED);
  });

  it('hash: the page example (service_id 10, key secret) digest', async () => {
    expect(await api.hash({ service_id: '10' }, ['service_id'], 'secret')).toBe(
      '47e5699c634fee224337b08f292b7301ef3894c6',
    );
    const id = String(await insertService(api, { ownerId: 0 }));
    expect((await w.accSvc.call('service_delete', { service_id: id }, [])).body).toBe(statusErrorXml('Incorrect hash'));
    expect((await del(w.accSvc, { service_id: id })).body).toBe(DELETED);
  });
});
