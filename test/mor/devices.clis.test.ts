import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { callerids, ivrs } from '../../src/db/schema/clis.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { insertCli, insertDevice, nameUser } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageStatusXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
const ADD_HASH = ['device_id', 'cli_number', 'cli_description', 'comment', 'banned', 'ivr_id'];
const clisOf = (deviceId: number) => api.handle.db.select().from(callerids).where(eq(callerids.deviceId, deviceId));

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
  await nameUser(api.handle, w.userB.id, 'User', 'Resellers');
});

describe('cli_add', () => {
  it('adds a CLI; accepts the full documented hash or device_id + cli_number', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const [ivr] = await api.handle.db.insert(ivrs).values({ name: 'menu', ownerId: 0 }).returning();
    const params = {
      device_id: String(device.id),
      cli_number: '1234678',
      cli_description: 'description',
      comment: 'comment',
      ivr_id: String(ivr!.id),
      banned: '1',
      test: '1',
    };
    expect(await call('cli_add', 'admin', params, ADD_HASH)).toBe(pageStatusXml('CLI successfully created'));
    const [cli] = await clisOf(device.id);
    expect(cli).toMatchObject({
      cli: '1234678',
      description: 'description',
      comment: 'comment',
      banned: 1,
      ivrId: ivr!.id,
    });
    const short = { device_id: String(device.id), cli_number: '1234679', cli_domain: 'sip.example.com' };
    expect(await call('cli_add', 'admin', short, ['device_id', 'cli_number'])).toBe(
      pageStatusXml('CLI successfully created'),
    );
    expect(await call('cli_add', 'admin', { ...short, cli_number: '1234680' }, ['cli_number', 'device_id'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('accepts the short digest (device_id + cli_number) only when no field it leaves unsigned is sent', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const base = { device_id: String(device.id) };
    const extras: Record<string, string>[] = [
      { cli_description: 'x' },
      { comment: 'x' },
      { banned: '1' },
      { banned: '0' },
      { ivr_id: '1' },
    ];
    for (const [i, extra] of extras.entries()) {
      const cli = `55501${i}`;
      expect(await call('cli_add', 'admin', { ...base, cli_number: cli, ...extra }, ['device_id', 'cli_number'])).toBe(
        statusErrorXml('Incorrect hash'),
      );
    }
    expect(await clisOf(device.id)).toEqual([]);
    expect(await call('cli_add', 'admin', { ...base, cli_number: '555019', comment: 'x' }, ADD_HASH)).toBe(
      pageStatusXml('CLI successfully created'),
    );
  });

  it('validates in the documented order', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const d = String(device.id);
    const cases: [Record<string, string>, string][] = [
      [{ device_id: d }, 'CLI Number cannot be empty'],
      [{ cli_number: '111' }, 'Device ID cannot be empty'],
      [{ device_id: '999999', cli_number: '111' }, 'Device was not found'],
      [{ device_id: d, cli_number: '111', ivr_id: '999' }, 'IVR was not found'],
      [{ device_id: d, cli_number: '11a' }, 'CLI must be numeric'],
    ];
    for (const [params, message] of cases)
      expect(await call('cli_add', 'admin', params, ADD_HASH)).toBe(pageStatusErrorXml(message));
    expect(await clisOf(device.id)).toHaveLength(0);
  });

  it('keeps a number unique system-wide, naming the owner only within reach', async () => {
    const theirs = await insertDevice(api.handle, w.userB.id);
    await insertCli(api.handle, theirs.id, { cli: '37069900001' });
    const mine = await insertDevice(api.handle, w.userA.id);
    const p = { device_id: String(mine.id), cli_number: '37069900001' };
    expect(await call('cli_add', w.resellerA.username, p, ADD_HASH)).toBe(pageStatusErrorXml('CLI already exists'));
    const admins = await insertDevice(api.handle, w.adminUser.id);
    expect(await call('cli_add', 'admin', { ...p, device_id: String(admins.id) }, ADD_HASH)).toBe(
      pageStatusErrorXml('CLI already exists. It is assigned to User Resellers device'),
    );
  });

  it("answers Access Denied, the right error, and hides other resellers' devices", async () => {
    const theirs = await insertDevice(api.handle, w.userB.id);
    const mine = await insertDevice(api.handle, w.userA.id);
    const p = (id: number, n: string) => ({ device_id: String(id), cli_number: n });
    expect(await call('cli_add', 'nobody', p(mine.id, '501'), ADD_HASH)).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('cli_add', w.userA.username, p(mine.id, '501'), ADD_HASH)).toBe(
      pageStatusErrorXml('Access Denied'),
    );
    const denied = pageStatusErrorXml('You are not authorized to use this functionality');
    expect(await call('cli_add', w.accountantNone.username, p(mine.id, '501'), ADD_HASH)).toBe(denied);
    expect(await call('cli_add', w.accountantRead.username, p(mine.id, '501'), ADD_HASH)).toBe(denied);
    expect(await call('cli_add', w.resellerA.username, p(theirs.id, '501'), ADD_HASH)).toBe(
      pageStatusErrorXml('Device was not found'),
    );
    expect(await call('cli_add', w.resellerA.username, p(mine.id, '501'), ADD_HASH)).toBe(
      pageStatusXml('CLI successfully created'),
    );
    expect(await call('cli_add', w.accountant.username, p(mine.id, '502'), ADD_HASH)).toBe(
      pageStatusXml('CLI successfully created'),
    );
  });
});

describe('cli_delete', () => {
  it('deletes by number, hash sha1(cli_number + key); CLI was not found outside reach', async () => {
    const mine = await insertDevice(api.handle, w.userA.id);
    const theirs = await insertDevice(api.handle, w.userB.id);
    await insertCli(api.handle, mine.id, { cli: '700001' });
    await insertCli(api.handle, theirs.id, { cli: '700002' });
    expect(await call('cli_delete', w.resellerA.username, { cli_number: '700001' }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect(await call('cli_delete', w.resellerA.username, { cli_number: '700002' }, ['cli_number'])).toBe(
      pageStatusErrorXml('CLI was not found'),
    );
    expect(await call('cli_delete', w.resellerA.username, { cli_number: '799999' }, ['cli_number'])).toBe(
      pageStatusErrorXml('CLI was not found'),
    );
    expect(await call('cli_delete', w.resellerA.username, { cli_number: '700001' }, ['cli_number'])).toBe(
      pageStatusXml('CLI successfully deleted'),
    );
    expect(await clisOf(mine.id)).toHaveLength(0);
    expect(await clisOf(theirs.id)).toHaveLength(1);
  });

  it('answers Access Denied and the right error; deletes a domain-only CLI by cli_domain', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    await insertCli(api.handle, device.id, { domain: 'only.example.com' });
    expect(await call('cli_delete', 'nobody', { cli_number: '1' }, ['cli_number'])).toBe(
      pageStatusErrorXml('Access Denied'),
    );
    expect(await call('cli_delete', w.userA.username, { cli_number: '1' }, ['cli_number'])).toBe(
      pageStatusErrorXml('Access Denied'),
    );
    expect(await call('cli_delete', w.accountantRead.username, { cli_number: '1' }, ['cli_number'])).toBe(
      pageStatusErrorXml('You are not authorized to use this functionality'),
    );
    expect(await call('cli_delete', w.accountant.username, { cli_domain: 'only.example.com' }, ['cli_number'])).toBe(
      pageStatusXml('CLI successfully deleted'),
    );
  });
});

describe('cli_info_get', () => {
  it('answers the user and device of a CLI, hash sha1(key), also as cli_get_info', async () => {
    const device = await insertDevice(api.handle, w.userA.id);
    await insertCli(api.handle, device.id, { cli: '800001', domain: 'info.example.com' });
    const ok = `${DECL}\n<page>\n  <cli>\n    <device>\n      <user_id>${w.userA.id}</user_id>\n      <device_id>${device.id}</device_id>\n    </device>\n  </cli>\n</page>\n`;
    expect(await call('cli_info_get', w.resellerA.username, { cli: '800001' }, [])).toBe(ok);
    expect(await call('cli_get_info', 'admin', { cli: '800001', p: 'ignored' }, [])).toBe(ok);
    expect(await call('cli_info_get', 'admin', { domain: 'info.example.com' }, [])).toBe(ok);
    expect(await call('cli_info_get', 'admin', { cli: '800001' }, ['cli'])).toBe(statusErrorXml('Incorrect hash'));
  });

  it('answers CLI is empty, CLI not found (also outside reach), Access Denied and the right error', async () => {
    const theirs = await insertDevice(api.handle, w.userB.id);
    await insertCli(api.handle, theirs.id, { cli: '800002' });
    expect(await call('cli_info_get', 'admin', { cli: ' ' }, [])).toBe(pageStatusErrorXml('CLI is empty'));
    expect(await call('cli_info_get', 'admin', {}, [])).toBe(pageStatusErrorXml('CLI is empty'));
    expect(await call('cli_info_get', 'admin', { cli: '80x' }, [])).toBe(pageStatusErrorXml('CLI not found'));
    expect(await call('cli_info_get', w.resellerA.username, { cli: '800002' }, [])).toBe(
      pageStatusErrorXml('CLI not found'),
    );
    expect(await call('cli_info_get', w.resellerB.username, { cli: '800002' }, [])).toContain('<device_id>');
    expect(await call('cli_info_get', 'nobody', { cli: '800002' }, [])).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('cli_info_get', w.userB.username, { cli: '800002' }, [])).toBe(
      pageStatusErrorXml('Access Denied'),
    );
    expect(await call('cli_info_get', w.accountantNone.username, { cli: '800002' }, [])).toBe(
      pageStatusErrorXml('You are not authorized to use this functionality'),
    );
    expect(await call('cli_info_get', w.accountantRead.username, { cli: '800002' }, [])).toContain('<device_id>');
  });
});

describe('device_clis_get', () => {
  it('lists CLIs as the seed prints them, hash sha1(key) (the seed example digest)', async () => {
    const device = await insertDevice(api.handle, w.resellerA.id, {
      deviceType: 'IAX2',
      name: 'ipauth4aa73a4300',
      username: '',
    });
    const cli = await insertCli(api.handle, device.id, {
      cli: '45456464',
      description: 'Test Reseller',
      comment: 'rhrtghg',
      addedAt: new Date('2015-08-31T09:40:23Z'),
      updatedAt: new Date('2015-08-31T13:14:48Z'),
    });
    const res = await api.call(
      'device_clis_get',
      { u: 'admin', devices_id: String(device.id), users_id: String(w.resellerA.id) },
      { hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
    );
    expect(res.body).toBe(
      `${DECL}\n<page>\n  <status>\n    <cli_id>${cli.id}</cli_id>\n    <cli_cli>45456464</cli_cli>\n    <cli_device>IAX2/ipauth4aa73a4300</cli_device>\n    <cli_description>Test Reseller</cli_description>\n    <cli_added_at>2015-08-31 09:40:23 +0000</cli_added_at>\n    <cli_updated_at>2015-08-31 13:14:48 +0000</cli_updated_at>\n    <cli_comment>rhrtghg</cli_comment>\n    <cli_email_callback>0</cli_email_callback>\n    <cli_banned>0</cli_banned>\n  </status>\n</page>\n`,
    );
  });

  it('narrows by user and device within reach; answers the documented errors', async () => {
    const a1 = await insertDevice(api.handle, w.userA.id);
    const a2 = await insertDevice(api.handle, w.userA.id);
    const b1 = await insertDevice(api.handle, w.userB.id);
    await insertCli(api.handle, a1.id, { cli: '900001' });
    await insertCli(api.handle, a2.id, { cli: '900002' });
    await insertCli(api.handle, b1.id, { cli: '900003' });
    const r = w.resellerA.username;
    const byUser = await call('device_clis_get', r, { users_id: String(w.userA.id) }, []);
    expect(byUser).toContain('<cli_cli>900001</cli_cli>');
    expect(byUser).toContain('<cli_cli>900002</cli_cli>');
    expect(byUser).not.toContain('900003');
    const one = await call('device_clis_get', r, { devices_id: String(a2.id) }, []);
    expect(one).toContain('<cli_cli>900002</cli_cli>');
    expect(one.match(/<cli_cli>/g)).toHaveLength(1);
    const all = await call('device_clis_get', r, {}, []);
    expect(all).toContain('900001');
    expect(all).not.toContain('900003');
    expect(await call('device_clis_get', r, { users_id: String(w.userB.id) }, [])).toBe(
      pageStatusErrorXml('User was not found'),
    );
    expect(await call('device_clis_get', r, { users_id: 'x' }, [])).toBe(pageStatusErrorXml('User was not found'));
    expect(await call('device_clis_get', r, { devices_id: String(b1.id) }, [])).toBe(
      pageStatusErrorXml('Device was not found'),
    );
    expect(
      await call('device_clis_get', 'admin', { users_id: String(w.userB.id), devices_id: String(a1.id) }, []),
    ).toBe(pageStatusErrorXml('Device was not found'));
    const empty = await insertDevice(api.handle, w.userA.id);
    expect(await call('device_clis_get', r, { devices_id: String(empty.id) }, [])).toBe(
      pageStatusErrorXml('CLIs were not found'),
    );
    expect(await call('device_clis_get', 'nobody', {}, [])).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('device_clis_get', w.userA.username, {}, [])).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('device_clis_get', w.accountantNone.username, {}, [])).toBe(
      pageStatusErrorXml('You are not authorized to use this functionality'),
    );
  });
});
