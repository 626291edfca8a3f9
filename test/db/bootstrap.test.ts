import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { connectPglite } from '../../src/db/connectPglite.ts';
import { migrate } from '../../src/db/migrate.ts';
import { queryRows } from '../../src/db/rows.ts';
import { bootstrap } from '../../src/db/seed.ts';
import { sha256Hex, verifyPassword } from '../../src/domain/crypto.ts';
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
});
