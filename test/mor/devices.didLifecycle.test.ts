import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../src/db/partitioned/calls.ts';
import { actions } from '../../src/db/schema/actions.ts';
import { dids } from '../../src/db/schema/dids.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createDialplan, createUser, insertDevice, insertDid, setConflines } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
let n = 0;
const number = () => `3705900${String(++n).padStart(4, '0')}`;
const statusOf = async (id: number) => (await api.handle.db.select().from(dids).where(eq(dids.id, id)))[0]?.status;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
});

describe('did_terminate', () => {
  const OK = pageSuccessXml('DID successfully terminated');
  const term = (u: string, id: number | string) => call('did_terminate', u, { dids_id: String(id) }, ['dids_id']);

  it('terminates a free or a closed DID and logs it', async () => {
    const free = await insertDid(api.handle, { did: number() });
    const closed = await insertDid(api.handle, {
      did: number(),
      status: 'closed',
      userId: w.adminUser.id,
      closedTill: new Date(),
    });
    expect(await term('admin', free.id)).toBe(OK);
    expect(await term('admin', closed.id)).toBe(OK);
    expect(await statusOf(free.id)).toBe('terminated');
    const [row] = await api.handle.db.select().from(dids).where(eq(dids.id, closed.id));
    expect(row).toMatchObject({ status: 'terminated', closedTill: null });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.targetId, free.id));
    expect(log).toMatchObject({ action: 'did_terminated', targetType: 'did', data: 'free' });
  });

  it('refuses a DID that is not free or closed, and a free DID handed to a reseller (admin side)', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    for (const status of ['active', 'reserved', 'terminated'] as const) {
      const did = await insertDid(api.handle, {
        did: number(),
        status,
        ...(status === 'active' ? { deviceId: device.id } : {}),
      });
      expect(await term('admin', did.id)).toBe(
        pageStatusErrorXml('DID was not terminated. Only Free or Closed DIDs can be terminate'),
      );
      expect(await statusOf(did.id)).toBe(status);
    }
    const handed = await insertDid(api.handle, { did: number(), resellerId: w.resellerA.id });
    expect(await term('admin', handed.id)).toBe(pageStatusErrorXml('DID was not terminated'));
    expect(await term(w.accountant.username, handed.id)).toBe(pageStatusErrorXml('DID was not terminated'));
    expect(await statusOf(handed.id)).toBe('free');
    // The reseller it was handed to may terminate it.
    expect(await term(w.resellerA.username, handed.id)).toBe(OK);
  });

  it('DID was not found: missing, malformed, and (for a reseller) any DID not handed to it', async () => {
    for (const id of ['999999', 'x', '']) expect(await term('admin', id)).toBe(pageStatusErrorXml('DID was not found'));
    const admins = await insertDid(api.handle, { did: number() });
    const others = await insertDid(api.handle, { did: number(), resellerId: w.resellerB.id });
    expect(await term(w.resellerA.username, admins.id)).toBe(pageStatusErrorXml('DID was not found'));
    expect(await term(w.resellerA.username, others.id)).toBe(pageStatusErrorXml('DID was not found'));
    expect(await statusOf(others.id)).toBe('free');
  });

  it('hashes dids_id then the key (documented: sha1("6511secret") = f7de355c…); u is not hashed', async () => {
    await insertDid(api.handle, { id: 6511, did: number() });
    await api.handle.db.execute(sql`select setval(pg_get_serial_sequence('dids', 'id'), (select max(id) from dids))`);
    const res = await api.call(
      'did_terminate',
      { u: 'admin', dids_id: '6511', hash: 'f7de355c9b4421ce6c705b4b32c89dbcaca51e46' },
      { hash: null },
    );
    expect(res.body).toBe(OK);
    const did = await insertDid(api.handle, { did: number() });
    const withU = await api.call(
      'did_terminate',
      { u: 'admin', dids_id: String(did.id) },
      { hashOf: ['u', 'dids_id'] },
    );
    expect(withU.body).toBe(statusErrorXml('Incorrect hash'));
    expect(await statusOf(did.id)).toBe('free');
  });

  it('Access Denied (<page><status>) for simple users, partners, accountants without Manage devices write, unknown u', async () => {
    const did = await insertDid(api.handle, { did: number() });
    const partner = await createUser(api.handle, { usertype: 'partner' });
    api.changed();
    for (const u of [
      w.userA.username,
      w.adminUser.username,
      partner.username,
      w.accountantRead.username,
      w.accountantNone.username,
      'nobody_here',
    ]) {
      expect(await term(u, did.id)).toBe(pageStatusErrorXml('Access Denied'));
    }
    expect(await statusOf(did.id)).toBe('free');
    expect(await term(w.accountant.username, did.id)).toBe(OK);
  });

  it('GET and API switches', async () => {
    const did = await insertDid(api.handle, { did: number() });
    expect(await call('did_terminate', 'admin', { dids_id: String(did.id) }, ['dids_id'], { verb: 'GET' })).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    try {
      expect(await term('admin', did.id)).toBe(statusErrorXml('API Requests are disabled'));
    } finally {
      await setConflines(api.handle, 0, { allow_api: '1' });
      api.changed();
    }
  });
});

describe('did_delete', () => {
  const OK = `${DECL}\n<page>\n  <status>\n    <status>DID successfully deleted</status>\n  </status>\n</page>\n`;
  const del = (u: string, id: number | string) => call('did_delete', u, { dids_id: String(id) }, ['dids_id']);
  const gone = async (id: number) => (await statusOf(id)) === undefined;

  it('deletes a terminated DID and logs it', async () => {
    const did = await insertDid(api.handle, { did: number(), status: 'terminated' });
    expect(await del('admin', did.id)).toBe(OK);
    expect(await gone(did.id)).toBe(true);
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'did_deleted'));
    expect(log).toMatchObject({ targetType: 'did', targetId: did.id, data: did.did });
    expect(await del('admin', did.id)).toBe(pageStatusErrorXml(' DID was not found '));
  });

  it('checks in order: found (padded), terminated (padded), calls, queues', async () => {
    for (const id of ['999999', 'x', ''])
      expect(await del('admin', id)).toBe(pageStatusErrorXml(' DID was not found '));
    const queue = await createDialplan(api.handle, { dptype: 'queue' });
    const did = await insertDid(api.handle, { did: number(), status: 'closed', dialplanId: queue.id });
    expect(await del('admin', did.id)).toBe(pageStatusErrorXml(' DID status must be terminated '));
    await api.handle.db.update(dids).set({ status: 'terminated' }).where(eq(dids.id, did.id));
    await api.handle.db.execute(sql`select openmor_calls_partition(now())`);
    await api.handle.db.insert(calls).values({
      userId: w.adminUser.id,
      calldate: new Date(),
      uniqueid: 'did-delete-1',
      disposition: 'ANSWERED',
      ratingStatus: 'rated',
      didId: did.id,
    });
    expect(await del('admin', did.id)).toBe(pageStatusErrorXml('Cannot delete DID associated with calls'));
    await api.handle.db.execute(sql`delete from calls where uniqueid = 'did-delete-1'`);
    expect(await del('admin', did.id)).toBe(pageStatusErrorXml('Cannot delete DID associated with queues'));
    const callback = await createDialplan(api.handle, { dptype: 'callback' });
    await api.handle.db.update(dids).set({ dialplanId: callback.id }).where(eq(dids.id, did.id));
    expect(await del('admin', did.id)).toBe(OK);
  });

  it('hashes dids_id then the key (documented rule: sha1("12secret") = 60b20184…)', async () => {
    const res = await api.call(
      'did_delete',
      { u: 'admin', dids_id: '12', hash: '60b20184852a62b975febcb6fbd7d475071e817a' },
      { hash: null },
    );
    expect(res.body).not.toBe(statusErrorXml('Incorrect hash'));
    const did = await insertDid(api.handle, { did: number(), status: 'terminated' });
    const withU = await api.call('did_delete', { u: 'admin', dids_id: String(did.id) }, { hashOf: ['u', 'dids_id'] });
    expect(withU.body).toBe(statusErrorXml('Incorrect hash'));
    expect(await gone(did.id)).toBe(false);
  });

  it('admin and accountants with Manage DIDs write only; every other caller is the pipeline Access Denied', async () => {
    const did = await insertDid(api.handle, { did: number(), status: 'terminated', resellerId: w.resellerA.id });
    const partner = await createUser(api.handle, { usertype: 'partner' });
    api.changed();
    for (const u of [
      w.resellerA.username,
      w.resellerB.username,
      w.userA.username,
      w.adminUser.username,
      partner.username,
      w.accountantRead.username,
      w.accountantNone.username,
      'nobody_here',
    ]) {
      expect(await del(u, did.id)).toBe(statusErrorXml('Access Denied'));
    }
    expect(await gone(did.id)).toBe(false);
    expect(await del(w.accountant.username, did.id)).toBe(OK);
  });

  it('GET and API switches', async () => {
    const did = await insertDid(api.handle, { did: number(), status: 'terminated' });
    expect(await call('did_delete', 'admin', { dids_id: String(did.id) }, ['dids_id'], { verb: 'GET' })).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    try {
      expect(await del('admin', did.id)).toBe(statusErrorXml('API Requests are disabled'));
    } finally {
      await setConflines(api.handle, 0, { allow_api: '1' });
      api.changed();
    }
    expect(await gone(did.id)).toBe(false);
  });
});
