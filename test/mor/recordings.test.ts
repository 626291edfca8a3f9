import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { fsObjectStore } from '../../src/entry/fsObjectStore.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { pageErrorXml, pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { insertCalls, unix } from '../helpers/calls.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createDevice } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, type World } from './devicesWorld.ts';

const dir = mkdtempSync(join(tmpdir(), 'openmor-recordings-'));
const api = useTestApp({ objectStore: fsObjectStore(dir) });
let w: World;
let call: ReturnType<typeof callAs>;
let statsAccountant: Awaited<ReturnType<typeof createAccountant>>;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = '2024-03-01';
const at = (hms: string) => `${DAY}T${hms}Z`;
const PERIOD = { date_from: unix(at('00:00:00')), date_till: unix(at('23:59:59')) };
let seq = 0;

/** A CDR (registered under its uniqueid, as ingestion does) and its recording uploaded over HTTP. */
async function recorded(userId: number, calldate: string, audio: Uint8Array, extra: { srcDeviceId?: number } = {}) {
  const uniqueid = `rec.${++seq}`;
  await insertCalls(api.handle, [
    { userId, calldate, uniqueid, src: '37000000000', dst: `3706000000${seq}`, billsec: 35, ...extra },
  ]);
  const res = await upload(uniqueid, audio);
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: number; size: number };
  expect(body.size).toBe(audio.byteLength);
  return { id: body.id, uniqueid, dst: `3706000000${seq}` };
}
const upload = (uniqueid: string, audio: Uint8Array, token: string = TEST.adminToken) =>
  api.app.app.request(`http://openmor.test/admin/recordings?uniqueid=${uniqueid}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/mpeg' },
    body: audio,
  });
const audioOf = (n: number) => new Uint8Array(Array.from({ length: 1000 + n }, (_, i) => (i * 7 + n) % 256));
const files = () => readdirSync(dir).sort();
const rowCount = async () =>
  (await queryRows<{ n: number }>(api.handle.db, sql`select count(*)::int as n from recordings`))[0]!.n;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
  statsAccountant = await createAccountant(api.handle, { calls_stats: 1 });
  api.changed();
});

describe('recordings_get', () => {
  it('answers the documented tags, serves the audio at mp3_url, filters and keeps to reach', async () => {
    const device = await createDevice(api.handle, w.userA.id);
    const a = await recorded(w.userA.id, at('10:11:12'), audioOf(1), { srcDeviceId: device.id });
    const b = await recorded(w.userB.id, at('11:00:00'), audioOf(2));
    const c = await recorded(w.adminUser.id, at('12:00:00'), audioOf(3));
    expect(files()).toHaveLength(3);
    const body = await call('recordings_get', 'admin', { uniqueid: a.uniqueid }, []);
    const key = /recordings\/([0-9a-f-]+\.mp3)</.exec(body)?.[1];
    expect(body).toBe(
      `${DECL}\n<page>\n  <status>\n    <recordings>\n      <recording>\n        <id>${a.id}</id>\n` +
        `        <user_id>${w.userA.id}</user_id>\n        <dst_user_id>0</dst_user_id>\n` +
        `        <src_device_id>${device.id}</src_device_id>\n        <dst_device_id>0</dst_device_id>\n` +
        '        <date>2024-03-01 10:11:12</date>\n        <comment></comment>\n        <duration>35</duration>\n' +
        `        <destination>${a.dst}</destination>\n        <size>1001</size>\n` +
        `        <mp3_url>http://openmor.test/billing/recordings/${key}</mp3_url>\n      </recording>\n` +
        '    </recordings>\n  </status>\n</page>\n',
    );
    const audio = await api.app.app.request(`http://localhost/billing/recordings/${key}`);
    expect(audio.status).toBe(200);
    expect(new Uint8Array(await audio.arrayBuffer())).toEqual(audioOf(1));
    expect(readFileSync(join(dir, key!))).toEqual(Buffer.from(audioOf(1)));
    expect((await api.app.app.request('http://localhost/billing/recordings/..%2Fx')).status).toBe(404);

    const ids = (text: string) => [...text.matchAll(/<recording>\n\s+<id>(\d+)</g)].map((m) => Number(m[1]));
    expect(ids(await call('recordings_get', 'admin', PERIOD, []))).toEqual([a.id, b.id, c.id]);
    expect(ids(await call('recordings_get', statsAccountant.username, PERIOD, []))).toEqual([c.id]);
    expect(ids(await call('recordings_get', w.resellerA.username, PERIOD, []))).toEqual([a.id]);
    // A simple user: its own whatever `user` says; another's call id finds nothing.
    expect(ids(await call('recordings_get', w.userA.username, { ...PERIOD, user: String(w.userB.id) }, []))).toEqual([
      a.id,
    ]);
    expect(ids(await call('recordings_get', w.userA.username, { uniqueid: b.uniqueid }, []))).toEqual([]);
    expect(ids(await call('recordings_get', 'admin', { ...PERIOD, destination: b.dst }, []))).toEqual([b.id]);
    expect(ids(await call('recordings_get', 'admin', { ...PERIOD, device: String(device.id) }, []))).toEqual([a.id]);
    expect(ids(await call('recordings_get', 'admin', { ...PERIOD, user: 'x' }, []))).toEqual([]);
    expect(
      ids(
        await call('recordings_get', 'admin', { date_from: unix(at('10:30:00')), date_till: unix(at('11:30:00')) }, []),
      ),
    ).toEqual([b.id]);
    // Default period: today (nothing was recorded today).
    expect(await call('recordings_get', 'admin', {}, [])).toBe(
      `${DECL}\n<page>\n  <status>\n    <recordings></recordings>\n  </status>\n</page>\n`,
    );
    expect(await call('recordings_get', 'admin', { date_from: 'yesterday' }, [])).toBe(
      pageErrorXml('Date from is incorrect format'),
    );
    expect(await call('recordings_get', 'admin', { date_till: '1.5' }, [])).toBe(
      pageErrorXml('Date till is incorrect format'),
    );
    expect(await call('recordings_get', w.accountantNone.username, {}, [])).toBe(pageErrorXml('Access Denied'));
    expect(await call('recordings_get', 'nobody', {}, [])).toBe(pageErrorXml('Access Denied'));
    expect(await call('recordings_get', 'admin', {}, [], { hash: 'f'.repeat(40) })).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('an upload for an unknown call stores nothing; only the admin uploads', async () => {
    const before = files();
    const res = await upload('no-such-call', audioOf(9));
    expect(res.status).toBe(404);
    expect(files()).toEqual(before);
    expect((await upload('no-such-call', audioOf(9), 'wrong-token-000000000')).status).toBe(401);
  });
});

describe('recordings_delete', () => {
  it('deletes rows and audio by id or filters; every documented refusal', async () => {
    const mine = await recorded(w.userA.id, at('13:00:00'), audioOf(4));
    const theirs = await recorded(w.userB.id, at('13:00:00'), audioOf(5));
    const d1 = await recorded(w.adminUser.id, at('14:00:00'), audioOf(6));
    const d2 = await recorded(w.adminUser.id, at('15:00:00'), audioOf(7));
    const done = (n: number) =>
      `${DECL}\n<page>\n  <status>\n    <success>Recordings were successfully deleted</success>\n    <amount>${n}</amount>\n  </status>\n</page>\n`;
    const ORDER = ['recording_id', 's_user_id', 's_device_id', 'date_from', 'date_till'];
    const del = (u: string, params: Record<string, string>) => call('recordings_delete', u, params, ORDER);

    expect(await del('admin', { s_device_id: '1' })).toBe(pageStatusErrorXml('s_user_id must be present'));
    expect(await del('admin', { date_from: unix(at('15:00:00')), date_till: unix(at('15:00:00')) })).toBe(
      pageStatusErrorXml('Date from is greater than date till'),
    );
    expect(await del('admin', {})).toBe(pageStatusErrorXml('Recordings were not found'));
    expect(await del('admin', { recording_id: '999999' })).toBe(pageStatusErrorXml('Recording was not found'));
    expect(await del(w.resellerA.username, { recording_id: String(theirs.id) })).toBe(
      pageStatusErrorXml('Access Denied'),
    );
    expect(await del(w.userA.username, { recording_id: String(theirs.id) })).toBe(pageStatusErrorXml('Access Denied'));
    // Another realm's user by filter simply matches nothing.
    expect(await del(w.resellerA.username, { s_user_id: String(w.userB.id) })).toBe(
      pageStatusErrorXml('Recordings were not found'),
    );
    expect(await del('admin', { date_from: 'x' })).toBe(pageStatusErrorXml('Date from is incorrect format'));
    expect(await call('recordings_delete', 'admin', { s_user_id: String(w.adminUser.id) }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );

    const before = files().length;
    expect(await del(w.userA.username, { recording_id: String(mine.id) })).toBe(done(1));
    // The page's example form: s_user_id and date_till (the admin's user also has the 12:00 recording).
    expect(await del('admin', { s_user_id: String(w.adminUser.id), date_till: unix(at('14:30:00')) })).toBe(done(2));
    expect(await queryRows(api.handle.db, sql`select id from recordings where id in (${mine.id}, ${d1.id})`)).toEqual(
      [],
    );
    expect(files()).toHaveLength(before - 3);
    const left = await rowCount();
    expect(await del('admin', { s_user_id: String(w.adminUser.id), ...PERIOD })).toBe(done(1));
    expect(await rowCount()).toBe(left - 1);
    expect(files()).toHaveLength(before - 4);
    expect(await call('recordings_get', 'admin', { uniqueid: d2.uniqueid }, [])).not.toContain('<recording>');
    expect(await del(w.accountantNone.username, { s_user_id: '1' })).toBe(pageStatusErrorXml('Access Denied'));
    // Recordings are call history: a user who has them is not deleted, not even when forced.
    const admin = await callerAs(api, 'admin');
    expect((await trpcError(() => admin.users.delete({ id: w.userB.id, force: true }))).message).toBe(
      'User has recordings',
    );
  });
});
