import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import type { Ports } from '../../src/domain/ports.ts';
import { AmiFramer, amiCallControl } from '../../src/entry/adapters/ami.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  createAccountant,
  createCardGroup,
  createLcr,
  createReseller,
  createTariff,
  createUser,
  insertCard,
  insertDevice,
  setConflines,
} from '../helpers/factories.ts';

/** A TCP server speaking AMI: Login, Originate (refused while `refuse` is set), Logoff. */
const originated: Record<string, string>[] = [];
let refuse = false;
let ami: Server;
const ports: Ports = {};
const api = useTestApp({ ports: () => ports });

beforeAll(async () => {
  ami = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.write('Asterisk Call Manager/7.0.3\r\n');
    const framer = new AmiFramer();
    framer.banner = '(client)';
    const reply = (fields: Record<string, string>) =>
      socket.write(
        `${Object.entries(fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n')}\r\n\r\n`,
      );
    socket.on('data', (chunk: string) => {
      for (const a of framer.push(chunk)) {
        const id = a.ActionID ?? '';
        if (a.Action === 'Login') reply({ Response: 'Success', ActionID: id, Message: 'Authentication accepted' });
        else if (a.Action === 'Originate') {
          if (refuse) reply({ Response: 'Error', ActionID: id, Message: 'Originate failed' });
          else {
            originated.push(a);
            reply({ Response: 'Success', ActionID: id, Message: 'Originate successfully queued' });
          }
        } else if (a.Action === 'Logoff') {
          reply({ Response: 'Goodbye', ActionID: id });
          socket.end();
        }
      }
    });
  });
  await new Promise<void>((ok) => ami.listen(0, '127.0.0.1', ok));
  const port = (ami.address() as AddressInfo).port;
  ports.callControl = amiCallControl({ host: '127.0.0.1', port, username: 'openmor', secret: 'x' });
});
afterAll(() => new Promise<void>((ok) => ami.close(() => ok())));

let callSeq = 0;
const activeCall = async (
  userId: number,
  values: { resellerId?: number; deviceId?: number; serverId?: number } = {},
) => {
  const [row] = await queryRows<{ id: number }>(
    api.handle.db,
    sql`insert into active_calls (uniqueid, server_id, start_time, src, dst, user_id, reseller_id, src_device_id, channel)
      values (${`u${++callSeq}`}, ${values.serverId ?? 1}, now(), '101', '37060000001', ${userId}, ${values.resellerId ?? null},
        ${values.deviceId ?? null}, ${`SIP/dev${callSeq}-0000002a`}) returning id`,
  );
  return { id: row!.id, channel: `SIP/dev${callSeq}-0000002a` };
};

describe('spy_call', () => {
  const spy = (id: number | string, u = 'admin', key?: string) =>
    api.call(
      'spy_call',
      { u, active_call_id: String(id) },
      { hashOf: ['u', 'active_call_id'], ...(key ? { key } : {}) },
    );
  let callId = 0;
  let channel = '';

  beforeAll(async () => {
    const user = await createUser(api.handle);
    const device = await insertDevice(api.handle, user.id);
    ({ id: callId, channel } = await activeCall(user.id, { deviceId: device.id }));
  });

  it('originates a listen-only ChanSpy from the spy device and answers at once', async () => {
    await setConflines(api.handle, 0, { monitorings_addon: '0' });
    expect((await spy(callId)).body).toBe(pageErrorXml('Chanspy is disabled'));
    await setConflines(api.handle, 0, { monitorings_addon: '1' });
    expect((await spy(callId)).body).toBe(
      pageErrorXml('No Spy Device assigned. Select it under User edit preferences.'),
    );
    const spyDevice = await insertDevice(api.handle, 0, { name: 'spy100', extension: '100' });
    await api.handle.db.execute(sql`update users set spy_device_id = ${spyDevice.id} where id = 0`);
    originated.splice(0);
    expect((await spy(callId)).body).toBe(
      `${XML_DECL}\n<page>\n  <status>\n    <success>Spy call initiated</success>\n    <spy_device>spy100</spy_device>\n    <channel>${channel}</channel>\n  </status>\n</page>\n`,
    );
    expect(originated).toHaveLength(1);
    expect(originated[0]).toMatchObject({
      Channel: 'SIP/spy100',
      Application: 'ChanSpy',
      Data: `${channel},qE`,
      CallerID: 'Spy <100>',
      Async: 'true',
    });
  });

  it('answers every documented error', async () => {
    expect((await spy(999999)).body).toBe(pageErrorXml('Active call was not found'));
    expect((await spy('abc')).body).toBe(pageErrorXml('Active call was not found'));
    const user = await createUser(api.handle);
    const virtual = await insertDevice(api.handle, user.id, { deviceType: 'Virtual' });
    expect((await spy((await activeCall(user.id, { deviceId: virtual.id })).id)).body).toBe(
      pageErrorXml('Unable to spy virtual device'),
    );
    const recorded = await insertDevice(api.handle, user.id, { record: 1 });
    expect((await spy((await activeCall(user.id, { deviceId: recorded.id })).id)).body).toBe(
      pageErrorXml('Unable to spy virtual device'),
    );
    expect((await spy((await activeCall(user.id, { serverId: 2 })).id)).body).toBe(
      pageErrorXml('Spy Device is registered on different Server than this Call. Spying on this Call is not possible.'),
    );
    refuse = true;
    expect((await spy(callId)).body).toBe(pageErrorXml('Cannot connect to Asterisk Server'));
    refuse = false;
    expect((await spy(callId, 'nobody')).body).toBe(pageErrorXml('Access denied'));
    expect(
      (await api.call('spy_call', { u: 'admin', active_call_id: String(callId) }, { hashOf: ['active_call_id'] })).body,
    ).toBe(statusErrorXml('Incorrect hash'));
    const simple = await createUser(api.handle);
    expect((await spy(callId, simple.username)).body).toBe(
      pageErrorXml('You are not authorized to use this functionality'),
    );
    const accountant = await createAccountant(api.handle, { monitorings: 2 });
    expect((await spy(callId, accountant.username)).body).toBe(
      pageErrorXml('You are not authorized to use this functionality'),
    );
  });

  it("lets a reseller spy on its users' calls only", async () => {
    const reseller = await createReseller(api.handle, 'spy-reseller-key');
    const other = await createReseller(api.handle, 'other-key');
    const spyDevice = await insertDevice(api.handle, reseller.id);
    await api.handle.db.execute(sql`update users set spy_device_id = ${spyDevice.id} where id = ${reseller.id}`);
    const mine = await createUser(api.handle, { ownerId: reseller.id });
    const theirs = await createUser(api.handle, { ownerId: other.id });
    const own = await activeCall(mine.id, { resellerId: reseller.id });
    const foreign = await activeCall(theirs.id, { resellerId: other.id });
    expect((await spy(own.id, reseller.username, 'spy-reseller-key')).body).toContain(
      '<success>Spy call initiated</success>',
    );
    for (const id of [foreign.id, callId, 999999]) {
      expect((await spy(id, reseller.username, 'spy-reseller-key')).body).toBe(
        pageErrorXml('Active call was not found'),
      );
    }
  });
});

describe('callback_init', () => {
  let owner: { id: number; username: string };
  let device: { id: number };
  const status = (text: string) => `${XML_DECL}\n<Status>${text}</Status>\n`;
  const callback = (params: Record<string, string>, u = owner.username, o: { prefix?: string; key?: string } = {}) =>
    api.call('callback_init', { u, ...params }, { hashOf: ['device', 'dst', 'src'], ...o });

  beforeAll(async () => {
    owner = await createUser(api.handle);
    device = await insertDevice(api.handle, owner.id, { callerid: '"Ona" <37052000000>' });
    await setConflines(api.handle, 0, { callback_addon: '1' });
  });

  it('asks the switch to call the source, then the destination, and answers Ok at once', async () => {
    originated.splice(0);
    expect((await callback({ device: String(device.id), src: '37069912345', dst: '37060000001' })).body).toBe(
      status('Ok'),
    );
    expect(originated[0]).toMatchObject({
      Channel: 'Local/37069912345@mor_callback_lega',
      Context: 'mor_callback_legb',
      Exten: '37060000001',
      CallerID: '"Ona" <37052000000>',
    });
    const linked = await callback(
      { device: String(device.id), src: '37069912345', callback_uniqueid: '1', cli_lega: '111' },
      owner.username,
      { prefix: '/api' },
    );
    expect(linked.body).toMatch(
      new RegExp(
        `^${XML_DECL.replace(/[.?]/g, '\\$&')}\\n<page>\\n  <Status>Ok</Status>\\n  <callback_uniqueid>\\d+\\.\\d+</callback_uniqueid>\\n</page>\\n$`,
      ),
    );
    expect(originated[1]).toMatchObject({ Context: 'mor_callback_ask_dst', Exten: 's', CallerID: '111' });
    // The old name.
    const old = await api.call(
      'callback',
      { u: owner.username, device: String(device.id), src: '1', dst: '2' },
      { hashOf: ['device', 'dst', 'src'] },
    );
    expect(old.body).toBe(status('Ok'));
  });

  it('answers every error in the <Status> root', async () => {
    const d = String(device.id);
    expect((await callback({ device: d, src: '1' }, 'nobody')).body).toBe(status('Not authenticated'));
    const other = await insertDevice(api.handle, (await createUser(api.handle)).id);
    expect((await callback({ device: String(other.id), src: '1' })).body).toBe(status('Bad device'));
    expect((await callback({ device: String(other.id), src: '1' }, 'admin')).body).toBe(status('Bad device'));
    expect((await callback({ device: '999999', src: '1' })).body).toBe(status('Bad device'));
    expect((await callback({ device: d })).body).toBe(status('No source'));
    const foreignTariff = await createTariff(api.handle, {
      purpose: 'user',
      ownerId: (await createReseller(api.handle)).id,
    });
    const wholesale = await createTariff(api.handle, { purpose: 'provider', ownerId: 0 });
    for (const t of [foreignTariff.id, wholesale.id, 999999]) {
      expect((await callback({ device: d, src: '1', lega_tariff_id: String(t) })).body).toBe(status('Bad tariff'));
    }
    const ownTariff = await createTariff(api.handle, { purpose: 'user', ownerId: 0 });
    expect((await callback({ device: d, src: '1', lega_reseller_tariff_id: String(ownTariff.id) })).body).toBe(
      status('Ok'),
    );
    expect((await callback({ device: d, src: '1', lega_lcr_id: '999999' })).body).toBe(status('Bad LCR'));
    const lcr = await createLcr(api.handle, 0);
    expect((await callback({ device: d, src: '1', lega_lcr_id: String(lcr.id) })).body).toBe(status('Ok'));
    expect((await callback({ device: d, src: '1', card_pin: '000000' })).body).toBe(status('Bad card PIN'));
    const group = await createCardGroup(api.handle);
    await insertCard(api.handle, group, { number: '7770001', pin: '424242' });
    expect((await callback({ device: d, src: '1', card_pin: '424242' })).body).toBe(status('Ok'));
    expect((await callback({ device: d, src: '1', server_id: '2' })).body).toBe(status('Server was not found'));
    refuse = true;
    expect((await callback({ device: d, src: '1' })).body).toBe(status('Callback failed'));
    refuse = false;
    await setConflines(api.handle, 0, { callback_addon: '0' });
    expect((await callback({ device: d, src: '1' })).body).toBe(status('Access Denied'));
    await setConflines(api.handle, 0, { callback_addon: '1' });
    expect(
      (
        await api.call(
          'callback_init',
          { u: owner.username, device: d, src: '1', dst: '2' },
          { hashOf: ['device', 'src', 'dst'] },
        )
      ).body,
    ).toBe(statusErrorXml('Incorrect hash'));
  });

  it("serves a reseller's own device and the admin's own", async () => {
    const reseller = await createReseller(api.handle, 'cb-key');
    const resellerDevice = await insertDevice(api.handle, reseller.id);
    expect(
      (await callback({ device: String(resellerDevice.id), src: '5' }, reseller.username, { key: 'cb-key' })).body,
    ).toBe(status('Ok'));
    const adminDevice = await insertDevice(api.handle, 0);
    expect((await callback({ device: String(adminDevice.id), src: '5' }, 'admin')).body).toBe(status('Ok'));
  });
});
