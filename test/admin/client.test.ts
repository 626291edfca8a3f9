import { TRPCClientError } from '@trpc/client';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AppRouter } from '../../src/admin/router.ts';
import { adminTokens } from '../../src/db/schema/settings.ts';
import { users } from '../../src/db/schema/users.ts';
import { sha256Hex } from '../../src/domain/crypto.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();

const trpc = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const { token = TEST.adminToken, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  return api.app.app.request(`http://openmor.test/trpc/${path}`, { ...rest, headers });
};

/** The TRPCClientError a client call rejects with. */
async function clientError(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

describe('tRPC admin API over HTTP', () => {
  it('serves typed calls through @trpc/client with the bootstrap token', async () => {
    const client = clientWith(api, TEST.adminToken);
    const settings = await client.settings.get.query();
    expectTypeOf(settings.allowApi).toEqualTypeOf<boolean>();
    expectTypeOf(settings.scope).toEqualTypeOf<'global' | 'reseller'>();
    expect(settings).toMatchObject({ scope: 'global', allowApi: true, apiSecretKey: TEST.apiSecretKey });

    const reseller = await createReseller(api.handle, 'client-reseller-key');
    const issued = await client.tokens.issue.mutate({ userId: reseller.id, name: 'client test' });
    expectTypeOf(issued.token).toEqualTypeOf<string>();
    const asReseller = clientWith(api, issued.token);
    const own = await asReseller.settings.get.query();
    expect(own).toMatchObject({ scope: 'reseller', apiSecretKey: 'client-reseller-key' });
    expect((await asReseller.tokens.list.query()).map((t) => t.name)).toEqual(['client test']);
  });

  it('batches several calls into one request', async () => {
    const client = clientWith(api, TEST.adminToken);
    const [settings, tokens] = await Promise.all([client.settings.get.query(), client.tokens.list.query()]);
    expect(settings.scope).toBe('global');
    expect(tokens.some((t) => t.name === 'bootstrap')).toBe(true);
  });

  it('speaks plain JSON on the wire, without a transformer envelope', async () => {
    const res = await trpc('settings.get');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { result: { data: Record<string, unknown> } };
    expect(body.result.data).toMatchObject({ allowApi: true, scope: 'global' });
    expect(body.result.data).not.toHaveProperty('json');

    const issued = await trpc('tokens.issue', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'raw json' }),
    });
    expect(issued.status).toBe(200);
    const data = ((await issued.json()) as { result: { data: { token: string; name: string } } }).result.data;
    expect(data.name).toBe('raw json');
    expect(data.token).toMatch(/^mor_/);
    expect((await trpc('tokens.list', { token: data.token })).status).toBe(200);
  });

  it('answers HTTP 401 to a missing or wrong token, through the client and on the wire', async () => {
    for (const token of [null, 'mor_wrong', '']) {
      const res = await trpc('settings.get', { token });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { message: string; data: { code: string; stack?: string } } };
      expect(body.error.data.code).toBe('UNAUTHORIZED');
      expect(body.error.data.stack).toBeUndefined();
      const error = await clientError(clientWith(api, token).settings.get.query());
      expect(error.data?.httpStatus).toBe(401);
      expect(error.data?.code).toBe('UNAUTHORIZED');
    }
  });

  it('maps domain errors to HTTP statuses with the domain message', async () => {
    const client = clientWith(api, TEST.adminToken);
    const invalid = await clientError(client.settings.update.mutate({ allowApi: true, apiSecretKey: 'abc' }));
    expect(invalid.data?.httpStatus).toBe(400);
    expect(invalid.message).toBe('Invalid API secret key');
    const missing = await clientError(client.tokens.revoke.mutate({ id: 999_999 }));
    expect(missing.data?.httpStatus).toBe(404);
    const badInput = await clientError(client.tokens.revoke.mutate({ id: 'x' as never }));
    expect(badInput.data?.code).toBe('BAD_REQUEST');
  });

  it("acts with the token's account and role; tokens of simple users or blocked accounts are refused", async () => {
    const admin = clientWith(api, TEST.adminToken);
    const reseller = await createReseller(api.handle);
    const accountant = await createAccountant(api.handle, { monitorings: 1 });
    const resellerToken = (await admin.tokens.issue.mutate({ userId: reseller.id })).token;
    const accountantToken = (await admin.tokens.issue.mutate({ userId: accountant.id })).token;
    expect((await trpc('whitelistedIps.list', { token: resellerToken })).status).toBe(403);
    expect((await trpc('whitelistedIps.list', { token: accountantToken })).status).toBe(200);

    const user = await createUser(api.handle);
    await api.handle.db.insert(adminTokens).values({ userId: user.id, tokenHash: await sha256Hex('mor_forged') });
    expect((await trpc('settings.get', { token: 'mor_forged' })).status).toBe(401);
    // A direct write: this instance learns it as others do, from the NOTIFY, or at once from changed()
    // (what the domain does after its own writes); test/admin/tokens.test.ts waits for the NOTIFY.
    await api.handle.db.update(users).set({ blocked: true }).where(eq(users.id, reseller.id));
    api.changed();
    expect((await trpc('settings.get', { token: resellerToken })).status).toBe(401);
  });

  it('answers an id beyond the integer range as a bad request, not a database error', async () => {
    const client = clientWith(api, TEST.adminToken);
    const error = await clientError(client.tokens.revoke.mutate({ id: 2 ** 40 }));
    expect(error.data?.httpStatus).toBe(400);
  });

  it('hides the text of unexpected failures behind a generic 500', async () => {
    // A real failure of the real database: the table is missing for the length of one call.
    await api.handle.db.execute(sql`alter table whitelisted_ips rename to whitelisted_ips_away`);
    try {
      const res = await trpc('whitelistedIps.list');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error.message).toBe('Internal error');
      expect(text).not.toMatch(/whitelisted_ips|relation|stack/i);
    } finally {
      await api.handle.db.execute(sql`alter table whitelisted_ips_away rename to whitelisted_ips`);
    }
    expect((await trpc('whitelistedIps.list')).status).toBe(200);
  });
});
