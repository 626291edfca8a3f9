import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { adminTokens } from '../../src/db/schema/settings.ts';
import { sha256Hex } from '../../src/domain/crypto.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();

/** Status of a plain tRPC query made with `token`. */
const statusWith = async (token: string) =>
  (await api.app.app.request('http://openmor.test/trpc/tokens.list', { headers: { authorization: `Bearer ${token}` } }))
    .status;

describe('tokens.issue', () => {
  it('returns a mor_ token once and stores only its SHA-256', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const issued = await admin.tokens.issue({ name: 'dashboard' });
    expect(issued).toMatchObject({ userId: 0, name: 'dashboard' });
    expect(issued.token).toMatch(/^mor_[A-Za-z0-9]{40}$/);
    expect(new Date(issued.createdAt).toISOString()).toBe(issued.createdAt);
    const [row] = await api.handle.db.select().from(adminTokens).where(eq(adminTokens.id, issued.id));
    expect(row!.tokenHash).toBe(await sha256Hex(issued.token));
    expect(JSON.stringify(row)).not.toContain(issued.token.slice(4));
    expect(await statusWith(issued.token)).toBe(200);
    const listed = await admin.tokens.list();
    expect(listed.find((t) => t.id === issued.id)).toEqual({
      id: issued.id,
      userId: 0,
      username: TEST.adminUsername,
      name: 'dashboard',
      createdAt: issued.createdAt,
      revokedAt: null,
    });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.targetId, issued.id));
    expect(log).toMatchObject({ action: 'token_issued', targetType: 'admin_token', userId: 0, data: 'user_id=0' });
    expect(JSON.stringify(log)).not.toContain(issued.token);
  });

  it('lets the admin issue tokens for resellers, accountants and admins, not for simple users', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const reseller = await createReseller(api.handle);
    const accountant = await createAccountant(api.handle);
    const user = await createUser(api.handle);
    const secondAdmin = await createUser(api.handle, { usertype: 'admin' });
    const blocked = await createUser(api.handle, { usertype: 'reseller', blocked: true });
    for (const target of [reseller, accountant, secondAdmin]) {
      const issued = await admin.tokens.issue({ userId: target.id });
      expect(issued.userId).toBe(target.id);
      expect(await statusWith(issued.token)).toBe(200);
    }
    expect(await trpcError(() => admin.tokens.issue({ userId: user.id }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Tokens are only for admin, reseller and accountant accounts',
    });
    expect((await trpcError(() => admin.tokens.issue({ userId: blocked.id }))).code).toBe('BAD_REQUEST');
    expect((await trpcError(() => admin.tokens.issue({ userId: 987654 }))).code).toBe('NOT_FOUND');
  });

  it('lets a reseller or an accountant issue tokens only for itself', async () => {
    const reseller = await createReseller(api.handle);
    const accountant = await createAccountant(api.handle);
    for (const account of [reseller, accountant]) {
      const caller = await callerAs(api, account.username);
      const own = await caller.tokens.issue({});
      expect(own.userId).toBe(account.id);
      expect(await statusWith(own.token)).toBe(200);
      expect(await trpcError(() => caller.tokens.issue({ userId: 0 }))).toMatchObject({
        code: 'FORBIDDEN',
        message: 'A reseller or accountant may only issue tokens for itself',
      });
    }
  });

  it('refuses simple users even with a forged context', async () => {
    const user = await createUser(api.handle);
    const caller = await callerAs(api, user.username);
    expect((await trpcError(() => caller.tokens.issue({}))).code).toBe('FORBIDDEN');
  });
});

describe('tokens.list and tokens.revoke', () => {
  it("scopes a reseller to its own tokens: another account's token is NOT_FOUND", async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const reseller = await createReseller(api.handle);
    const caller = await callerAs(api, reseller.username);
    const adminToken = await admin.tokens.issue({ name: 'admin-only' });
    const own = await caller.tokens.issue({ name: 'mine' });
    const listed = await caller.tokens.list();
    expect(listed.map((t) => t.id)).toEqual([own.id]);
    expect(Object.keys(listed[0]!)).not.toContain('tokenHash');
    expect((await admin.tokens.list()).map((t) => t.id)).toEqual(expect.arrayContaining([adminToken.id, own.id]));
    expect(await trpcError(() => caller.tokens.revoke({ id: adminToken.id }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Token was not found',
    });
    expect(await statusWith(adminToken.token)).toBe(200);
  });

  it('makes a revoked token answer 401 on its next call, and logs the revocation', async () => {
    const reseller = await createReseller(api.handle);
    const caller = await callerAs(api, reseller.username);
    const own = await caller.tokens.issue({ name: 'soon revoked' });
    expect(await statusWith(own.token)).toBe(200);
    const revoked = await caller.tokens.revoke({ id: own.id });
    expect(revoked.id).toBe(own.id);
    expect(await statusWith(own.token)).toBe(401);
    expect((await trpcError(() => caller.tokens.revoke({ id: own.id }))).code).toBe('CONFLICT');
    expect((await caller.tokens.list()).map((t) => t.id)).not.toContain(own.id);
    const all = await caller.tokens.list({ includeRevoked: true });
    expect(all.find((t) => t.id === own.id)?.revokedAt).toBe(revoked.revokedAt);
    const logs = await api.handle.db.select().from(actions).where(eq(actions.action, 'token_revoked'));
    expect(logs).toContainEqual(expect.objectContaining({ userId: reseller.id, targetId: own.id }));
  });

  it("lets the admin revoke a reseller's token", async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const reseller = await createReseller(api.handle);
    const issued = await admin.tokens.issue({ userId: reseller.id });
    await admin.tokens.revoke({ id: issued.id });
    expect(await statusWith(issued.token)).toBe(401);
  });
});
