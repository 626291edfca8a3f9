import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { quickforwarddids } from '../../src/db/schema/quickforwards.ts';
import { ruleMatches } from '../../src/domain/quickforwards/rules.ts';
import { pageErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createDialplan, createQuickforwardsRule, createUser, insertDid, setConflines } from '../helpers/factories.ts';
import { callAs, DECL, KEY_A, makeWorld, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
let noRule: Awaited<ReturnType<typeof createUser>>;

const entry = (did: string, forward = '', description = '') =>
  `  <quick_forward_did>\n    <did>${did}</did>\n    <forward_to>${forward}</forward_to>\n    <description>${description}</description>\n  </quick_forward_did>\n`;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
  noRule = await createUser(api.handle);
  const plan = await createDialplan(api.handle, { dptype: 'quickforwarddids' });
  const other = await createDialplan(api.handle, { dptype: 'callback' });
  for (const did of ['37161112345', '37161112347', '37060503666', '37063042438']) {
    await insertDid(api.handle, { did, dialplanId: plan.id });
  }
  await insertDid(api.handle, { did: '37161112349', dialplanId: other.id });
  // Admin (and its user): every 371611 number and the two Lithuanian ones.
  await createQuickforwardsRule(api.handle, 0, '371611%|37060503666|37063042438', [0, w.adminUser.id]);
  // Reseller A may use 3716111234[5,7]; its user's own rule is wider, the intersection applies.
  await createQuickforwardsRule(api.handle, 0, '3716111234[5,7]', [w.resellerA.id]);
  await createQuickforwardsRule(api.handle, w.resellerA.id, '%', [w.userA.id]);
});

describe('Quickforwards rules', () => {
  it('match digits, [lists], % runs and | alternatives against the whole number', () => {
    expect(ruleMatches('3706[1,2]%', '37061999')).toBe(true);
    expect(ruleMatches('3706[1,2]%', '37063999')).toBe(false);
    expect(ruleMatches('123|456', '456')).toBe(true);
    expect(ruleMatches('123', '1234')).toBe(false);
    expect(ruleMatches('', '1')).toBe(false);
    expect(ruleMatches('12a', '12')).toBe(false);
  });
});

describe('quickforwards_dids_get', () => {
  it("lists the caller's eligible DIDs with empty values until it sets them; hash sha1(key)", async () => {
    expect(await call('quickforwards_dids_get', 'admin', {}, [])).toBe(
      `${DECL}\n<page>\n${entry('37060503666')}${entry('37063042438')}${entry('37161112345')}${entry('37161112347')}</page>\n`,
    );
    expect(await call('quickforwards_dids_get', 'admin', {}, ['u'])).toBe(statusErrorXml('Incorrect hash'));
  });

  it("limits a reseller's user to both its rule and its reseller's rule", async () => {
    expect(await call('quickforwards_dids_get', w.userA.username, {}, [])).toBe(
      `${DECL}\n<page>\n${entry('37161112345')}${entry('37161112347')}</page>\n`,
    );
  });

  it('answers the missing-u, unknown-u and empty-list errors', async () => {
    expect((await api.call('quickforwards_dids_get', {}, { hashOf: [] })).body).toBe(
      pageErrorXml('You are not authorized to use Quickforwards'),
    );
    expect(await call('quickforwards_dids_get', 'nobody', {}, [])).toBe(pageErrorXml('User was not found'));
    expect(await call('quickforwards_dids_get', noRule.username, {}, [])).toBe(
      pageErrorXml('Quickforwards list is empty'),
    );
    expect(await call('quickforwards_dids_get', w.userB.username, {}, [])).toBe(
      pageErrorXml('Quickforwards list is empty'),
    );
  });
});

describe('quickforwards_did_update', () => {
  it('verifies the documented example digest (description + did + forward_to, key 123456) and the page order', async () => {
    const params = { u: 'admin', did: '37060503666', forward_to: '37066603777', description: 'abyss' };
    const expected = `${DECL}\n<page>\n  <new_quickforward_did>\n    <did>37060503666</did>\n    <forward_to>37066603777</forward_to>\n    <description>abyss</description>\n  </new_quickforward_did>\n</page>\n`;
    await setConflines(api.handle, 0, { api_secret_key: '123456' });
    api.changed();
    try {
      const doc = await api.call('quickforwards_did_update', params, {
        hash: 'b12dbb15d59356af0fd75dc413ebd07a5b852d15',
      });
      expect(doc.body).toBe(expected);
    } finally {
      await setConflines(api.handle, 0, { api_secret_key: 'secret' });
      api.changed();
    }
    const again = { ...params, forward_to: '37066603778' };
    expect(await call('quickforwards_did_update', 'admin', again, ['did', 'forward_to', 'description'])).toContain(
      '<forward_to>37066603778</forward_to>',
    );
    expect(await call('quickforwards_did_update', 'admin', again, ['forward_to', 'did'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('keeps the note when description is absent and lists the new value', async () => {
    const u = w.userA.username;
    expect(
      await call('quickforwards_did_update', u, { did: '37161112345', forward_to: '111', description: 'home' }, [
        'did',
        'forward_to',
        'description',
      ]),
    ).toContain('<description>home</description>');
    expect(
      await call('quickforwards_did_update', u, { did: '37161112345', forward_to: '222' }, ['did', 'forward_to']),
    ).toContain('<forward_to>222</forward_to>\n    <description>home</description>');
    expect(await call('quickforwards_dids_get', u, {}, [])).toContain(entry('37161112345', '222', 'home'));
    expect(await call('quickforwards_dids_get', 'admin', {}, [])).toContain(entry('37161112345'));
  });

  it('answers the documented errors', async () => {
    const H = ['did', 'forward_to', 'description'];
    expect((await api.call('quickforwards_did_update', { did: '1', forward_to: '1' }, { hashOf: H })).body).toBe(
      pageErrorXml('You are not authorized to use Quickforwards'),
    );
    expect(await call('quickforwards_did_update', 'nobody', { did: '37161112345', forward_to: '1' }, H)).toBe(
      pageErrorXml('User was not found'),
    );
    expect(await call('quickforwards_did_update', w.userA.username, { did: '37060503666', forward_to: '1' }, H)).toBe(
      pageErrorXml('DID was not found'),
    );
    expect(await call('quickforwards_did_update', 'admin', { did: '37161112349', forward_to: '1' }, H)).toBe(
      pageErrorXml('DID was not found'),
    );
    expect(await call('quickforwards_did_update', 'admin', { did: '37161112345', forward_to: 'abc' }, H)).toBe(
      pageErrorXml('Forward number must be numeric'),
    );
    expect(await call('quickforwards_did_update', 'admin', { did: '37161112345' }, H)).toBe(
      pageErrorXml('Forward number must be numeric'),
    );
  });
});

describe('quickforwards_did_delete', () => {
  it('removes the entry; the DID stays listed with empty values; also as quickforward_did_delete', async () => {
    const u = w.userA.username;
    await call('quickforwards_did_update', u, { did: '37161112347', forward_to: '333' }, ['did', 'forward_to']);
    expect(await call('quickforwards_did_delete', u, { did: '37161112347' }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect(await call('quickforwards_did_delete', u, { did: '37161112347' }, ['did'])).toBe(
      `${DECL}\n<page>\n  <status>Quickforward successfully deleted</status>\n</page>\n`,
    );
    expect(await call('quickforwards_dids_get', u, {}, [])).toContain(entry('37161112347'));
    await call('quickforwards_did_update', u, { did: '37161112347', forward_to: '334' }, ['did', 'forward_to']);
    expect(await call('quickforward_did_delete', u, { did: '37161112347' }, ['did'])).toContain(
      'Quickforward successfully deleted',
    );
    const left = await api.handle.db.select().from(quickforwarddids).where(eq(quickforwarddids.userId, w.userA.id));
    expect(left.map((r) => r.number)).not.toContain('334');
  });

  it('verifies the documented example digest sha1("37063042438" + "123456")', async () => {
    await call('quickforwards_did_update', 'admin', { did: '37063042438', forward_to: '5' }, ['did', 'forward_to']);
    await setConflines(api.handle, 0, { api_secret_key: '123456' });
    api.changed();
    try {
      const res = await api.call(
        'quickforwards_did_delete',
        { u: 'admin', did: '37063042438' },
        { hash: '8fe8606b6bb38ba1cc5e80630436b270cfc7e65e' },
      );
      expect(res.body).toContain('Quickforward successfully deleted');
    } finally {
      await setConflines(api.handle, 0, { api_secret_key: 'secret' });
      api.changed();
    }
  });

  it('answers the documented errors', async () => {
    expect((await api.call('quickforwards_did_delete', { did: '1' }, { hashOf: ['did'] })).body).toBe(
      pageErrorXml('You are not authorized to use Quickforwards'),
    );
    expect(await call('quickforwards_did_delete', 'nobody', { did: '1' }, ['did'])).toBe(
      pageErrorXml('User was not found'),
    );
    expect(await call('quickforwards_did_delete', w.userA.username, { did: '37060503666' }, ['did'])).toBe(
      pageErrorXml('DID was not found'),
    );
    expect(await call('quickforwards_did_delete', w.userA.username, { did: '37161112345' }, ['did'])).toContain(
      'successfully',
    );
    expect(await call('quickforwards_did_delete', w.userA.username, { did: '37161112345' }, ['did'])).toBe(
      pageErrorXml('No Quickforward is assigned to specified DID'),
    );
    // A reseller's key signs for its users.
    expect(
      (
        await api.call(
          'quickforwards_did_delete',
          { u: w.userA.username, did: '37161112345' },
          { hashOf: ['did'], key: KEY_A },
        )
      ).body,
    ).toBe(pageErrorXml('No Quickforward is assigned to specified DID'));
  });
});
