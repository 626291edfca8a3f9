// Failed queries are logged without their parameters: a failing user create (a real database error
// in a real request) once logged the new user's password hash and uniquehash word for word.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../src/app.ts';
import type { DbHandle } from '../src/db/types.ts';
import { createLog } from '../src/log.ts';
import { freshDatabase, TEST } from './helpers/db.ts';

let handle: DbHandle;
let app: App;
beforeAll(async () => {
  handle = await freshDatabase();
  app = await createApp({ handle, log: createLog('error') });
  // A real database failure for one username: the insert carrying the password hash fails.
  await handle.db.execute(sql`alter table users add constraint users_log_trap check (username <> 'logtrap')`);
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

const PASSWORD = 'Very-Secret-Passw0rd';

describe('query failures in the log', () => {
  it('logs the SQL text and the database error, never the parameters (password hash, uniquehash, values)', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    try {
      const response = await app.app.request('/trpc/users.create', {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'logtrap', password: PASSWORD, address: { email: 'logtrap@example.com' } }),
      });
      expect(response.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    const output = lines.join('\n');
    expect(output).toContain('trpc procedure failed');
    expect(output).toMatch(/Failed query: insert into \\?"users\\?"/);
    expect(output).toContain('users_log_trap');
    expect(output).toContain('params: [redacted]');
    // No value of the insert: not the username, the e-mail, the password or anything hashed from it.
    expect(output).not.toContain('logtrap@example.com');
    expect(output).not.toMatch(/'logtrap'|"logtrap"|logtrap,/);
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toMatch(/pbkdf2|\$[0-9a-f]{32}/i);
  });

  it('redacts the parameters of a query failure in any logged value', () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    try {
      const text =
        'Error: Failed query: update users set password = $1 where id = $2\nparams: s3cret-hash,7\n    at run (x.ts:1:1)';
      createLog('info').error('something failed', { error: text, nested: { error: text } });
    } finally {
      spy.mockRestore();
    }
    const entry = JSON.parse(lines[0] as string) as { error: string; nested: { error: string } };
    expect(entry.error).toBe(
      'Error: Failed query: update users set password = $1 where id = $2\nparams: [redacted]\n    at run (x.ts:1:1)',
    );
    expect(entry.nested.error).toBe(entry.error);
  });
});
