// Workers send their log to the platform: a first start there must not print generated secrets. It is
// refused, naming the secrets to set, before anything is generated (the Worker answers 503 with the
// same message); a database already bootstrapped needs none of them.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectPglite } from '../../src/db/connectPglite.ts';
import { queryRows } from '../../src/db/rows.ts';
import type { DbHandle } from '../../src/db/types.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { initialise, SecretsRequired } from '../../src/start.ts';
import { testConfig } from '../helpers/db.ts';

let handle: DbHandle;
beforeAll(async () => {
  handle = await connectPglite('memory://');
});
afterAll(async () => {
  await handle?.close();
});

const noSecrets = { ...testConfig, adminPassword: undefined, apiSecretKey: undefined, adminToken: undefined };
const admins = async () => (await queryRows(handle.db, sql`select id from users where id = 0`)).length;

async function printed(fn: () => Promise<unknown>): Promise<{ outcome: unknown; output: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  try {
    const outcome = await fn().then(
      () => 'ok',
      (error: unknown) => error,
    );
    return { outcome, output: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('first start on Workers (printSecrets: false)', () => {
  it('refuses without the secrets, naming the missing ones, and generates or prints nothing', async () => {
    const { outcome, output } = await printed(() => initialise(handle, noSecrets, silentLog, { printSecrets: false }));
    expect(outcome).toBeInstanceOf(SecretsRequired);
    const message = (outcome as Error).message;
    expect(message).toContain('set MOR_ADMIN_PASSWORD, MOR_API_SECRET_KEY, MOR_ADMIN_TOKEN as secrets');
    expect(message).toContain('wrangler secret put');
    expect(output).toBe('');
    expect(await admins()).toBe(0);

    const one = await printed(() =>
      initialise(handle, { ...testConfig, adminToken: undefined }, silentLog, { printSecrets: false }),
    );
    expect((one.outcome as Error).message).toContain('set MOR_ADMIN_TOKEN as secrets');
    expect(await admins()).toBe(0);
  });

  it('bootstraps silently with the secrets set, and a bootstrapped database then needs none', async () => {
    const first = await printed(() => initialise(handle, testConfig, silentLog, { printSecrets: false }));
    expect(first).toEqual({ outcome: 'ok', output: '' });
    expect(await admins()).toBe(1);
    const again = await printed(() => initialise(handle, noSecrets, silentLog, { printSecrets: false }));
    expect(again).toEqual({ outcome: 'ok', output: '' });
  });
});
