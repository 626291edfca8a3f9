import { sql } from 'drizzle-orm';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { useTestApp } from '../helpers/app.ts';
import { createDevice, createReseller, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();

/** Small deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = [
  'system_version_get',
  'get_version',
  'conflines_update',
  'user_login',
  'login',
  'user_logout',
  'user_balance_get',
  'balance',
  'user_simple_balance_get',
  'user_balance_get_by_psw',
  'user_balance_get_by_username',
  'no_such_method',
  '%FF%FE',
  '..%2F..%2Fetc%2Fpasswd',
];
const NASTY = [
  '',
  ' ',
  "' or 1=1 --",
  "'; drop table users; --",
  '<script>alert(1)</script>',
  ']]><![CDATA[',
  '&amp;&lt;&#0;',
  '%00',
  '\u0000',
  '\u0001\u0002',
  '\uD800',
  '😀'.repeat(50),
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  'null',
  '{"a":1}',
  'a'.repeat(100_000),
  'admin',
  'USER',
  'Atlantic Time (Canada)',
];
const KEYS = [
  'u',
  'p',
  'username',
  'currency',
  'user_currency',
  'id',
  'hash',
  'allow_api',
  'api_secret_key',
  'default_user_credit',
  'default_user_time_zone',
  'default_device_nat',
  'default_user_tariff_id',
  'default_user_call_limit',
];

/** encodeURIComponent, but a lone surrogate becomes its (invalid) UTF-8 bytes instead of throwing. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

/** Table contents fingerprint: md5 of every row of every application table. */
async function fingerprint(): Promise<string> {
  const tables = await queryRows<{ table_name: string }>(
    api.handle.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const [row] = await queryRows<{ h: string | null }>(
      api.handle.db,
      sql.raw(`select md5(string_agg(t::text, '|' order by t::text)) as h from "${table_name}" t`),
    );
    parts.push(`${table_name}:${row?.h ?? ''}`);
  }
  return parts.join(',');
}

beforeAll(async () => {
  const reseller = await createReseller(api.handle, 'reseller-key');
  const user = await createUser(api.handle, { username: 'fuzzer', ownerId: reseller.id, balance: '10' });
  await createDevice(api.handle, user.id, { username: 'fuzzdev', secret: 'fuzzsecret' });
  await setConflines(api.handle, 0, { allow_balance_over_http: '1', allow_get_api: '1' });
  api.changed();
});

describe('bad input', () => {
  it('answers thousands of malformed requests with well-formed XML carrying one <error>, changing nothing', async () => {
    const random = rng(20261129);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
    const before = await fingerprint();
    const failures: string[] = [];
    const N = 2500;
    for (let i = 0; i < N; i++) {
      const method = pick(METHODS);
      const query: string[] = [];
      const count = Math.floor(random() * 6);
      for (let k = 0; k < count; k++) {
        const key = pick(KEYS);
        const value = pick(NASTY);
        const raw =
          random() < 0.2
            ? `%${Math.floor(random() * 256)
                .toString(16)
                .padStart(2, '0')}%C0`
            : enc(value);
        query.push(`${encodeURIComponent(key)}=${raw}`);
        if (random() < 0.15) query.push(`${encodeURIComponent(key)}=`); // duplicate, empty
      }
      // never a valid hash: "bad" requests only (a valid one would be a legitimate call)
      if (random() < 0.5)
        query.push(`hash=${pick(['', 'x', 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f', '0'.repeat(40)])}`);
      const verb = pick(['POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE']);
      const kind = pick(['none', 'form', 'json', 'badjson', 'xml', 'binary']);
      const init: RequestInit = { method: verb };
      if (verb !== 'GET') {
        const headers: Record<string, string> = {};
        if (kind === 'form') {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          init.body = `${pick(KEYS)}=${enc(pick(NASTY))}&u=%FF`;
        } else if (kind === 'json') {
          headers['content-type'] = 'application/json';
          init.body = JSON.stringify({ [pick(KEYS)]: pick([1, true, null, [1, 2], { x: 1 }, pick(NASTY)]) });
        } else if (kind === 'badjson') {
          headers['content-type'] = 'application/json';
          init.body = '{"u": "admin", ';
        } else if (kind === 'xml') {
          headers['content-type'] = 'text/xml';
          init.body = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>';
        } else if (kind === 'binary') {
          headers['content-type'] = 'application/octet-stream';
          init.body = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);
        }
        init.headers = headers;
      }
      const segment = method.includes('by_') && random() < 0.7 ? `/${enc(pick(NASTY))}` : '';
      const path = `${pick(['/billing/api', '/api'])}/${method}${segment}${random() < 0.1 ? '/' : ''}`;
      const res = await api.app.app.request(`${path}?${query.join('&')}`, init);
      const body = await res.text();
      const errors = body.match(/<error>/g)?.length ?? 0;
      const loginFailed = /<action>\s*<name>log(in|out)<\/name>\s*<status>failed<\/status>/.test(body);
      const plainDisabled = body === 'Feature disabled';
      const wellFormed = XMLValidator.validate(body) === true;
      const ok = (wellFormed && (errors === 1 || loginFailed)) || plainDisabled;
      if (!ok || res.status !== 200 || (body.includes('at ') && body.includes('.ts:'))) {
        failures.push(`${verb} ${path}?${query.join('&').slice(0, 200)} → ${res.status} ${body.slice(0, 200)}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 300_000);
});
