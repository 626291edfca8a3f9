import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/users.ts';
import { pageErrorXml, pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { insertDevice } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
});

describe('devices_get', () => {
  it("lists a user's devices with the tags integrations read", async () => {
    const user = w.adminUser;
    const sip = await insertDevice(api.handle, user.id, {
      extension: '101',
      secret: 'vauvszef',
      callerid: '"101" <101>',
    });
    const ip = await insertDevice(api.handle, user.id, {
      deviceType: 'IAX2',
      username: '',
      name: 'ipauth4aa73a4300',
      secret: '',
      host: '10.0.0.5',
      ipaddr: '10.0.0.5',
      port: 4569,
      hidden: 1,
    });
    await api.handle.db.update(users).set({ primaryDeviceId: sip.id }).where(eq(users.id, user.id));
    const body = await call('devices_get', 'admin', { user_id: String(user.id) }, ['user_id']);
    expect(body).toBe(
      `${DECL}
<page>
  <devices>
    <device>
      <device_id>${sip.id}</device_id>
      <device_type>SIP</device_type>
      <devicegroup_id></devicegroup_id>
      <primary_device>yes</primary_device>
      <username>101</username>
      <secret>vauvszef</secret>
      <ipaddr>0.0.0.0</ipaddr>
      <port>5060</port>
      <callerid>"101" &lt;101&gt;</callerid>
      <host>dynamic</host>
      <authentication>0</authentication>
    </device>
    <device>
      <device_id>${ip.id}</device_id>
      <device_type>IAX2</device_type>
      <devicegroup_id></devicegroup_id>
      <primary_device>no</primary_device>
      <username></username>
      <secret></secret>
      <ipaddr>10.0.0.5</ipaddr>
      <port>4569</port>
      <callerid></callerid>
      <host>10.0.0.5</host>
      <authentication>1</authentication>
    </device>
  </devices>
</page>
`,
    );
    const visible = await call('devices_get', 'admin', { user_id: String(user.id), show_hidden_devices: '0' }, [
      'user_id',
    ]);
    expect(visible).toContain(`<device_id>${sip.id}</device_id>`);
    expect(visible).not.toContain(`<device_id>${ip.id}</device_id>`);
  });

  it('verifies the documented hash sha1(user_id + key) and serves the old name device_list', async () => {
    await insertDevice(api.handle, w.userA.id);
    const p = { user_id: String(w.userA.id) };
    expect(await call('device_list', 'admin', p, ['user_id'])).toContain('<devices>');
    expect(await call('devices_get', 'admin', p, [])).toBe(statusErrorXml('Incorrect hash'));
  });

  it('answers Bad login, Access Denied, the right error, user_id is empty, User not found, Devices were not found', async () => {
    const p = { user_id: String(w.userA.id) };
    expect(await call('devices_get', 'nobody', p, ['user_id'])).toBe(pageErrorXml('Bad login'));
    expect(await call('devices_get', w.userA.username, p, ['user_id'])).toBe(pageErrorXml('Access Denied'));
    expect(await call('devices_get', w.accountantNone.username, p, ['user_id'])).toBe(
      pageErrorXml('You are not authorized to use this functionality'),
    );
    expect(await call('devices_get', w.accountantRead.username, p, ['user_id'])).toContain('<devices>');
    expect(await call('devices_get', 'admin', {}, ['user_id'])).toBe(pageErrorXml('user_id is empty'));
    expect(await call('devices_get', 'admin', { user_id: '' }, ['user_id'])).toBe(pageErrorXml('user_id is empty'));
    expect(await call('devices_get', 'admin', { user_id: '999999' }, ['user_id'])).toBe(pageErrorXml('User not found'));
    expect(await call('devices_get', 'admin', { user_id: String(w.userB.id) }, ['user_id'])).toBe(
      pageErrorXml('Devices were not found'),
    );
  });

  it("never shows another reseller's user: User not found", async () => {
    await insertDevice(api.handle, w.userB.id);
    expect(await call('devices_get', w.resellerA.username, { user_id: String(w.userB.id) }, ['user_id'])).toBe(
      pageErrorXml('User not found'),
    );
    expect(await call('devices_get', w.resellerB.username, { user_id: String(w.userB.id) }, ['user_id'])).toContain(
      '<devices>',
    );
  });
});

describe('device_details_get', () => {
  it('prints every device column as a flat tag, then the codecs', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id, { extension: '2001', allow: 'alaw;ulaw;g729;h263' });
    const body = await call('device_details_get', 'admin', { device_id: String(device.id) }, ['device_id']);
    expect(
      body.startsWith(`${DECL}\n<page>\n  <id>${device.id}</id>\n  <name>2001</name>\n  <host>dynamic</host>\n`),
    ).toBe(true);
    for (const tag of [
      'secret',
      'context',
      'ipaddr',
      'port',
      'callerid',
      'extension',
      'username',
      'device_type',
      'user_id',
      'primary_did_id',
      'pin',
      'insecure',
      'balance',
      'device_balance_enabled',
    ]) {
      expect(body).toContain(`<${tag}>`);
    }
    expect(body).toContain(`<user_id>${w.adminUser.id}</user_id>`);
    expect(body).toContain(
      '  <codecs>\n    <audio_codecs>alaw, ulaw, g729</audio_codecs>\n    <video_codecs>h263</video_codecs>\n  </codecs>\n</page>\n',
    );
    expect(body).not.toContain('fax_emails');
  });

  it('finds a device by device_u, hashed only when device_id is absent, and prefers device_id', async () => {
    const a = await insertDevice(api.handle, w.adminUser.id, { username: 'by-name-1' });
    const b = await insertDevice(api.handle, w.adminUser.id);
    expect(await call('device_details_get', 'admin', { device_u: 'by-name-1' }, ['device_u'])).toContain(
      `<id>${a.id}</id>`,
    );
    expect(await call('device_details_get', 'admin', { device_u: 'by-name-1' }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    // Both sent: device_id wins, and only it is hashed.
    const both = { device_id: String(b.id), device_u: 'by-name-1' };
    expect(await call('device_details_get', 'admin', both, ['device_id'])).toContain(`<id>${b.id}</id>`);
    expect(await call('device_details_get', 'admin', both, ['device_id', 'device_u'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('answers Access Denied, the right error and Device was not found', async () => {
    const mine = await insertDevice(api.handle, w.userA.id);
    const theirs = await insertDevice(api.handle, w.userB.id);
    const p = { device_id: String(mine.id) };
    expect(await call('device_details_get', 'nobody', p, ['device_id'])).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('device_details_get', w.userA.username, p, ['device_id'])).toBe(
      pageStatusErrorXml('Access Denied'),
    );
    expect(await call('device_details_get', w.accountantNone.username, p, ['device_id'])).toBe(
      pageStatusErrorXml('You are not authorized to use this functionality'),
    );
    expect(await call('device_details_get', w.accountantRead.username, p, ['device_id'])).toContain(
      `<id>${mine.id}</id>`,
    );
    expect(await call('device_details_get', w.resellerA.username, p, ['device_id'])).toContain(`<id>${mine.id}</id>`);
    for (const id of [String(theirs.id), '999999', 'abc']) {
      expect(await call('device_details_get', w.resellerA.username, { device_id: id }, ['device_id'])).toBe(
        pageStatusErrorXml('Device was not found'),
      );
    }
    expect(await call('device_details_get', 'admin', {}, [])).toBe(pageStatusErrorXml('Device was not found'));
  });
});
