import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { actions } from '../../src/db/schema/actions.ts';
import { adminTokens } from '../../src/db/schema/settings.ts';
import { users } from '../../src/db/schema/users.ts';
import { sha256Hex } from '../../src/domain/crypto.ts';
import { silentLog } from '../../src/domain/ctx.ts';
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

describe('bearer tokens held by the auth cache', () => {
  /** Polls `status` until it answers `want` (a NOTIFY reaches the other instance within milliseconds). */
  const eventually = async (status: () => Promise<number>, want: number) => {
    const until = Date.now() + 5_000;
    let last = await status();
    while (last !== want && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
      last = await status();
    }
    return last;
  };

  it('drops a token in every instance when it is revoked, deleted or its account blocked, even by direct SQL', async () => {
    // A second instance on the same database, with its own cache and LISTEN (as a second server).
    const other = await createApp({ handle: api.handle, log: silentLog, cacheAuth: true });
    try {
      const statusOn = (app: typeof other, token: string) => async () =>
        (
          await app.app.request('http://openmor.test/trpc/tokens.list', {
            headers: { authorization: `Bearer ${token}` },
          })
        ).status;
      const admin = await callerAs(api, TEST.adminUsername);
      const reseller = await createReseller(api.handle);
      const [byDomain, bySql, byDelete, byBlock] = [
        await admin.tokens.issue({ userId: reseller.id, name: 'domain' }),
        await admin.tokens.issue({ userId: reseller.id, name: 'sql' }),
        await admin.tokens.issue({ userId: reseller.id, name: 'delete' }),
        await admin.tokens.issue({ userId: reseller.id, name: 'block' }),
      ];
      // Each token is used once on both instances first, so both hold it.
      for (const t of [byDomain, bySql, byDelete, byBlock]) {
        expect(await statusOn(api.app, t.token)()).toBe(200);
        expect(await statusOn(other, t.token)()).toBe(200);
      }
      await admin.tokens.revoke({ id: byDomain.id });
      expect(await statusOn(api.app, byDomain.token)()).toBe(401);
      expect(await eventually(statusOn(other, byDomain.token), 401)).toBe(401);

      await api.handle.db.update(adminTokens).set({ revokedAt: new Date() }).where(eq(adminTokens.id, bySql.id));
      expect(await eventually(statusOn(api.app, bySql.token), 401)).toBe(401);
      expect(await eventually(statusOn(other, bySql.token), 401)).toBe(401);

      await api.handle.db.delete(adminTokens).where(eq(adminTokens.id, byDelete.id));
      expect(await eventually(statusOn(other, byDelete.token), 401)).toBe(401);

      expect(await statusOn(other, byBlock.token)()).toBe(200);
      await api.handle.db.update(users).set({ blocked: true }).where(eq(users.id, reseller.id));
      expect(await eventually(statusOn(api.app, byBlock.token), 401)).toBe(401);
      expect(await eventually(statusOn(other, byBlock.token), 401)).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('never holds an unknown token: one issued a moment later works at once', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    expect(await statusWith('mor_unknownunknownunknownunknownunknown0000')).toBe(401);
    const issued = await admin.tokens.issue({ name: 'fresh' });
    expect(await statusWith(issued.token)).toBe(200);
  });
});
