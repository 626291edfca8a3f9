import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { pageErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createAccountant, createResellerWithRights, createUser } from '../helpers/factories.ts';
import { DECL, pageSuccessXml } from './devicesWorld.ts';

const api = useTestApp();
const KEY_ON = 'autodialer-on-key';
const KEY_OFF = 'autodialer-off-key';
let resellerOn: { id: number; username: string };
let userOn: { id: number; username: string };
let userOff: { id: number; username: string };
let adminUser: { id: number; username: string };
let accountant: { id: number; username: string };
const keyOf = (u: string) =>
  u === resellerOn.username || u === userOn.username ? KEY_ON : u === userOff.username ? KEY_OFF : undefined;

const toggle = (u: string, id: number | string) =>
  api
    .call('autodialer_change_campaign_status', { u, id: String(id) }, { hashOf: ['u', 'id'], key: keyOf(u) })
    .then((r) => r.body);
const results = (u: string, id: number | string) =>
  api
    .call('autodialer_get_campaign_ivr_poll_results', { u, id: String(id) }, { hashOf: ['u', 'id'], key: keyOf(u) })
    .then((r) => r.body);
/** Multipart POST with the form fields and an optional file part named `file`. */
async function upload(u: string, id: number | string, file?: { name: string; text: string }) {
  const form = new FormData();
  form.set('u', u);
  form.set('id', String(id));
  form.set('hash', await api.hash({ id: String(id) }, ['id'], keyOf(u)));
  if (file) form.set('file', new File([file.text], file.name, { type: 'text/csv' }));
  const res = await api.app.app.request('http://openmor.test/billing/api/autodialer_upload_numbers', {
    method: 'POST',
    body: form,
  });
  return res.text();
}
const notStarted = (message: string) =>
  `${DECL}\n<page>\n  <status>\n    <error>Campaign was not started</error>\n    <message>${message}</message>\n  </status>\n</page>\n`;

beforeAll(async () => {
  resellerOn = await createResellerWithRights(api.handle, { autodialer: 1 }, KEY_ON);
  const resellerOff = await createResellerWithRights(api.handle, {}, KEY_OFF);
  userOn = await createUser(api.handle, { ownerId: resellerOn.id });
  userOff = await createUser(api.handle, { ownerId: resellerOff.id });
  adminUser = await createUser(api.handle);
  accountant = await createAccountant(api.handle, { users_manage: 2 });
  api.changed();
});

describe('autodialer', () => {
  it('a campaign starts only with free numbers and an action, then toggles', async () => {
    const admin = await callerAs(api, 'admin');
    const { id } = await admin.autodialer.createCampaign({ userId: adminUser.id, name: 'Campaign Nr 1' });
    expect(await toggle(adminUser.username, id)).toBe(notStarted('No free numbers for Campaign: Campaign Nr 1'));
    expect(await upload(adminUser.username, id, { name: 'numbers.csv', text: '37060000001\n+37060000002\n' })).toBe(
      pageSuccessXml('2 out of 2 numbers were imported'),
    );
    expect(await toggle(adminUser.username, id)).toBe(notStarted('No actions for Campaign: Campaign Nr 1'));
    await admin.autodialer.addAction({ id, actionType: 'ivr_poll', data: 'poll 1' });
    expect(await toggle(adminUser.username, id)).toBe(pageSuccessXml('Campaign started'));
    expect(await toggle('admin', id)).toBe(pageSuccessXml('Campaign stopped'));
    expect((await admin.autodialer.listCampaigns()).find((c) => c.id === id)).toMatchObject({
      status: 'disabled',
      numbers: 2,
      freeNumbers: 2,
      actions: 1,
    });
    expect(
      await api
        .call('autodialer_change_campaign_status', { u: adminUser.username, id: String(id) }, { hashOf: ['id'] })
        .then((r) => r.body),
    ).toBe(statusErrorXml('Incorrect hash'));
  });

  it('uploads stream in chunks, skip duplicates and non-numbers, and refuse bad files', async () => {
    const own = await callerAs(api, userOn.username);
    const { id } = await own.autodialer.createCampaign({ name: 'Big' });
    const lines = Array.from({ length: 12_000 }, (_, i) => `3706${String(i).padStart(7, '0')}`);
    const text = `${lines.join('\r\n')}\n370600000,x\nabc\n\n  ${lines[0]}  \n"+37069999999";note\n`;
    expect(await upload(userOn.username, id, { name: 'big.CSV', text })).toBe(
      pageSuccessXml('12002 out of 12004 numbers were imported'),
    );
    const [count] = await queryRows<{ n: number }>(
      api.handle.db,
      sql`select count(*)::int as n from campaign_numbers where campaign_id = ${id}::int`,
    );
    expect(count?.n).toBe(12_002);
    expect(await upload(userOn.username, id)).toBe(pageErrorXml('Please provide a file'));
    expect(await upload(userOn.username, id, { name: 'numbers.txt', text: '1' })).toBe(
      pageErrorXml('Please provide CSV file'),
    );
    expect(await upload(userOn.username, id, { name: 'numbers.csv', text: '' })).toBe(pageErrorXml('File is empty'));
    expect(await upload(userOn.username, 999999, { name: 'n.csv', text: '1' })).toBe(
      pageErrorXml('Campaign was not found'),
    );
    // The reseller (with the addon) reaches its user's campaign; another realm's is not found.
    expect(await upload(resellerOn.username, id, { name: 'n.csv', text: '1' })).toBe(
      pageSuccessXml('1 out of 1 numbers were imported'),
    );
    expect(await upload(adminUser.username, id, { name: 'n.csv', text: '1' })).toBe(
      pageErrorXml('Campaign was not found'),
    );
    expect(await upload('nobody', id, { name: 'n.csv', text: '1' })).toBe(pageErrorXml('Access Denied'));
  });

  it('IVR poll results as one text, one answer per line; roles and the addon', async () => {
    const admin = await callerAs(api, 'admin');
    const { id } = await admin.autodialer.createCampaign({ userId: adminUser.id, name: 'Poll' });
    await admin.autodialer.recordPollResult({ id, digits: '1111' });
    await admin.autodialer.recordPollResult({
      id,
      digits: '2222',
      answerTime: '2020-01-01T01:01:01Z',
      endTime: '2090-12-31T23:59:59Z',
    });
    expect(await results(adminUser.username, id)).toBe(
      `${DECL}\n<page>\n  <status>\n    <ivr_poll_results_string>1111\n2222,2020-01-01 01:01:01,2090-12-31 23:59:59</ivr_poll_results_string>\n  </status>\n</page>\n`,
    );
    const noAddon = 'You are not authorized to use this functionality';
    // A reseller without the Autodialer flag: neither it nor its users.
    expect(await results(userOff.username, id)).toBe(pageErrorXml(noAddon));
    expect(await results(accountant.username, id)).toBe(pageErrorXml(noAddon));
    expect(await toggle(accountant.username, id)).toBe(pageErrorXml(noAddon));
    expect(await results(userOn.username, id)).toBe(pageErrorXml('Campaign was not found'));
    expect(await results(resellerOn.username, id)).toBe(pageErrorXml('Campaign was not found'));
    expect(await results('admin', 'abc')).toBe(pageErrorXml('Campaign was not found'));
    expect(await results('nobody', id)).toBe(pageErrorXml('Access Denied'));
  });

  it('a user with a campaign is deleted only when forced, and its campaign goes with it', async () => {
    const admin = await callerAs(api, 'admin');
    const doomed = await createUser(api.handle);
    const { id } = await admin.autodialer.createCampaign({ userId: doomed.id, name: 'Gone' });
    await upload('admin', id, { name: 'n.csv', text: '1\n2\n' });
    const refused = await trpcError(() => admin.users.delete({ id: doomed.id }));
    expect(refused.message).toBe('User has autodialer campaigns');
    await admin.users.delete({ id: doomed.id, force: true });
    const [left] = await queryRows<{ n: number }>(
      api.handle.db,
      sql`select (select count(*) from campaigns where id = ${id}::int) + (select count(*) from campaign_numbers where campaign_id = ${id}::int) as n`,
    );
    expect(Number(left?.n)).toBe(0);
  });
});
