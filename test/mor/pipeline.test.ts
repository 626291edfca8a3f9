import { describe, expect, it } from 'vitest';
import { VERSION_TEXT } from '../../src/version.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createReseller, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const version = `${XML_DECL}\n<page>\n  <version>${VERSION_TEXT}</version>\n</page>\n`;

async function withSettings(values: Record<string, string>, fn: () => Promise<void>) {
  const undo = Object.fromEntries(Object.entries(values).map(([k]) => [k, k === 'allow_api' ? '1' : '0']));
  await setConflines(api.handle, 0, values);
  api.changed();
  try {
    await fn();
  } finally {
    await setConflines(api.handle, 0, undo);
    api.changed();
  }
}

describe('the XML pipeline', () => {
  it('reads parameters from the query string, a form body, a JSON body and a multipart body', async () => {
    for (const as of ['query', 'form', 'json', 'multipart'] as const) {
      expect((await api.call('system_version_get', { u: 'admin' }, { as })).body).toBe(version);
    }
  });

  it('lets the query string override the body, and the last repeated key win', async () => {
    const hash = await api.hash({}, []);
    const res = await api.app.app.request(`/billing/api/system_version_get?u=admin&hash=wrong&hash=${hash}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'u=ghost&hash=wrong',
    });
    expect(await res.text()).toBe(version);
  });

  it('stringifies non-string JSON values before hashing', async () => {
    const user = await createUser(api.handle, { username: '12345', balance: '1' });
    await withSettings({ allow_balance_over_http: '1' }, async () => {
      const hash = await api.hash({ username: '12345' }, ['username']);
      const res = await api.app.app.request('/billing/api/user_balance_get', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ u: 'admin', username: 12345, hash }),
      });
      expect(await res.text()).toContain('<balance>1.0000</balance>');
    });
    expect(user.id).toBeGreaterThan(0);
  });

  it('ignores a malformed body and still reads the query string', async () => {
    const hash = await api.hash({}, []);
    const res = await api.app.app.request(`/api/system_version_get?u=admin&hash=${hash}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(await res.text()).toBe(version);
  });

  it('serves a path with repeated slashes as the single-slash path (the did_details_update page sends //)', async () => {
    const hash = await api.hash({}, []);
    const paths = [
      '/billing//api/system_version_get',
      '//billing/api/system_version_get',
      '/billing/api//system_version_get',
      '/billing///api//system_version_get//',
      '/api//system_version_get',
      '//api/system_version_get',
    ];
    for (const path of paths) {
      for (const verb of ['POST', 'GET']) {
        await withSettings({ allow_get_api: verb === 'GET' ? '1' : '0' }, async () => {
          const res = await api.app.app.request(`http://openmor.test${path}?u=admin&hash=${hash}`, { method: verb });
          expect([path, verb, res.status, await res.text()]).toEqual([path, verb, 200, version]);
        });
      }
    }
    // Any method, and the path segment after it: by_username answers as with single slashes.
    const single = await api.app.app.request('http://openmor.test/billing/api/user_balance_get_by_username/nobody', {
      method: 'POST',
    });
    const doubled = await api.app.app.request(
      'http://openmor.test/billing//api//user_balance_get_by_username//nobody',
      {
        method: 'POST',
      },
    );
    expect(await doubled.text()).toBe(await single.text());
    // The catalogue too.
    expect(await (await api.app.app.request('http://openmor.test/billing//api')).text()).toContain(
      '<name>user_balance_get</name>',
    );
  });

  it('answers an unknown method with Access Denied, even with the API off', async () => {
    expect((await api.call('no_such_method', { u: 'admin' })).body).toBe(statusErrorXml('Access Denied'));
    await withSettings({ allow_api: '0' }, async () => {
      expect((await api.call('no_such_method', { u: 'admin' })).body).toBe(statusErrorXml('Access Denied'));
    });
  });

  it('answers API Requests are disabled before any other check when the API is off', async () => {
    await withSettings({ allow_api: '0', allow_get_api: '0' }, async () => {
      for (const [params, options] of [
        [{ u: 'admin' }, {}],
        [{ u: 'ghost' }, { hash: 'x' }],
        [{ u: 'admin' }, { verb: 'GET' }],
      ] as const) {
        expect((await api.call('system_version_get', params, options)).body).toBe(
          statusErrorXml('API Requests are disabled'),
        );
      }
      const simple = await api.call('user_simple_balance_get', { id: 'x' }, { hash: null });
      expect(simple.body).toBe(statusErrorXml('API Requests are disabled'));
    });
  });

  it('treats PUT and DELETE like a disallowed GET, and allows HEAD only with GET', async () => {
    for (const verb of ['PUT', 'DELETE', 'PATCH', 'GET']) {
      expect((await api.call('system_version_get', { u: 'admin' }, { verb })).body).toBe(
        statusErrorXml('GET Requests are disabled'),
      );
    }
  });

  it('checks GET before the caller and the hash', async () => {
    expect((await api.call('system_version_get', { u: 'ghost' }, { verb: 'GET', hash: 'bad' })).body).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
  });

  it('checks the caller before the hash', async () => {
    expect((await api.call('user_balance_get', { u: 'ghost', username: 'x' }, { hash: 'bad' })).body).toBe(
      statusErrorXml('Access Denied'),
    );
  });

  it('refuses a blocked caller with Access Denied', async () => {
    const blocked = await createUser(api.handle, { blocked: true });
    expect((await api.call('system_version_get', { u: blocked.username })).body).toBe(
      pageStatusErrorXml('Access Denied'),
    );
  });

  it('compares the hash case-insensitively', async () => {
    const hash = (await api.hash({}, [])).toUpperCase();
    expect((await api.call('system_version_get', { u: 'admin' }, { hash })).body).toBe(version);
  });

  it('skips the hash when Disable hash checking is on, and ignores a wrong one', async () => {
    await withSettings({ disable_hash_checking: '1' }, async () => {
      expect((await api.call('system_version_get', { u: 'admin' }, { hash: null })).body).toBe(version);
      expect((await api.call('system_version_get', { u: 'admin' }, { hash: 'wrong' })).body).toBe(version);
    });
    expect((await api.call('system_version_get', { u: 'admin' }, { hash: null })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it("uses a reseller's own Allow API, key and Disable hash checking", async () => {
    const reseller = await createReseller(api.handle, 'r-key-123');
    const own = await createUser(api.handle, { ownerId: reseller.id });
    await setConflines(api.handle, reseller.id, { allow_api: '0' });
    api.changed();
    for (const u of [reseller.username, own.username]) {
      expect((await api.call('system_version_get', { u }, { key: 'r-key-123' })).body).toBe(
        statusErrorXml('API Requests are disabled'),
      );
    }
    await setConflines(api.handle, reseller.id, { allow_api: '1', disable_hash_checking: '1' });
    api.changed();
    expect((await api.call('system_version_get', { u: own.username }, { hash: null })).body).toBe(version);
    // the reseller's flag does not disable the admin's hash check
    expect((await api.call('system_version_get', { u: 'admin' }, { hash: null })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('never accepts a hash made with an empty key', async () => {
    const reseller = await createUser(api.handle, { usertype: 'reseller' });
    await setConflines(api.handle, reseller.id, { allow_api: '1', api_secret_key: '' });
    api.changed();
    expect((await api.call('system_version_get', { u: reseller.username }, { key: '' })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('wraps documents in <html> without the declaration when XML API Extension is on', async () => {
    await withSettings({ xml_api_extension: '1' }, async () => {
      const res = await api.call('system_version_get', { u: 'admin' });
      expect(res.body).toBe(`<html>\n<page>\n  <version>${VERSION_TEXT}</version>\n</page>\n</html>\n`);
      const err = await api.call('system_version_get', { u: 'admin' }, { hash: 'x' });
      expect(err.body).toBe('<html>\n<status>\n  <error>Incorrect hash</error>\n</status>\n</html>\n');
    });
  });

  it('lists the method catalogue as XML and JSON', async () => {
    const xml = await (await api.app.app.request('/billing/api')).text();
    expect(xml).toContain('<name>user_balance_get</name>');
    expect(xml).toContain('<alias>balance</alias>');
    const json = (await (await api.app.app.request('/api/?format=json')).json()) as {
      methods: { name: string; hash: string[] | null; hashString: string | null }[];
    };
    const balance = json.methods.find((m) => m.name === 'user_balance_get');
    expect(balance?.hash).toEqual(['username', 'currency']);
    expect(json.methods.find((m) => m.name === 'user_simple_balance_get')?.hash).toBeNull();
    // Stand-ins and alternative digests are shown with the condition they are accepted under.
    const text = (name: string) => json.methods.find((m) => m.name === name)?.hashString;
    expect(text('cc_group_update')).toBe('sha1(cc_Group_id (or cc_group_id) + secret_key)');
    expect(text('device_update')).toBe(
      'sha1(device + authentication + username (or device_name) + host + port + secret_key) or sha1(device + location_id + secret_key) (with location_id, without authentication, username, device_name, host, port)',
    );
  });

  it('answers 200 with text/xml for errors, like MOR', async () => {
    const res = await api.call('system_version_get', { u: 'admin' }, { hash: 'x' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
  });
});
