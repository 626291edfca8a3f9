import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { directions, users } from '../../src/db/schema/index.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { pageErrorXml, useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const ORDER = ['email', 'id', 'lcr_id', 'device_type', 'username', 'first_name', 'last_name', 'caller_id', 'state'];
let adminHash = '';
let countryId = '';
let n = 0;

const register = (params: Record<string, string>) =>
  api.call('user_register', params, { hashOf: ORDER.filter((name) => name in params) });
const signup = (over: Record<string, string>) => {
  n++;
  return {
    id: adminHash,
    username: `reg_${n}`,
    password: 'Passw0rd!',
    password2: 'Passw0rd!',
    email: `reg${n}@example.com`,
    device_type: 'SIP',
    country_id: countryId,
    ...over,
  };
};
/** Random printable text that does not compress (the kind that overflows a btree index row). */
const noise = (length: number) =>
  Array.from({ length }, () => String.fromCharCode(33 + Math.floor(Math.random() * 90)))
    .join('')
    .replace(/[<>&]/g, 'x');
const countUsers = async () =>
  (await queryRows<{ n: number }>(api.handle.db, sql`select count(*)::int as n from users`))[0]!.n;

beforeAll(async () => {
  const [admin] = await api.handle.db.select().from(users).where(eq(users.id, 0));
  adminHash = admin!.uniquehash;
  const [lt] = await api.handle.db.select().from(directions).where(eq(directions.code, 'LTU'));
  countryId = String(lt!.id);
  await setConflines(api.handle, 0, { allow_api_registration: '1' });
  api.changed();
});

describe('user_register applies the username rule of users.create (issue #10 §4)', () => {
  it('trims the username and stores the trimmed one', async () => {
    const res = await register(signup({ username: '  spaced_name  ' }));
    expect(res.body).toContain('Registration successful');
    const [row] = await api.handle.db.select().from(users).where(eq(users.username, 'spaced_name'));
    expect(row?.usertype).toBe('user');
  });

  it('refuses a case variant of an existing username, admin included', async () => {
    for (const username of ['ADMIN', 'Admin', ' aDmIn ', 'SPACED_NAME']) {
      const before = await countUsers();
      expect((await register(signup({ username }))).body).toBe(pageErrorXml('Such username is already taken'));
      expect(await countUsers()).toBe(before);
    }
  });

  it('refuses a blank or too long username with the documented string, never a 500', async () => {
    const cases = ['   ', 'x'.repeat(101), 'x'.repeat(10_000), noise(3_000)];
    for (const username of cases) {
      const before = await countUsers();
      const res = await register(signup({ username }));
      expect(res.status).toBe(200);
      expect(res.body).toBe(pageErrorXml('Please enter username'));
      expect(await countUsers()).toBe(before);
    }
    expect((await register(signup({ username: 'y'.repeat(100) }))).body).toContain('Registration successful');
  });

  it('refuses over-long address values with their documented strings, never a 500', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ email: `${noise(3_000).replace(/[@\s]/g, 'a')}@example.com` }, 'Please enter email'],
      [{ first_name: noise(3_000) }, 'Please enter first name'],
      [{ last_name: noise(3_000) }, 'Please enter last name'],
      [{ phone: noise(3_000) }, 'Dont be so smart'],
      [{ city: 'c'.repeat(256) }, 'Dont be so smart'],
    ];
    for (const [over, message] of cases) {
      const before = await countUsers();
      const res = await register(signup(over));
      expect(res.status).toBe(200);
      expect(res.body).toBe(pageErrorXml(message));
      expect(await countUsers()).toBe(before);
    }
  });

  it('users.create shares the rule: a case variant is taken', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const error = await trpcError(() => admin.users.create({ username: 'Spaced_Name', password: 'Passw0rd!x' }));
    expect(error.message).toBe('Such username is already taken');
    const long = await trpcError(() => admin.users.create({ username: 'z'.repeat(101), password: 'Passw0rd!x' }));
    expect(long.code).toBe('BAD_REQUEST');
  });
});
