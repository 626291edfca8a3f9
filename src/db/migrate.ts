import { migrations } from './migrations.gen.ts';
import type { DbHandle } from './types.ts';

const BREAKPOINT = '--> statement-breakpoint';

/**
 * Applies the migrations of drizzle/ (embedded by scripts/embed-migrations.ts) that this database has
 * not seen yet, in order, inside one locked transaction: safe when several instances start at once,
 * idempotent on every later start. Returns the tags it applied.
 */
export async function migrate(handle: DbHandle): Promise<string[]> {
  return handle.withLock(async (exec) => {
    await exec(
      'create table if not exists openmor_migrations (tag text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set(
      ((await exec('select tag from openmor_migrations')) as { tag: string }[]).map((row) => row.tag),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.tag)) continue;
      for (const statement of migration.sql.split(BREAKPOINT)) {
        if (statement.trim()) await exec(statement);
      }
      await exec(`insert into openmor_migrations (tag) values ('${migration.tag.replaceAll("'", "''")}')`);
      applied.push(migration.tag);
    }
    return applied;
  });
}

/** Which migrations this database has applied (in order) and which it has not yet. */
export async function migrationStatus(handle: DbHandle): Promise<{ applied: string[]; pending: string[] }> {
  return handle.withLock(async (exec) => {
    const [table] = (await exec(`select to_regclass('openmor_migrations') is not null as present`)) as {
      present: boolean;
    }[];
    const done = table?.present
      ? new Set(((await exec('select tag from openmor_migrations')) as { tag: string }[]).map((row) => row.tag))
      : new Set<string>();
    const known = migrations.map((m) => m.tag);
    return { applied: known.filter((tag) => done.has(tag)), pending: known.filter((tag) => !done.has(tag)) };
  });
}
