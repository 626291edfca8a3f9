import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actions,
  addresses,
  callerids,
  devices,
  directions,
  locations,
  outboxEvents,
  users,
} from '../../src/db/schema/index.ts';
import { verifyPassword } from '../../src/domain/crypto.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const ORDER = [
  'email',
  'id',
  'lcr_id',
  'device_type',
  'username',
  'first_name',
  'last_name',
  'caller_id',
  'state',
  'device_location_id',
];
let adminHash = '';
let countryId = '';
let n = 0;

const register = (params: Record<string, string>, key?: string) =>
  api.call('user_register', params, { hashOf: ORDER.filter((name) => name in params), key });

/** A complete, valid sign-up under the admin; `over` changes or (undefined) removes parameters. */
function signup(over: Record<string, string | undefined> = {}) {
  n++;
  const base: Record<string, string | undefined> = {
    id: adminHash,
    username: `signup_${n}_${Date.now().toString(36)}`,
    password: 'Passw0rd!',
    password2: 'Passw0rd!',
    email: `person${n}.${Date.now().toString(36)}@example.com`,
    device_type: 'SIP',
    country_id: countryId,
    ...over,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

const success = (device: { username: string; secret: string; pin: string }, type = 'SIP') =>
  `${XML_DECL}\n<page>\n  <status>Registration successful</status>\n  <user_device_settings>\n    <device_type>${type}</device_type>\n    <username>${device.username}</username>\n    <password>${device.secret}</password>\n    <pin>${device.pin}</pin>\n    <server_ip>10.0.0.1</server_ip>\n    <registration_notice>Welcome!</registration_notice>\n  </user_device_settings>\n</page>\n`;

const userNamed = async (username: string) =>
  (await api.handle.db.select().from(users).where(eq(users.username, username)))[0];

beforeAll(async () => {
  const [admin] = await api.handle.db.select().from(users).where(eq(users.id, 0));
  adminHash = admin!.uniquehash;
  // A fresh install already has the ISO 3166-1 countries: Lithuania is 440, nobody had to create it.
  const [lt] = await api.handle.db.select().from(directions).where(eq(directions.code, 'LTU'));
  countryId = String(lt!.id);
  await setConflines(api.handle, 0, {
    allow_api_registration: '1',
    registration_notice: 'Welcome!',
    server_ip: '10.0.0.1',
    default_user_balance: '5',
    default_user_credit: '10',
    default_user_postpaid: '1',
  });
  api.changed();
});

describe('user_register', () => {
  it('creates a simple user of the admin from its Default User, with a usable first device', async () => {
    const params = signup({
      first_name: 'Ann',
      last_name: 'Lee',
      phone: '37060000001',
      city: 'Vilnius',
      caller_id: '37060000001',
    });
    expect(params.country_id).toBe('440');
    const res = await register(params);
    const user = await userNamed(params.username!);
    expect(user).toMatchObject({
      usertype: 'user',
      ownerId: 0,
      balance: '5.000000',
      credit: '10.000000',
      postpaid: true,
    });
    expect(user!.passwordWeak).toBe(false);
    expect(await verifyPassword('Passw0rd!', user!.password)).toBe(true);
    expect(user!.uniquehash).toMatch(/^[a-z0-9]{10}$/);
    const [device] = await api.handle.db.select().from(devices).where(eq(devices.userId, user!.id));
    expect(device!.username).toMatch(/^\d{10}$/);
    expect(device!.secret).toHaveLength(12);
    expect(device!.deviceType).toBe('SIP');
    expect(device!.pin).toMatch(/^\d{6}$/);
    expect(device!.callerid).toBe('37060000001');
    const clis = await api.handle.db.select().from(callerids).where(eq(callerids.deviceId, device!.id));
    expect(clis.map((c) => c.cli)).toEqual(['37060000001']);
    expect(res.body).toBe(success(device!));
    const [address] = await api.handle.db.select().from(addresses).where(eq(addresses.id, user!.addressId!));
    expect(address).toMatchObject({
      firstName: 'Ann',
      lastName: 'Lee',
      phone: '37060000001',
      city: 'Vilnius',
      email: params.email,
    });
    const logged = await api.handle.db
      .select({ action: actions.action })
      .from(actions)
      .where(eq(actions.targetId, user!.id));
    expect(logged.map((r) => r.action)).toContain('user_registered');
  });

  it("registers under a reseller by its uniquehash, with the reseller's key and Default User", async () => {
    const reseller = await createReseller(api.handle, 'reg-reseller-key');
    await setConflines(api.handle, reseller.id, { default_user_balance: '1.25', default_user_password_length: '6' });
    const params = signup({ id: reseller.uniquehash, password: 'abc123', password2: 'abc123', device_type: 'iax2' });
    const res = await register(params, 'reg-reseller-key');
    expect(res.body).toContain('<device_type>IAX2</device_type>');
    expect(await userNamed(params.username!)).toMatchObject({
      ownerId: reseller.id,
      balance: '1.250000',
      passwordWeak: true,
    });
    // The outbox has the registration in the reseller's realm, with the opening balance after it.
    const user = await userNamed(params.username!);
    const events = await api.handle.db
      .select({ type: outboxEvents.type, realmId: outboxEvents.realmId, payload: outboxEvents.payload })
      .from(outboxEvents)
      .where(eq(outboxEvents.userId, user!.id))
      .orderBy(outboxEvents.id);
    expect(events.find((e) => e.type === 'user.registered')).toEqual({
      type: 'user.registered',
      realmId: reseller.id,
      payload: { userId: user!.id, username: params.username, ownerId: reseller.id, email: params.email ?? '' },
    });
    expect((await register(signup({ id: reseller.uniquehash }))).body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('puts the user under the admin when no id is sent', async () => {
    const params = signup({ id: undefined, device_type: 'Virtual' });
    expect((await register(params)).body).toContain('<status>Registration successful</status>');
    expect((await userNamed(params.username!))!.ownerId).toBe(0);
  });

  it('hashes email, id, lcr_id, device_type, username, first_name, last_name, caller_id, state, device_location_id', async () => {
    const illustration = { email: 'john@example.com', id: 'kljsdfg54kl', device_type: 'SIP', username: 'john' };
    expect(await api.hash(illustration, ORDER)).toBe('f5111bbbf3d2c375a27cb0271774352ec32b09a2');
    const params = signup({ first_name: 'A', state: 'S' });
    const swapped = ['id', 'email', 'device_type', 'username', 'first_name', 'state'];
    expect((await api.call('user_register', params, { hashOf: swapped })).body).toBe(statusErrorXml('Incorrect hash'));
    expect((await api.call('user_register', params, { hash: null })).body).toBe(statusErrorXml('Incorrect hash'));
    expect(await userNamed(params.username!)).toBeUndefined();
  });

  it('answers User was not found for an unknown id, Dont be so smart for a non-owner, Access Denied for a blocked one', async () => {
    expect((await register(signup({ id: 'nosuchhash' }))).body).toBe(pageErrorXml('User was not found'));
    const user = await createUser(api.handle);
    const accountant = await createAccountant(api.handle);
    for (const owner of [user, accountant]) {
      expect((await register(signup({ id: owner.uniquehash }))).body).toBe(pageErrorXml('Dont be so smart'));
    }
    const blocked = await createReseller(api.handle, 'blocked-key-1', { blocked: true });
    expect((await register(signup({ id: blocked.uniquehash }), 'blocked-key-1')).body).toBe(
      pageErrorXml('Access Denied'),
    );
  });

  it('answers Default user is not present for an owner without one', async () => {
    const reseller = await createReseller(api.handle, 'no-default-key');
    expect((await register(signup({ id: reseller.uniquehash }), 'no-default-key')).body).toBe(
      pageErrorXml('Default user is not present'),
    );
  });

  it('answers every validation error in order and creates nothing', async () => {
    const taken = signup({ phone: '111', mob_phone: '222', fax: '333' });
    expect((await register(taken)).body).toContain('Registration successful');
    const location = (await api.handle.db.insert(locations).values({ name: 'L', ownerId: 0 }).returning())[0]!;
    const cases: [Record<string, string | undefined>, string][] = [
      [{ username: undefined }, 'Please enter username'],
      [{ device_type: undefined }, 'Enter device type'],
      [{ device_type: 'ZAP' }, 'Enter device type'],
      [{ username: taken.username }, 'Such username is already taken'],
      [{ password2: 'other' }, 'Passwords do not match'],
      [{ password: 'short', password2: 'short' }, 'Password must be longer than 7 characters'],
      [{ country_id: undefined }, 'Please select country'],
      [{ country_id: '999999' }, 'Please select country'],
      [{ email: undefined }, 'Please enter email'],
      [{ email: 'not-an-email' }, 'Please enter email'],
      [{ email: taken.email!.toUpperCase() }, 'This email address is already in use'],
      [{ phone: '111' }, 'User with phone already exists'],
      [{ mob_phone: '222' }, 'User with mobile phone already exists'],
      [{ fax: '333' }, 'User with fax already exists'],
      [{ lcr_id: 'abc' }, 'LCR was not found'],
      [{ device_location_id: '999999' }, 'Location was not found'],
    ];
    const before = (await api.handle.db.select({ id: users.id }).from(users)).length;
    for (const [over, error] of cases) expect((await register(signup(over))).body).toBe(pageErrorXml(error));
    expect((await api.handle.db.select({ id: users.id }).from(users)).length).toBe(before);
    const ok = await register(signup({ device_location_id: String(location.id) }));
    expect(ok.body).toContain('Registration successful');
  });

  it('applies the strong-password and required-name sign-up rules when the owner turns them on', async () => {
    await setConflines(api.handle, 0, { registration_strong_passwords: '1', registration_names_required: '1' });
    const weak = { password: 'alllowercase1', password2: 'alllowercase1' };
    expect((await register(signup(weak))).body).toBe(
      pageErrorXml('Password must contain at least one numeric value, capital and lowercase symbol'),
    );
    expect((await register(signup({ last_name: 'L' }))).body).toBe(pageErrorXml('Please enter first name'));
    expect((await register(signup({ first_name: 'F' }))).body).toBe(pageErrorXml('Please enter last name'));
    expect((await register(signup({ first_name: 'F', last_name: 'L' }))).body).toContain('Registration successful');
    await setConflines(api.handle, 0, { registration_strong_passwords: '0', registration_names_required: '0' });
  });

  it('answers Registration over API is disabled while the setting is off', async () => {
    await setConflines(api.handle, 0, { allow_api_registration: '0' });
    api.changed();
    expect((await register(signup())).body).toBe(pageErrorXml('Registration over API is disabled'));
    await setConflines(api.handle, 0, { allow_api_registration: '1' });
    api.changed();
  });

  it('gives every device its own username and a different strong secret', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => register(signup())));
    const names = results.map((r) => /<username>(\d+)<\/username>/.exec(r.body)?.[1]);
    const secrets = results.map((r) => /<password>([^<]+)<\/password>/.exec(r.body)?.[1]);
    expect(new Set(names).size).toBe(4);
    expect(new Set(secrets).size).toBe(4);
  });
});
