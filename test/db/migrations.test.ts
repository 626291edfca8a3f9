import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { renderMigrationsModule } from '../../scripts/embed-migrations.ts';
import { migrate } from '../../src/db/migrate.ts';
import { queryRows } from '../../src/db/rows.ts';
import { bootstrap } from '../../src/domain/setup/bootstrap.ts';
import { freshDatabase, testConfig } from '../helpers/db.ts';

describe('migrations', () => {
  it('embeds exactly the SQL files of drizzle/ (run npm run db:generate after changing the schema)', () => {
    expect(readFileSync('src/db/migrations.gen.ts', 'utf8')).toBe(renderMigrationsModule());
  });

  it('are idempotent, and bootstrap runs once and never overwrites later changes', async () => {
    const handle = await freshDatabase();
    try {
      expect(await migrate(handle)).toEqual([]);
      await handle.exec(`update conflines set value = 'changed-key' where owner_id = 0 and name = 'api_secret_key'`);
      expect(await bootstrap(handle, { ...testConfig, apiSecretKey: 'other-key' })).toBeNull();
      const [row] = await queryRows<{ value: string }>(
        handle.db,
        sql`select value from conflines where owner_id = 0 and name = 'api_secret_key'`,
      );
      expect(row?.value).toBe('changed-key');
      const admins = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from users where id = 0`);
      expect(admins[0]?.n).toBe(1);
    } finally {
      await handle.close();
    }
  });
});
