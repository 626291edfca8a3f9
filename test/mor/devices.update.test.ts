import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { devices } from '../../src/db/schema/devices.ts';
import { locations } from '../../src/db/schema/stubs.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { insertDevice, insertDid, setConflines } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
const HASH = ['device', 'authentication', 'username', 'host', 'port'];
const OK = pageSuccessXml('Device successfully updated');
const load = async (id: number) => (await api.handle.db.select().from(devices).where(eq(devices.id, id)))[0]!;
const notUpdated = (...messages: string[]) =>
  `${DECL}\n<page>\n  <status>\n    <error>Device was not updated</error>\n${messages.map((m) => `    <message>${m}</message>\n`).join('')}  </status>\n</page>\n`;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
});

describe('device_update', () => {
  it('saves the sent fields, answers the documented success and logs device_edited', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const body = await call(
      'device_update',
      'admin',
      {
        device: String(device.id),
        description: 'front desk',
        call_limit: '3',
        pin: '',
        language: 'lt',
        transport: 'tcp',
        hidden: '1',
      },
      HASH,
    );
    expect(body).toBe(OK);
    expect(await load(device.id)).toMatchObject({
      description: 'front desk',
      callLimit: 3,
      pin: '',
      language: 'lt',
      transport: 'tcp',
      hidden: 1,
    });
    const logs = await api.handle.db.select().from(actions).where(eq(actions.action, 'device_edited'));
    expect(logs.some((l) => l.targetId === device.id)).toBe(true);
  });

  it('verifies seed 003: sha1("2" + "7" + "secret") with the May-2014 location_id', async () => {
    await api.handle.db.insert(locations).values({ id: 7, name: 'Global', ownerId: 0 });
    await insertDevice(api.handle, w.adminUser.id, { id: 2 });
    const res = await api.call(
      'device_update',
      { u: 'admin', device: '2', location_id: '7' },
      { hash: '297dab8c386794b2e947d52affb8f576c643569e' },
    );
    expect(res.body).toBe(OK);
    expect((await load(2)).locationId).toBe(7);
  });

  it('accepts the May-2014 digest (device + location_id) only when location_id is sent and nothing it leaves out', async () => {
    await api.handle.db.insert(locations).values({ id: 7, name: 'Global', ownerId: 0 }).onConflictDoNothing();
    const device = await insertDevice(api.handle, w.adminUser.id, { username: 'keepme01' });
    const id = String(device.id);
    const old = ['device', 'location_id'];
    // Without location_id the old digest is sha1(device + key): it must not sign a username change.
    expect(await call('device_update', 'admin', { device: id, username: 'stolen01' }, old)).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect(await call('device_update', 'admin', { device: id, device_name: 'stolen02' }, old)).toBe(
      statusErrorXml('Incorrect hash'),
    );
    // With location_id, the old digest still signs none of authentication, username, host, port.
    const extras: Record<string, string>[] = [
      { username: 'stolen03' },
      { device_name: 'stolen04' },
      { authentication: '1', host: '10.0.0.9' },
      { host: '10.0.0.9' },
      { port: '5070' },
      { username: '' },
    ];
    for (const extra of extras) {
      expect(await call('device_update', 'admin', { device: id, location_id: '7', ...extra }, old)).toBe(
        statusErrorXml('Incorrect hash'),
      );
    }
    expect(await load(device.id)).toMatchObject({ username: 'keepme01', host: 'dynamic' });
    // The documented list signs them.
    expect(await call('device_update', 'admin', { device: id, location_id: '7', username: 'renamed1' }, HASH)).toBe(OK);
    expect(await load(device.id)).toMatchObject({ username: 'renamed1', locationId: 7 });
    // device_name is the username, hashed in its place (username wins when both are sent).
    const named = { device: id, device_name: 'renamed2' };
    expect(await call('device_update', 'admin', named, HASH)).toBe(statusErrorXml('Incorrect hash'));
    expect(await call('device_update', 'admin', named, ['device', 'device_name'])).toBe(OK);
    expect((await load(device.id)).username).toBe('renamed2');
    const both = { device: id, username: 'renamed3', device_name: 'ignored1' };
    expect(await call('device_update', 'admin', both, ['device', 'device_name'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect(await call('device_update', 'admin', both, HASH)).toBe(OK);
    expect((await load(device.id)).username).toBe('renamed3');
  });

  it('switches to IP authentication and back; hashes device, authentication, username, host, port', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id, { extension: '51x' });
    const ip = { device: String(device.id), authentication: '1', host: '192.168.5.20', port: '5060' };
    expect(await call('device_update', 'admin', ip, ['device', 'host', 'authentication', 'port'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect(await call('device_update', 'admin', ip, HASH)).toBe(OK);
    expect(await load(device.id)).toMatchObject({
      host: '192.168.5.20',
      ipaddr: '192.168.5.20',
      port: 5060,
      username: '',
      secret: '',
      insecure: 'port,invite',
    });
    expect(await call('device_update', 'admin', { device: String(device.id), authentication: '0' }, HASH)).toBe(OK);
    const back = await load(device.id);
    expect(back).toMatchObject({ host: 'dynamic', username: '51x', name: '51x', insecure: 'no' });
    expect(back.secret).toMatch(/^[A-Za-z0-9]{12}$/);
  });

  it('sets username (or device_name) and password, never a weak one', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const id = String(device.id);
    expect(
      await call('device_update', 'admin', { device: id, username: 'alice01', password: 'Str0ngPassw0rd' }, HASH),
    ).toBe(OK);
    expect(await load(device.id)).toMatchObject({ username: 'alice01', name: 'alice01', secret: 'Str0ngPassw0rd' });
    expect(
      await call('device_update', 'admin', { device: id, device_name: 'bob00001' }, ['device', 'device_name']),
    ).toBe(OK);
    expect((await load(device.id)).username).toBe('bob00001');
    expect(await call('device_update', 'admin', { device: id, password: 'short' }, HASH)).toBe(
      notUpdated('Password is too short'),
    );
    expect(await call('device_update', 'admin', { device: id, password: 'bob00001' }, HASH)).toBe(
      notUpdated('Password must differ from username'),
    );
    expect((await load(device.id)).secret).toBe('Str0ngPassw0rd');
  });

  it('reports every problem with Device was not updated and saves nothing', async () => {
    const other = await insertDevice(api.handle, w.adminUser.id, { extension: 'busy1' });
    const device = await insertDevice(api.handle, w.adminUser.id, { description: 'before' });
    const body = await call(
      'device_update',
      'admin',
      {
        device: String(device.id),
        authentication: '1',
        host: '300.1.1.1',
        extension: other.extension,
        call_limit: '-1',
        transport: 'smoke',
        description: 'after',
      },
      HASH,
    );
    expect(body).toBe(
      notUpdated('Host is invalid', 'call_limit is invalid', 'transport is invalid', 'Extension is already used'),
    );
    expect(await load(device.id)).toMatchObject({ description: 'before', host: 'dynamic' });
  });

  it('keeps a missing CallerID half and clears one only with allow_empty_callerid', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id, { callerid: '"Desk" <370600>' });
    const id = String(device.id);
    expect(await call('device_update', 'admin', { device: id, callerid_number: '370611' }, HASH)).toBe(OK);
    expect((await load(device.id)).callerid).toBe('"Desk" <370611>');
    expect(await call('device_update', 'admin', { device: id, callerid_number: '' }, HASH)).toBe(OK);
    expect((await load(device.id)).callerid).toBe('"Desk" <370611>');
    expect(
      await call('device_update', 'admin', { device: id, callerid_number: '', allow_empty_callerid: '1' }, HASH),
    ).toBe(OK);
    expect((await load(device.id)).callerid).toBe('"Desk" <>');
  });

  it('lets total_call_limit win, sets trunk with ANI, FAX e-mails and DID CallerID control', async () => {
    const fax = await insertDevice(api.handle, w.adminUser.id, { deviceType: 'FAX' });
    const id = String(fax.id);
    const params = {
      device: id,
      total_call_limit: '5',
      call_limit: 'bad',
      trunk: '2',
      fax_email_add: 'fax@example.com',
    };
    expect(await call('device_update', 'admin', params, HASH)).toBe(OK);
    expect(await load(fax.id)).toMatchObject({ totalCallLimit: 5, istrunk: 1, ani: 1, faxEmails: ['fax@example.com'] });
    expect(await call('device_update', 'admin', { device: id, fax_email_delete: 'fax@example.com' }, HASH)).toBe(OK);
    expect((await load(fax.id)).faxEmails).toEqual([]);
    expect(await call('device_update', 'admin', { device: id, callerid_control_by_dids: '1' }, HASH)).toBe(
      notUpdated('callerid_control_by_dids is invalid'),
    );
    await insertDid(api.handle, { did: '37050000077', deviceId: fax.id, status: 'active' });
    expect(await call('device_update', 'admin', { device: id, callerid_control_by_dids: '1' }, HASH)).toBe(OK);
  });

  it('checks the location realm: Location was not found', async () => {
    const [own] = await api.handle.db.insert(locations).values({ name: 'A', ownerId: w.resellerA.id }).returning();
    const device = await insertDevice(api.handle, w.userA.id);
    const p = (loc: string) => ({ device: String(device.id), new_location_id: loc, description: 'x' });
    expect(await call('device_update', w.resellerA.username, p('7'), HASH)).toBe(
      pageStatusErrorXml('Location was not found'),
    );
    expect((await load(device.id)).description).toBe('');
    expect(await call('device_update', w.resellerA.username, p(String(own!.id)), HASH)).toBe(OK);
    await setConflines(api.handle, 0, { allow_resellers_admin_localization: '1' });
    expect(await call('device_update', w.resellerA.username, p('7'), HASH)).toBe(OK);
    expect(await call('device_update', 'admin', p(String(own!.id)), HASH)).toBe(
      pageStatusErrorXml('Location was not found'),
    );
  });

  it('answers Access Denied, the right error and Device was not found by role and realm', async () => {
    const mine = await insertDevice(api.handle, w.userA.id);
    const theirs = await insertDevice(api.handle, w.userB.id);
    const p = { device: String(mine.id), comment: 'c' };
    expect(await call('device_update', 'nobody', p, HASH)).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('device_update', w.userA.username, p, HASH)).toBe(pageStatusErrorXml('Access Denied'));
    const denied = pageStatusErrorXml('You are not authorized to use this functionality');
    expect(await call('device_update', w.accountantNone.username, p, HASH)).toBe(denied);
    expect(await call('device_update', w.accountantRead.username, p, HASH)).toBe(denied);
    expect(await call('device_update', w.accountant.username, p, HASH)).toBe(OK);
    expect(await call('device_update', w.resellerA.username, p, HASH)).toBe(OK);
    expect(await call('device_update', w.resellerA.username, { device: String(theirs.id) }, HASH)).toBe(
      pageStatusErrorXml('Device was not found'),
    );
  });
});
