import { describe, expect, it } from 'vitest';
import { VERSION_TEXT } from '../../src/version.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createReseller, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const ok = `${XML_DECL}\n<page>\n  <version>${VERSION_TEXT}</version>\n</page>\n`;

describe('system_version_get', () => {
  it('answers the version to the admin with hash = sha1(key)', async () => {
    const res = await api.call('system_version_get', { u: 'admin' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(res.body).toBe(ok);
  });

  it('matches the spec example hash for key "secret"', async () => {
    const res = await api.call(
      'system_version_get',
      { u: 'admin' },
      { hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
    );
    expect(res.body).toBe(ok);
  });

  it('is served under the old alias get_version and the /api prefix, with a trailing slash', async () => {
    expect((await api.call('get_version', { u: 'admin' })).body).toBe(ok);
    expect((await api.call('system_version_get/', { u: 'admin' }, { prefix: '/api' })).body).toBe(ok);
  });

  it('also accepts sha1(u + key), as a known PHP client sends', async () => {
    expect((await api.call('system_version_get', { u: 'admin' }, { hashOf: ['u'] })).body).toBe(ok);
  });

  it('refuses a wrong or missing hash with Incorrect hash', async () => {
    expect((await api.call('system_version_get', { u: 'admin' }, { hash: 'nope' })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect((await api.call('system_version_get', { u: 'admin' }, { hash: null })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('answers an unknown or missing u with Access Denied in its page wrapper', async () => {
    expect((await api.call('system_version_get', { u: 'nobody' })).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await api.call('system_version_get', {})).body).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('answers every caller role; a reseller hashes with its own key', async () => {
    const user = await createUser(api.handle);
    expect((await api.call('system_version_get', { u: user.username })).body).toBe(ok);
    const reseller = await createReseller(api.handle, 'r-key-123');
    expect((await api.call('system_version_get', { u: reseller.username }, { key: 'r-key-123' })).body).toBe(ok);
    expect((await api.call('system_version_get', { u: reseller.username })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('refuses GET until Allow GET API is on', async () => {
    expect((await api.call('system_version_get', { u: 'admin' }, { verb: 'GET' })).body).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
    await setConflines(api.handle, 0, { allow_get_api: '1' });
    api.changed();
    expect((await api.call('system_version_get', { u: 'admin' }, { verb: 'GET' })).body).toBe(ok);
    await setConflines(api.handle, 0, { allow_get_api: '0' });
    api.changed();
  });
});
