import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { phonebooks } from '../../src/db/schema/phonebooks.ts';
import { pageErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { insertPhonebook } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageStatusXml, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
const CREATE_HASH = ['user_id', 'number', 'name', 'speeddial'];
const EDIT_HASH = ['phonebook_id', 'number', 'name', 'speeddial'];
const ADDED = pageSuccessXml('Record successfully added');
const SAVED = pageStatusXml('Phonebook saved');
const record = (id: number, name: string, number: string, speeddial: string) =>
  `    <phonebook>\n      <id>${id}</id>\n      <name>${name}</name>\n      <number>${number}</number>\n      <speeddial>${speeddial}</speeddial>\n    </phonebook>\n`;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
});

describe('phonebooks_get', () => {
  it("lists the user's records and the Global ones by name; also as phonebooks and phonebooks_api", async () => {
    const global = await insertPhonebook(api.handle, 0, { name: 'Help desk', number: '100', speeddial: '10' });
    const own = await insertPhonebook(api.handle, w.userA.id, { name: 'Alice', number: '370600', speeddial: '11' });
    await insertPhonebook(api.handle, w.userB.id, { name: 'Bob', number: '370601', speeddial: '11' });
    const expected = `${DECL}\n<page>\n  <phonebooks>\n${record(own.id, 'Alice', '370600', '11')}${record(global.id, 'Help desk', '100', '10')}  </phonebooks>\n</page>\n`;
    const p = { user_id: String(w.userA.id) };
    for (const name of ['phonebooks_get', 'phonebooks', 'phonebooks_api']) {
      expect(await call(name, w.resellerA.username, p, ['user_id'])).toBe(expected);
    }
    expect(await call('phonebooks_get', w.userA.username, p, ['user_id'])).toBe(expected);
    expect(await call('phonebooks_get', w.accountantRead.username, p, ['user_id'])).toBe(expected);
    expect(await call('phonebooks_get', 'admin', p, [])).toBe(statusErrorXml('Incorrect hash'));
  });

  it('answers Access Denied, User was not found and No Phonebooks', async () => {
    const p = { user_id: String(w.userB.id) };
    expect(await call('phonebooks_get', 'nobody', p, ['user_id'])).toBe(pageErrorXml('Access Denied'));
    expect(await call('phonebooks_get', w.accountantNone.username, p, ['user_id'])).toBe(pageErrorXml('Access Denied'));
    expect(await call('phonebooks_get', w.resellerA.username, p, ['user_id'])).toBe(pageErrorXml('User was not found'));
    expect(await call('phonebooks_get', w.userA.username, p, ['user_id'])).toBe(pageErrorXml('User was not found'));
    expect(await call('phonebooks_get', 'admin', {}, ['user_id'])).toBe(pageErrorXml('User was not found'));
    await api.handle.db.delete(phonebooks).where(eq(phonebooks.userId, 0));
    expect(await call('phonebooks_get', 'admin', { user_id: String(w.adminUser.id) }, ['user_id'])).toBe(
      pageErrorXml('No Phonebooks'),
    );
  });
});

describe('phonebook_record_create', () => {
  it('verifies the documented example (user_id 2, key secret) and logs phonebook_created', async () => {
    expect(w.resellerB.id).toBe(2);
    const res = await api.call(
      'phonebook_record_create',
      { u: 'admin', user_id: '2', name: 'phonebook', number: '920355666', speeddial: '666' },
      { hash: '1272cf77ba94153d59c87f699906e726277ff240' },
    );
    expect(res.body).toBe(ADDED);
    const [row] = await api.handle.db.select().from(phonebooks).where(eq(phonebooks.userId, 2));
    expect(row).toMatchObject({ name: 'phonebook', number: '920355666', speeddial: '666' });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'phonebook_created'));
    expect(log).toMatchObject({ targetId: row!.id });
  });

  it('validates in the documented order, first failure answered', async () => {
    const u = String(w.userA.id);
    const cases: [Record<string, string>, string][] = [
      [{ number: '1', speeddial: '12' }, 'Speed Dial name must be provided'],
      [{ name: 'n', speeddial: '12' }, 'Record number should have at least one digit'],
      [{ name: 'n', number: '1', speeddial: '1' }, 'Speed Dial should have at least two digits'],
      [{ name: 'n', number: '1a', speeddial: '12' }, 'Record number must be numeric'],
      [{ name: 'n', number: '1', speeddial: '1a' }, 'Speed Dial must be numeric'],
    ];
    for (const [p, message] of cases) {
      expect(await call('phonebook_record_create', 'admin', { user_id: u, ...p }, CREATE_HASH)).toBe(
        pageErrorXml(message),
      );
    }
  });

  it('keeps speed dials unique per owner; users may reuse Global codes, the admin may not take a user code', async () => {
    const u = w.userA.username;
    const mk = (caller: string, userId: number, speeddial: string) =>
      call(
        'phonebook_record_create',
        caller,
        { user_id: String(userId), name: 'x', number: '5', speeddial },
        CREATE_HASH,
      );
    expect(await mk('admin', 0, '77')).toBe(ADDED);
    expect(await mk(u, w.userA.id, '77')).toBe(ADDED);
    expect(await mk(u, w.userA.id, '77')).toBe(pageErrorXml('Speed dial must be unique'));
    expect(await mk(w.resellerB.username, w.userB.id, '78')).toBe(ADDED);
    expect(await mk('admin', 0, '78')).toBe(pageErrorXml('Speed dial must be unique'));
  });

  it('reaches users by role: simple users themselves, resellers their users, accountants with Users write', async () => {
    const mk = (caller: string, userId: number) =>
      call(
        'phonebook_record_create',
        caller,
        { user_id: String(userId), name: 'y', number: '6', speeddial: '90' },
        CREATE_HASH,
      );
    expect(await mk(w.userA.username, w.userB.id)).toBe(pageErrorXml('User was not found'));
    expect(await mk(w.resellerA.username, w.userB.id)).toBe(pageErrorXml('User was not found'));
    expect(await mk('admin', 999999)).toBe(pageErrorXml('User was not found'));
    expect(await mk(w.accountantRead.username, w.userA.id)).toBe(pageErrorXml('Access Denied'));
    expect(await mk('nobody', w.userA.id)).toBe(pageErrorXml('Access Denied'));
    expect(await mk(w.accountant.username, w.userB.id)).toBe(ADDED);
    expect(await mk(w.resellerA.username, w.userA.id)).toBe(ADDED);
  });
});

describe('phonebook_edit', () => {
  it('saves the sent fields; hashes the documented list; also as phonebook_edit_api', async () => {
    const row = await insertPhonebook(api.handle, w.userA.id, { name: 'Old', number: '1', speeddial: '40' });
    const id = String(row.id);
    expect(
      await call('phonebook_edit', w.userA.username, { phonebook_id: id, name: 'New', number: '920355666' }, EDIT_HASH),
    ).toBe(SAVED);
    expect(
      await call('phonebook_edit_api', w.resellerA.username, { phonebook_id: id, speeddial: '41' }, EDIT_HASH),
    ).toBe(SAVED);
    expect(await call('phonebook_edit', 'admin', { phonebook_id: id, speeddial: '42' }, ['speeddial'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    const [saved] = await api.handle.db.select().from(phonebooks).where(eq(phonebooks.id, row.id));
    expect(saved).toMatchObject({ name: 'New', number: '920355666', speeddial: '41' });
  });

  it('accepts sha1(phonebook_id + key) (the 2013 example) only when no field it leaves unsigned is sent', async () => {
    const row = await insertPhonebook(api.handle, w.userA.id, { name: 'Kept', number: '5', speeddial: '45' });
    const id = String(row.id);
    expect(await call('phonebook_edit', 'admin', { phonebook_id: id }, ['phonebook_id'])).toBe(SAVED);
    // (An empty value is hashed as nothing by every order, so it is no test of the alternative.)
    const changes: Record<string, string>[] = [{ speeddial: '46' }, { name: 'Stolen' }, { number: '666' }];
    for (const change of changes) {
      expect(await call('phonebook_edit', 'admin', { phonebook_id: id, ...change }, ['phonebook_id'])).toBe(
        statusErrorXml('Incorrect hash'),
      );
    }
    const [same] = await api.handle.db.select().from(phonebooks).where(eq(phonebooks.id, row.id));
    expect(same).toMatchObject({ name: 'Kept', number: '5', speeddial: '45' });
  });

  it('answers Phonebook was not found, Access Denied outside reach and for Global records', async () => {
    const theirs = await insertPhonebook(api.handle, w.userB.id, { name: 'B', number: '2', speeddial: '50' });
    const global = await insertPhonebook(api.handle, 0, { name: 'G', number: '3', speeddial: '51' });
    const edit = (u: string, id: number | string) =>
      call('phonebook_edit', u, { phonebook_id: String(id), name: 'z' }, EDIT_HASH);
    expect(await edit('admin', 999999)).toBe(pageErrorXml('Phonebook was not found'));
    expect(await edit('nobody', theirs.id)).toBe(pageErrorXml('Access Denied'));
    expect(await edit(w.resellerA.username, theirs.id)).toBe(pageErrorXml('Access Denied'));
    expect(await edit(w.userA.username, theirs.id)).toBe(pageErrorXml('Access Denied'));
    expect(await edit(w.userA.username, global.id)).toBe(pageErrorXml('Access Denied'));
    expect(await edit(w.accountant.username, global.id)).toBe(pageErrorXml('Access Denied'));
    expect(await edit(w.accountantRead.username, theirs.id)).toBe(pageErrorXml('Access Denied'));
    expect(await edit('admin', global.id)).toBe(SAVED);
    expect(await edit(w.resellerB.username, theirs.id)).toBe(SAVED);
  });

  it('reports every failed rule with Phonebook was not saved and saves nothing', async () => {
    await insertPhonebook(api.handle, w.userA.id, { name: 'Taken', number: '7', speeddial: '60' });
    const row = await insertPhonebook(api.handle, w.userA.id, { name: 'Mine', number: '8', speeddial: '61' });
    const body = await call(
      'phonebook_edit',
      'admin',
      { phonebook_id: String(row.id), name: '', number: '8x', speeddial: '6' },
      EDIT_HASH,
    );
    expect(body).toBe(
      `${DECL}\n<page>\n  <error>Phonebook was not saved</error>\n  <message>Speed Dial name must be provided</message>\n  <message>Speed Dial should have at least two digits</message>\n  <message>Record number must be numeric</message>\n</page>\n`,
    );
    expect(await call('phonebook_edit', 'admin', { phonebook_id: String(row.id), speeddial: '60' }, EDIT_HASH)).toBe(
      `${DECL}\n<page>\n  <error>Phonebook was not saved</error>\n  <message>Speed dial must be unique</message>\n</page>\n`,
    );
    const [same] = await api.handle.db.select().from(phonebooks).where(eq(phonebooks.id, row.id));
    expect(same).toMatchObject({ name: 'Mine', number: '8', speeddial: '61' });
  });
});
