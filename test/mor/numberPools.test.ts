import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { devices } from '../../src/db/schema/devices.ts';
import { numberPoolNumbers } from '../../src/db/schema/pools.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createDevice } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;

const created = (id: number) =>
  `${DECL}\n<page>\n  <status>\n    <success>Number Pool created</success>\n    <number_pool_id>${id}</number_pool_id>\n  </status>\n</page>\n`;
const idOf = (body: string) => Number(/<number_pool_id>(\d+)</.exec(body)?.[1]);

async function create(u: string, name: string, comment?: string) {
  const body = await call('number_pool_create', u, { name, ...(comment === undefined ? {} : { comment }) }, []);
  expect(body).toBe(created(idOf(body)));
  return idOf(body);
}
const numbersOf = (pool: number) =>
  api.handle.db
    .select({ id: numberPoolNumbers.id, number: numberPoolNumbers.number })
    .from(numberPoolNumbers)
    .where(eq(numberPoolNumbers.numberPoolId, pool))
    .orderBy(numberPoolNumbers.id);

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
});

describe('number_pool_create / number_pool_update', () => {
  it('creates with either documented digest; blank or taken names are refused; roles', async () => {
    const id = await create('admin', 'test2', 'test_comment');
    // sha1(u + key), the latest parameter list's reading.
    const second = await call('number_pool_create', 'admin', { name: 'other' }, ['u']);
    expect(second).toBe(created(idOf(second)));
    expect(idOf(second)).toBeGreaterThan(id);
    expect(await call('number_pool_create', 'admin', { name: 'x' }, [], { hash: 'f'.repeat(40) })).toBe(
      statusErrorXml('Incorrect hash'),
    );
    for (const name of ['test2', '  ', '']) {
      expect(await call('number_pool_create', 'admin', { name }, [])).toBe(
        pageStatusErrorXml('Number Pool was not created'),
      );
    }
    // A reseller has its own namespace; the same name is fine there.
    await create(w.resellerA.username, 'test2');
    await create(w.accountant.username, 'by accountant');
    for (const u of [w.userA.username, w.adminUser.username, w.accountantNone.username, w.accountantRead.username]) {
      expect(await call('number_pool_create', u, { name: 'nope' }, [])).toBe(pageStatusErrorXml('Access Denied'));
    }
    expect(await call('number_pool_create', 'nobody', { name: 'nope' }, [])).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('updates the sent fields; missing, other realm, blank or taken names are refused', async () => {
    const id = await create('admin', 'upd1', 'c1');
    await create('admin', 'upd2');
    const mine = await create(w.resellerB.username, 'b pool');
    const ok = pageSuccessXml('Number Pool updated');
    expect(await call('number_pool_update', 'admin', { number_pool_id: String(id), name: 'upd1b' }, [])).toBe(ok);
    expect(
      await call('number_pool_update', 'admin', { number_pool_id: String(id), comment: 'c2' }, ['u', 'number_pool_id']),
    ).toBe(ok);
    const [pool] = await (await callerAs(api, 'admin')).numberPools.list().then((l) => l.filter((p) => p.id === id));
    expect(pool).toMatchObject({ name: 'upd1b', comment: 'c2', ownerId: 0 });
    for (const name of ['upd2', ' ']) {
      expect(await call('number_pool_update', 'admin', { number_pool_id: String(id), name }, [])).toBe(
        pageStatusErrorXml('Number Pool was not updated'),
      );
    }
    for (const [u, pid] of [
      ['admin', '999999'],
      ['admin', String(mine)],
      [w.resellerA.username, String(mine)],
      [w.resellerA.username, String(id)],
    ] as const) {
      expect(await call('number_pool_update', u, { number_pool_id: pid, name: 'z' }, [])).toBe(
        pageStatusErrorXml('Number Pool was not found'),
      );
    }
    expect(await call('number_pool_update', w.userB.username, { number_pool_id: String(mine), name: 'z' }, [])).toBe(
      pageStatusErrorXml('Access Denied'),
    );
  });
});

describe('numbers and number_pools_get', () => {
  it('stores # as _, keeps % and +, skips duplicates, refuses bad syntax atomically; lists them', async () => {
    const id = await create('admin', 'numbers', 'test_comment');
    const add = (numbers: string, hashOf: string[] = []) =>
      call('number_pool_numbers_create', 'admin', { number_pool_id: String(id), numbers }, hashOf);
    const ok = pageSuccessXml("Number Pool's Numbers created");
    expect(await add('44%,#14')).toBe(ok);
    expect(await add(' 44% , +37060000000,#14', ['u', 'number_pool_id'])).toBe(ok);
    expect((await numbersOf(id)).map((n) => n.number)).toEqual(['44%', '_14', '+37060000000']);
    for (const bad of ['123,4-5', '', ' , ', '12 3', '370*']) {
      expect(await add(bad)).toBe(pageStatusErrorXml('Number is invalid'));
    }
    expect(await numbersOf(id)).toHaveLength(3);
    expect(
      await call('number_pool_numbers_create', w.resellerA.username, { number_pool_id: String(id), numbers: '1' }, []),
    ).toBe(pageStatusErrorXml('Number Pool was not found'));

    const [n1, n2, n3] = await numbersOf(id);
    // Ordered by number, byte-wise: + < 4 < _.
    const numbersXml = [n3!, n1!, n2!]
      .map(
        (n) =>
          `          <number>\n            <id>${n.id}</id>\n            <number>${n.number}</number>\n          </number>\n`,
      )
      .join('');
    const poolXml = (inner: string) =>
      `      <number_pool>\n        <id>${id}</id>\n        <name>numbers</name>\n        <comment>test_comment</comment>\n        <owner_id>0</owner_id>\n        <numbers_count>3</numbers_count>\n${inner}      </number_pool>\n`;
    const listXml = (items: string) =>
      `${DECL}\n<page>\n  <status>\n    <number_pools>\n${items}    </number_pools>\n  </status>\n</page>\n`;
    const get = (params: Record<string, string>, u = 'admin') =>
      call('number_pools_get', u, { number_pool_id: String(id), ...params }, []);
    expect(await get({})).toBe(listXml(poolXml('')));
    expect(await get({ show_numbers: '1' })).toBe(
      listXml(poolXml(`        <numbers>\n${numbersXml}        </numbers>\n`)),
    );
    const paged = await get({ show_numbers: '1', number_limit_row_count: '1', number_limit_offset: '1' });
    expect(paged).toContain(`<id>${n1!.id}</id>`);
    expect(paged).not.toContain(`<id>${n2!.id}</id>`);
    expect(paged).not.toContain(`<id>${n3!.id}</id>`);

    // Static list users: assigned through tRPC, shown with user_ids.
    const admin = await callerAs(api, 'admin');
    await admin.numberPools.assignList({ id, userId: w.adminUser.id, listType: 'blacklist' });
    const usersXml = `        <users>\n          <user>\n            <id>${w.adminUser.id}</id>\n            <username>${w.adminUser.username}</username>\n            <list_type>blacklist</list_type>\n          </user>\n        </users>\n`;
    expect(await get({ user_ids: 'all' })).toBe(listXml(poolXml(usersXml)));
    expect(await get({ user_ids: `${w.adminUser.id},99999` })).toBe(listXml(poolXml(usersXml)));
    expect(await get({ user_ids: '99999' })).toBe(listXml(poolXml('        <users></users>\n')));
    // Another realm's user cannot be assigned.
    expect(
      (await trpcError(() => admin.numberPools.assignList({ id, userId: w.userA.id, listType: 'whitelist' }))).code,
    ).toBe('NOT_FOUND');

    for (const [params, text] of [
      [{ show_numbers: '0' }, 'show_numbers must be 1'],
      [{ number_limit_row_count: '0' }, 'number_limit_row_count must be integer value higher than 0'],
      [{ number_limit_offset: '-1' }, 'number_limit_offset must be integer value higher than or equal to 0'],
      [{ user_ids: 'some' }, 'user_ids is invalid'],
    ] as const) {
      expect(await get(params)).toBe(pageStatusErrorXml(text));
    }
    expect(await get({}, w.accountantRead.username)).toBe(listXml(poolXml('')));
    for (const u of [w.resellerA.username, w.resellerB.username]) {
      expect(await get({}, u)).toBe(pageStatusErrorXml('Number Pool was not found'));
    }
    for (const u of [w.userA.username, w.accountantNone.username]) {
      expect(await get({}, u)).toBe(pageStatusErrorXml('Access Denied'));
    }
    // The whole list of a reseller holds its own pools only.
    const own = await call('number_pools_get', w.resellerA.username, {}, []);
    expect(own).toContain(`<owner_id>${w.resellerA.id}</owner_id>`);
    expect(own).not.toContain('<owner_id>0</owner_id>');

    // A random CallerID picks only concrete numbers.
    for (let i = 0; i < 5; i++) {
      expect(await admin.numberPools.pickNumber({ id })).toEqual({ number: '+37060000000' });
    }
  });

  it('number_pool_numbers_delete: by value (# as _), by id, all; nothing selected is refused', async () => {
    const id = await create('admin', 'del numbers');
    await call('number_pool_numbers_create', 'admin', { number_pool_id: String(id), numbers: '1,2,3,#44,5%' }, []);
    const del = (params: Record<string, string>) =>
      call('number_pool_numbers_delete', 'admin', { number_pool_id: String(id), ...params }, ['u', 'number_pool_id']);
    const ok = pageSuccessXml("Number Pool's selected Numbers deleted");
    const rows = await numbersOf(id);
    expect(await del({ numbers: '#44,777' })).toBe(ok);
    expect(await del({ number_ids: `${rows[0]!.id}`, numbers: '5' })).toBe(ok);
    expect((await numbersOf(id)).map((n) => n.number)).toEqual(['2', '3', '5%']);
    expect(await del({})).toBe(pageStatusErrorXml('Nothing to delete'));
    expect(await del({ delete_all: '1', numbers: 'zz' })).toBe(ok);
    expect(await numbersOf(id)).toEqual([]);
    expect(
      await call(
        'number_pool_numbers_delete',
        w.resellerA.username,
        { number_pool_id: String(id), delete_all: '1' },
        [],
      ),
    ).toBe(pageStatusErrorXml('Number Pool was not found'));
  });
});

describe('number_pool_delete', () => {
  it('deletes with its numbers under every accepted digest; a pool a device uses is kept', async () => {
    const ok = pageSuccessXml('Number Pool deleted');
    const forms: string[][] = [[], ['number_pool_id'], ['u', 'number_pool_id']];
    for (const hashOf of forms) {
      const id = await create('admin', `gone ${hashOf.length}`);
      await call('number_pool_numbers_create', 'admin', { number_pool_id: String(id), numbers: '1,2' }, []);
      expect(await call('number_pool_delete', 'admin', { number_pool_id: String(id) }, hashOf)).toBe(ok);
      expect(await numbersOf(id)).toEqual([]);
      expect(await call('number_pool_delete', 'admin', { number_pool_id: String(id) }, [])).toBe(
        pageStatusErrorXml('Number Pool was not found'),
      );
    }
    const used = await create('admin', 'emergency');
    const device = await createDevice(api.handle, w.adminUser.id);
    await api.handle.db.update(devices).set({ emergencyCalleridPoolId: used }).where(eq(devices.id, device.id));
    expect(await call('number_pool_delete', 'admin', { number_pool_id: String(used) }, [])).toBe(
      pageStatusErrorXml('Number Pool was not deleted'),
    );
    const theirs = await create(w.resellerB.username, 'theirs');
    expect(await call('number_pool_delete', w.resellerA.username, { number_pool_id: String(theirs) }, [])).toBe(
      pageStatusErrorXml('Number Pool was not found'),
    );
    expect(await call('number_pool_delete', w.userB.username, { number_pool_id: String(theirs) }, [])).toBe(
      pageStatusErrorXml('Access Denied'),
    );
    expect(await call('number_pool_delete', w.resellerB.username, { number_pool_id: String(theirs) }, [])).toBe(ok);
  });
});
