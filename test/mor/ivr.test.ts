import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialplans } from '../../src/db/schema/dids.ts';
import { ivrTimePeriods, pbxPools } from '../../src/db/schema/pbx.ts';
import { callerAs } from '../helpers/admin.ts';
import { pageErrorXml, pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createAccountant, createResellerWithRights, createUser } from '../helpers/factories.ts';
import { DECL, pageSuccessXml } from './devicesWorld.ts';

const api = useTestApp();
const KEY_PBX = 'reseller-pbx-key';
const KEY_PLAIN = 'reseller-plain-key';
let pbxReseller: { id: number; username: string };
let plainReseller: { id: number; username: string };
let user: { id: number; username: string };
let accountant: { id: number; username: string };
const keyOf = (u: string) =>
  u === pbxReseller.username ? KEY_PBX : u === plainReseller.username ? KEY_PLAIN : undefined;
const call = (method: string, u: string, params: Record<string, string>, hashOf: string[]) =>
  api.call(method, { u, ...params }, { hashOf, key: keyOf(u) }).then((r) => r.body);

beforeAll(async () => {
  pbxReseller = await createResellerWithRights(api.handle, { pbx_functions: 1 }, KEY_PBX);
  plainReseller = await createResellerWithRights(api.handle, {}, KEY_PLAIN);
  user = await createUser(api.handle);
  accountant = await createAccountant(api.handle, { users_manage: 2 });
  api.changed();
});

describe('ivr_time_period_update', () => {
  const update = (u: string, id: number | string, params: Record<string, string>) =>
    call('ivr_time_period_update', u, { ivr_time_period_id: String(id), ...params }, ['u', 'ivr_time_period_id']);
  const ok = `${DECL}\n<page>\n  <status>\n    <message>Time Periods successfully updated</message>\n  </status>\n</page>\n`;

  it('changes the sent fields, clears blank ones, answers every documented string byte for byte', async () => {
    const admin = await callerAs(api, 'admin');
    const { id } = await admin.ivr.createTimePeriod({ name: 'Office', startMonth: '1', startDay: '5' });
    expect(
      await update('admin', id, {
        name: 'Test Time Period',
        start_weekday: 'mon',
        end_weekday: 'WED',
        start_hour: '8',
        end_minute: '30',
        start_month: '',
      }),
    ).toBe(ok);
    const [row] = await api.handle.db.select().from(ivrTimePeriods).where(eq(ivrTimePeriods.id, id));
    expect(row).toMatchObject({
      name: 'Test Time Period',
      startWeekday: 'mon',
      endWeekday: 'wed',
      startHour: 8,
      endHour: 23,
      endMinute: 30,
      startMonth: null,
      startDay: 5,
    });
    const refusals: [Record<string, string>, string][] = [
      [{ start_hour: '24' }, 'start_hour must be beetween 0 and 23'],
      [{ end_hour: 'x' }, 'send_hour must be beetween 0 and 23'],
      [{ start_minute: '60' }, 'start_minute must be beetween 0 and 59'],
      [{ end_minute: '-1' }, 'send_minute must be beetween 0 and 5'],
      [{ start_weekday: 'monday' }, 'Valid start_weekday values are mon, tue, wed, thu, fri, sat, sun'],
      [{ end_weekday: '1' }, 'Valid end_weekday values are mon, tue, wed, thu, fri, sat, sun'],
      [{ start_month: '0' }, 'start_month must be beetween 1 and 12'],
      [{ end_month: '13' }, 'send_month must be beetween 1 and 12'],
      [{ start_day: '32' }, 'start_day must be beetween 1 and 31'],
      [{ end_day: '0' }, 'send_day must be beetween 1 and 31'],
      [{ name: ' ' }, 'name value cannot be blank'],
      // The first failing field in the page's order wins.
      [{ name: '', end_day: '0', start_hour: '99' }, 'start_hour must be beetween 0 and 23'],
    ];
    for (const [params, text] of refusals) expect(await update('admin', id, params)).toBe(pageStatusErrorXml(text));
    expect((await api.handle.db.select().from(ivrTimePeriods).where(eq(ivrTimePeriods.id, id)))[0]?.name).toBe(
      'Test Time Period',
    );
    // Realms: a reseller has its own periods; the admin's is not found for it.
    const reseller = await callerAs(api, plainReseller.username);
    const own = await reseller.ivr.createTimePeriod({ name: 'Mine' });
    expect(await update(plainReseller.username, own.id, { end_hour: '17' })).toBe(ok);
    for (const [u, target] of [
      [plainReseller.username, id],
      ['admin', own.id],
      ['admin', 999999],
    ] as const) {
      expect(await update(u, target, { name: 'x' })).toBe(pageStatusErrorXml('Time period was not found'));
    }
    for (const u of [user.username, accountant.username, 'nobody']) {
      expect(await update(u, id, { name: 'x' })).toBe(pageStatusErrorXml('Access Denied'));
    }
    expect(
      await api
        .call(
          'ivr_time_period_update',
          { u: 'admin', ivr_time_period_id: String(id) },
          { hashOf: ['ivr_time_period_id'] },
        )
        .then((r) => r.body),
    ).toBe(statusErrorXml('Incorrect hash'));
  });
});

describe('ivr_dial_plan_update', () => {
  it('sets, keeps and clears the three slots; refuses unknown plans and periods slot by slot', async () => {
    const admin = await callerAs(api, 'admin');
    const p1 = await admin.ivr.createTimePeriod({ name: 'P1' });
    const p2 = await admin.ivr.createTimePeriod({ name: 'P2' });
    const { id } = await admin.ivr.createDialPlan({ name: 'IVR plan' });
    const update = (u: string, plan: number | string, params: Record<string, string>) =>
      call('ivr_dial_plan_update', u, { ivr_dial_plan_id: String(plan), ...params }, ['u', 'ivr_dial_plan_id']);
    const ok = pageSuccessXml('Dial Plan successfully updated');
    expect(
      await update('admin', id, {
        time_period1: String(p1.id),
        time_period2: String(p2.id),
        time_period3: String(p1.id),
      }),
    ).toBe(ok);
    expect(await update('admin', id, { time_period2: '' })).toBe(ok);
    expect((await admin.ivr.listDialPlans()).find((p) => p.id === id)).toEqual({
      id,
      name: 'IVR plan',
      timePeriod1: p1.id,
      timePeriod2: null,
      timePeriod3: p1.id,
    });
    const theirs = await (await callerAs(api, plainReseller.username)).ivr.createTimePeriod({ name: 'R' });
    expect(await update('admin', id, { time_period1: '999999' })).toBe(
      pageStatusErrorXml('time_period1 was not found'),
    );
    expect(await update('admin', id, { time_period2: String(theirs.id) })).toBe(
      pageStatusErrorXml('time_period2 was not found'),
    );
    expect(await update('admin', id, { time_period1: String(p1.id), time_period3: 'x' })).toBe(
      pageStatusErrorXml('time_period3 was not found'),
    );
    const [other] = await api.handle.db
      .insert(dialplans)
      .values({ name: 'qf', dptype: 'quickforwarddids' })
      .returning();
    for (const [u, plan] of [
      ['admin', other!.id],
      ['admin', 999999],
      [plainReseller.username, id],
    ] as const) {
      expect(await update(u, plan, { time_period1: '' })).toBe(pageStatusErrorXml('Dial plan was not found'));
    }
    expect(await update(user.username, id, {})).toBe(pageStatusErrorXml('Access Denied'));
  });
});

describe('pbx_pool_create', () => {
  it('creates in the realm, keeps names unique per realm, and answers each refusal', async () => {
    const ok = pageSuccessXml('PbxPool was succesfully created');
    expect(await call('pbx_pool_create', 'admin', { name: 'pbx_pool_test', comment: 'c' }, ['name'])).toBe(ok);
    expect(await call('pbx_pool_create', 'admin', { name: 'pbx_pool_test' }, ['name'])).toBe(
      pageErrorXml('PbxPool name must be unique'),
    );
    expect(await call('pbx_pool_create', 'admin', { name: ' ' }, ['name'])).toBe(
      pageErrorXml('PbxPool must have name'),
    );
    expect(await call('pbx_pool_create', 'admin', {}, ['name'])).toBe(pageErrorXml('PbxPool must have name'));
    expect(await call('pbx_pool_create', pbxReseller.username, { name: 'pbx_pool_test' }, ['name'])).toBe(ok);
    const notAuthorised = pageErrorXml('You are not authorised to use this functionality');
    expect(await call('pbx_pool_create', plainReseller.username, { name: 'p' }, ['name'])).toBe(notAuthorised);
    expect(await call('pbx_pool_create', accountant.username, { name: 'p' }, ['name'])).toBe(notAuthorised);
    expect(await call('pbx_pool_create', user.username, { name: 'p' }, ['name'])).toBe(pageErrorXml('Access Denied'));
    expect(await call('pbx_pool_create', 'nobody', { name: 'p' }, ['name'])).toBe(pageErrorXml('Access Denied'));
    expect(await call('pbx_pool_create', 'admin', { name: 'p' }, [])).toBe(statusErrorXml('Incorrect hash'));
    const pools = await api.handle.db.select().from(pbxPools).orderBy(pbxPools.id);
    expect(pools.map((p) => [p.name, p.ownerId, p.global])).toEqual([
      ['Global', 0, true],
      ['pbx_pool_test', 0, false],
      ['pbx_pool_test', pbxReseller.id, false],
    ]);
    const listed = await (await callerAs(api, pbxReseller.username)).pbxPools.list();
    expect(listed.map((p) => p.name)).toEqual(['Global', 'pbx_pool_test']);
  });
});
