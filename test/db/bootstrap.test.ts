import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { connectPglite } from '../../src/db/connectPglite.ts';
import { migrate } from '../../src/db/migrate.ts';
import { queryRows } from '../../src/db/rows.ts';
import { sha256Hex, verifyPassword } from '../../src/domain/crypto.ts';
import { bootstrap } from '../../src/domain/setup/bootstrap.ts';
import { testConfig } from '../helpers/db.ts';

describe('first-start bootstrap', () => {
  it('generates the admin password, API key and admin token when not given, and reports them once', async () => {
    const handle = await connectPglite('memory://');
    try {
      await migrate(handle);
      const generated = await bootstrap(handle, {
        ...testConfig,
        adminPassword: undefined,
        apiSecretKey: undefined,
        adminToken: undefined,
        allowGet: true,
      });
      expect(generated?.adminPassword).toMatch(/^\w{16}$/);
      expect(generated?.apiSecretKey).toMatch(/^\w{24}$/);
      expect(generated?.adminToken).toMatch(/^mor_\w{40}$/);
      const [admin] = await queryRows<{ id: number; usertype: string; password: string; uniquehash: string }>(
        handle.db,
        sql`select id, usertype, password, uniquehash from users where username = 'admin'`,
      );
      expect(admin).toMatchObject({ id: 0, usertype: 'admin' });
      expect(admin?.password).not.toContain(generated?.adminPassword ?? '?');
      expect(await verifyPassword(generated?.adminPassword ?? '', admin?.password ?? '')).toBe(true);
      expect(admin?.uniquehash).toMatch(/^[a-z0-9]{10}$/);
      const lines = await queryRows<{ name: string; value: string }>(
        handle.db,
        sql`select name, value from conflines where owner_id = 0`,
      );
      const byName = Object.fromEntries(lines.map((l) => [l.name, l.value]));
      expect(byName.allow_api).toBe('1');
      expect(byName.allow_get_api).toBe('1');
      expect(byName.api_secret_key).toBe(generated?.apiSecretKey);
      const tokens = await queryRows<{ token_hash: string }>(handle.db, sql`select token_hash from admin_tokens`);
      expect(tokens.map((t) => t.token_hash)).toEqual([await sha256Hex(generated?.adminToken ?? '')]);
      const currencies = await queryRows<{ name: string }>(
        handle.db,
        sql`select name from currencies where is_default`,
      );
      expect(currencies.map((c) => c.name)).toEqual(['USD']);
      expect(await bootstrap(handle, testConfig)).toBeNull();
    } finally {
      await handle.close();
    }
  });

  it('starts with the ISO 3166-1 country list: numeric codes as ids, alpha-3 codes, English names', async () => {
    const handle = await connectPglite('memory://');
    try {
      await migrate(handle);
      const rows = await queryRows<{ id: number; name: string; code: string }>(
        handle.db,
        sql`select id, name, code from directions order by id`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(249);
      expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
      expect(rows.every((r) => /^[A-Z]{3}$/.test(r.code) && r.name.length > 2)).toBe(true);
      const byCode = Object.fromEntries(rows.map((r) => [r.code, [r.id, r.name]]));
      expect(byCode.LTU).toEqual([440, 'Lithuania']);
      expect(byCode.USA).toEqual([840, 'United States of America']);
      expect(byCode.GBR).toEqual([826, 'United Kingdom']);
      expect(byCode.AFG).toEqual([4, 'Afghanistan']);
      // The next direction an operator creates gets an id no country code uses.
      const [next] = await queryRows<{ id: number }>(
        handle.db,
        sql`insert into directions (name, code) values ('Testland', 'TST') returning id`,
      );
      expect(next?.id).toBe(1001);
    } finally {
      await handle.close();
    }
  });
});
