import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { conflines } from '../../src/db/schema/settings.ts';
import { locations, quickforwardsRules, tariffs } from '../../src/db/schema/stubs.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createCurrency, createReseller, createUser, getConfline } from '../helpers/factories.ts';

const api = useTestApp();
const success = `${XML_DECL}\n<page>\n  <status>\n    <success>Settings successfully updated</success>\n  </status>\n</page>\n`;
const snapshot = async () =>
  JSON.stringify(await api.handle.db.select().from(conflines).orderBy(conflines.ownerId, conflines.name));

let tariffId: number;
let locationId: number;
let ruleId: number;
beforeAll(async () => {
  await createCurrency(api.handle, 'EUR', '0.9');
  tariffId = (await api.handle.db.insert(tariffs).values({ name: 'Retail' }).returning())[0]!.id;
  locationId = (await api.handle.db.insert(locations).values({ name: 'Global' }).returning())[0]!.id;
  ruleId = (await api.handle.db.insert(quickforwardsRules).values({ name: 'Rule' }).returning())[0]!.id;
});

describe('conflines_update', () => {
  it('matches the spec example: hash = sha1("secret"), default_user_call_limit=5', async () => {
    const res = await api.call(
      'conflines_update',
      { u: 'admin', default_user_call_limit: '5' },
      { hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
    );
    expect(res.body).toBe(success);
    expect(await getConfline(api.handle, 0, 'default_user_call_limit')).toBe('5');
  });

  it('stores every valid setting and logs one action per changed value', async () => {
    const before = (await api.handle.db.select().from(actions)).length;
    const res = await api.call('conflines_update', {
      u: 'admin',
      default_user_password_length: '12',
      default_user_credit: '-1',
      default_user_balance: '-2.5',
      default_user_postpaid: '1',
      default_user_allow_loss_calls: '1',
      default_user_time_zone: 'Atlantic Time (Canada)',
      default_user_currency: 'EUR',
      default_user_quickforwards_rule_id: String(ruleId),
      default_user_recording_enabled: '1',
      default_user_recording_forced_enabled: '0',
      default_user_tariff_id: String(tariffId),
      default_device_call_limit: '3',
      default_device_canreinvite: 'update,nonat',
      default_device_nat: 'force_rport',
      default_device_qualify: '1000',
      default_device_grace_time: '30',
      default_device_location_id: String(locationId),
      default_device_audio_codecs: 'alaw,g729',
      default_device_video_codecs: 'h264',
    });
    expect(res.body).toBe(success);
    expect(await getConfline(api.handle, 0, 'default_user_time_zone')).toBe('Atlantic Time (Canada)');
    expect(await getConfline(api.handle, 0, 'default_device_audio_codecs')).toBe('alaw,g729');
    const after = (await api.handle.db.select().from(actions)).length;
    expect(after - before).toBeGreaterThanOrEqual(17);
  });

  it('answers success and changes nothing when no setting is sent', async () => {
    const before = await snapshot();
    expect((await api.call('conflines_update', { u: 'admin' })).body).toBe(success);
    expect(await snapshot()).toBe(before);
  });

  const invalid: [string, string, string][] = [
    ['allow_api', '2', 'allow_api must be 0 or 1'],
    ['api_secret_key', '12345', 'api_secret_key length must be higher than 5'],
    ['default_user_password_length', '5', 'default_user_password_length must be between 6 and 30'],
    ['default_user_password_length', '31', 'default_user_password_length must be between 6 and 30'],
    ['default_user_credit', '-2', 'default_user_credit must be positive number or -1 for infinity'],
    ['default_user_balance', 'abc', 'default_user_balance must be number'],
    ['default_user_postpaid', 'yes', 'default_user_postpaid must be 0 or 1'],
    ['default_user_allow_loss_calls', '2', 'default_user_allow_loss_calls must be 0 or 1'],
    ['default_user_call_limit', '-1', 'default_user_credit must be positive integer'],
    ['default_user_time_zone', 'atlantic time (canada)', 'default_user_time_zone name was not correct'],
    ['default_user_currency', 'XXX', 'default_user_currency name was not correct'],
    ['default_user_quickforwards_rule_id', '999', 'default_user_quickforwards_rule_id was not found'],
    ['default_user_recording_enabled', 'x', 'default_user_recording_enabled must be 0 or 1'],
    ['default_user_recording_forced_enabled', '5', 'default_user_recording_forced_enabled must be 0 or 1'],
    ['default_user_tariff_id', '999', 'default_user_tariff_id was not found'],
    ['default_device_call_limit', '1.5', 'default_device_call_limit must be positive integer'],
    [
      'default_device_canreinvite',
      'maybe',
      "default_device_canreinvite can only be one of the following: 'yes', 'no', 'nonat', 'update', 'update,nonat'",
    ],
    [
      'default_device_nat',
      'never',
      "default_device_nat can only be one of the following: 'yes', 'no', 'force_rport', 'comedia'",
    ],
    ['default_device_qualify', '999', "default_device_qualify can only be 'no' or >= 1000 integer"],
    ['default_device_grace_time', '-3', 'default_device_grace_time must be positive integer'],
    ['default_device_location_id', '999', 'default_device_location_id was not found'],
  ];
  for (const [name, value, message] of invalid) {
    it(`refuses ${name}=${value} with "${message}" and changes nothing`, async () => {
      const before = await snapshot();
      const res = await api.call('conflines_update', { u: 'admin', default_user_balance: '7', [name]: value });
      expect(res.body).toBe(pageStatusErrorXml(message));
      expect(await snapshot()).toBe(before);
    });
  }

  it('accepts allow_api=1 as a no-op and allow_api=0 turns the API off', async () => {
    expect((await api.call('conflines_update', { u: 'admin', allow_api: '1' })).body).toBe(success);
    expect((await api.call('conflines_update', { u: 'admin', allow_api: '0' })).body).toBe(success);
    expect((await api.call('conflines_update', { u: 'admin' })).body).toBe(statusErrorXml('API Requests are disabled'));
    await api.handle.exec(`update conflines set value = '1' where owner_id = 0 and name = 'allow_api'`);
    api.changed();
  });

  it('changes the secret key for the next request', async () => {
    expect((await api.call('conflines_update', { u: 'admin', api_secret_key: 'new-secret' })).body).toBe(success);
    expect((await api.call('conflines_update', { u: 'admin' })).body).toBe(statusErrorXml('Incorrect hash'));
    expect(
      (await api.call('conflines_update', { u: 'admin', api_secret_key: 'secret' }, { key: 'new-secret' })).body,
    ).toBe(success);
  });

  it("lets a reseller edit its own defaults with the admin's key, even with its own API off", async () => {
    const reseller = await createUser(api.handle, { usertype: 'reseller' });
    const res = await api.call('conflines_update', { u: reseller.username, default_user_call_limit: '9' });
    expect(res.body).toBe(success);
    expect(await getConfline(api.handle, reseller.id, 'default_user_call_limit')).toBe('9');
    expect(await getConfline(api.handle, 0, 'default_user_call_limit')).toBe('5');
    const own = await createReseller(api.handle, 'own-reseller-key');
    const wrong = await api.call('conflines_update', { u: own.username }, { key: 'own-reseller-key' });
    expect(wrong.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it("does not let a reseller use the admin's tariffs or another reseller's objects", async () => {
    const reseller = await createUser(api.handle, { usertype: 'reseller' });
    const res = await api.call('conflines_update', { u: reseller.username, default_user_tariff_id: String(tariffId) });
    expect(res.body).toBe(pageStatusErrorXml('default_user_tariff_id was not found'));
  });

  it('answers Access Denied to accountants and simple users, and unknown callers in <status>', async () => {
    const accountant = await createAccountant(api.handle, { users_manage: 2 });
    const user = await createUser(api.handle);
    for (const u of [accountant.username, user.username]) {
      expect((await api.call('conflines_update', { u, default_user_call_limit: '1' })).body).toBe(
        pageStatusErrorXml('Access Denied'),
      );
    }
    expect((await api.call('conflines_update', { u: 'ghost' })).body).toBe(statusErrorXml('Access Denied'));
    expect(await getConfline(api.handle, 0, 'default_user_call_limit')).toBe('5');
  });

  it('writes nothing for a reseller row of another owner', async () => {
    const rows = await api.handle.db.select().from(conflines).where(eq(conflines.name, 'default_user_call_limit'));
    expect(rows.every((r) => r.value === '5' || r.value === '9')).toBe(true);
  });
});
