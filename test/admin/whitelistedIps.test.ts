import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { whitelistedIps } from '../../src/db/schema/settings.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => callerAs(api, TEST.adminUsername);
const ipsOf = (rows: { ip: string }[]) => rows.map((r) => r.ip);

describe('whitelistedIps.create', () => {
  it('adds a single IPv4 with the default comment and "Allow API access" off', async () => {
    const [row, ...rest] = await (await admin()).whitelistedIps.create({ ip: ' 2.2.2.2 ' });
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ ip: '2.2.2.2', allowApi: false, comment: 'MOR-WHITELIST-GUI' });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.targetId, row!.id));
    expect(log).toMatchObject({ action: 'whitelisted_ip_created', targetType: 'whitelisted_ip', data: '2.2.2.2' });
  });

  it('normalises a CIDR network to its canonical form, and /32 to the single address', async () => {
    const caller = await admin();
    expect(ipsOf(await caller.whitelistedIps.create({ ip: '4.4.4.7/24', comment: 'office' }))).toEqual(['4.4.4.0/24']);
    expect(ipsOf(await caller.whitelistedIps.create({ ip: '172.16.200.1/12' }))).toEqual(['172.16.0.0/12']);
    expect(ipsOf(await caller.whitelistedIps.create({ ip: '5.5.5.5/32' }))).toEqual(['5.5.5.5']);
  });

  it('expands a last-octet range into one single-IP row per address, in order', async () => {
    const rows = await (await admin()).whitelistedIps.create({ ip: '3.3.3.1-5', allowApi: true, comment: 'lab' });
    expect(ipsOf(rows)).toEqual(['3.3.3.1', '3.3.3.2', '3.3.3.3', '3.3.3.4', '3.3.3.5']);
    expect(rows.every((r) => r.allowApi && r.comment === 'lab')).toBe(true);
  });

  it('refuses malformed addresses with a clear message', async () => {
    const caller = await admin();
    const bad = ['2.2.2', '256.1.1.1', '2.2.2.0/33', '2.2.2.0/', '2.2.2.9-3', '2.2.2.1-256', '2.2.2.1-2.2.2.5'];
    for (const ip of [...bad, '02.2.2.2', 'example.com', '::1', '', '1.2.3.4/24/8']) {
      const error = await trpcError(() => caller.whitelistedIps.create({ ip }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toContain(`Invalid IP address "${ip.trim()}"`);
    }
  });

  it('refuses duplicates with CONFLICT and adds nothing of a range that overlaps', async () => {
    const caller = await admin();
    await caller.whitelistedIps.create({ ip: '6.6.6.3' });
    const error = await trpcError(() => caller.whitelistedIps.create({ ip: '6.6.6.1-4' }));
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'Already whitelisted: 6.6.6.3' });
    expect(ipsOf(await caller.whitelistedIps.list()).filter((ip) => ip.startsWith('6.6.6.'))).toEqual(['6.6.6.3']);
    expect((await trpcError(() => caller.whitelistedIps.create({ ip: '6.6.6.3/32' }))).code).toBe('CONFLICT');
  });
});

describe('whitelistedIps.update and delete', () => {
  it('changes address, flag and comment; refuses ranges, duplicates and unknown ids', async () => {
    const caller = await admin();
    const [row] = await caller.whitelistedIps.create({ ip: '7.7.7.7' });
    await caller.whitelistedIps.create({ ip: '7.7.8.0/24' });
    const updated = await caller.whitelistedIps.update({ id: row!.id, ip: '7.7.9.9/16', allowApi: true, comment: 'x' });
    expect(updated).toMatchObject({ id: row!.id, ip: '7.7.0.0/16', allowApi: true, comment: 'x' });
    expect(await caller.whitelistedIps.update({ id: row!.id })).toMatchObject({ ip: '7.7.0.0/16' });
    expect((await trpcError(() => caller.whitelistedIps.update({ id: row!.id, ip: '7.7.7.1-9' }))).code).toBe(
      'BAD_REQUEST',
    );
    expect((await trpcError(() => caller.whitelistedIps.update({ id: row!.id, ip: '7.7.8.1/24' }))).code).toBe(
      'CONFLICT',
    );
    expect((await trpcError(() => caller.whitelistedIps.update({ id: 99_999, allowApi: true }))).code).toBe(
      'NOT_FOUND',
    );
    expect(await caller.whitelistedIps.delete({ id: row!.id })).toEqual({ id: row!.id });
    expect(ipsOf(await caller.whitelistedIps.list())).not.toContain('7.7.0.0/16');
    expect((await trpcError(() => caller.whitelistedIps.delete({ id: row!.id }))).code).toBe('NOT_FOUND');
    const logs = await api.handle.db.select().from(actions).where(eq(actions.targetId, row!.id));
    expect(logs.map((l) => l.action)).toEqual(
      expect.arrayContaining(['whitelisted_ip_created', 'whitelisted_ip_updated', 'whitelisted_ip_deleted']),
    );
  });
});

describe('whitelistedIps roles', () => {
  it('lets an accountant with Monitorings read (1) list, and only write (2) change', async () => {
    const reader = await callerAs(api, (await createAccountant(api.handle, { monitorings: 1 })).username);
    const writer = await callerAs(api, (await createAccountant(api.handle, { monitorings: 2 })).username);
    expect(Array.isArray(await reader.whitelistedIps.list())).toBe(true);
    expect(await trpcError(() => reader.whitelistedIps.create({ ip: '8.8.8.8' }))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Whitelisted IPs need the Monitorings permission (write)',
    });
    const [row] = await writer.whitelistedIps.create({ ip: '8.8.8.8' });
    expect((await trpcError(() => reader.whitelistedIps.delete({ id: row!.id }))).code).toBe('FORBIDDEN');
    expect((await writer.whitelistedIps.update({ id: row!.id, allowApi: true })).allowApi).toBe(true);
    await writer.whitelistedIps.delete({ id: row!.id });
  });

  it('refuses accountants without Monitorings, resellers and simple users', async () => {
    const others = [
      await createAccountant(api.handle, { users_manage: 2 }),
      await createReseller(api.handle),
      await createUser(api.handle),
    ];
    for (const account of others) {
      const caller = await callerAs(api, account.username);
      expect((await trpcError(() => caller.whitelistedIps.list())).code).toBe('FORBIDDEN');
      expect((await trpcError(() => caller.whitelistedIps.create({ ip: '9.9.9.9' }))).code).toBe('FORBIDDEN');
    }
    expect(await api.handle.db.select().from(whitelistedIps).where(eq(whitelistedIps.ip, '9.9.9.9'))).toEqual([]);
  });
});

describe('"Restrict API access by IP" over the XML API', () => {
  const version = (clientIp: string) => api.call('system_version_get', { u: 'admin' }, { clientIp });
  const passes = async (clientIp: string) =>
    (await version(clientIp)).body.startsWith(`${XML_DECL}\n<page>\n  <version>`);
  const denied = statusErrorXml('Access Denied');

  it('lets whitelisted API rows through and denies every other client, from the next request on', async () => {
    const caller = await admin();
    const [network] = await caller.whitelistedIps.create({ ip: '10.1.2.3/24', allowApi: true });
    await caller.whitelistedIps.create({ ip: '10.5.5.1-3', allowApi: true });
    await caller.whitelistedIps.create({ ip: '10.9.9.9', allowApi: false });
    expect(await passes('192.168.1.1')).toBe(true);

    await caller.settings.update({ restrictApiByIp: true });
    expect(await passes('10.1.2.77')).toBe(true);
    expect(await passes('::ffff:10.1.2.200')).toBe(true);
    expect(await passes('10.5.5.2')).toBe(true);
    for (const ip of ['10.1.3.1', '10.5.5.4', '10.9.9.9', '192.168.1.1', '2001:db8::1']) {
      expect((await version(ip)).body).toBe(denied);
    }

    await caller.whitelistedIps.update({ id: network!.id, allowApi: false });
    expect((await version('10.1.2.77')).body).toBe(denied);
    await caller.whitelistedIps.create({ ip: '10.9.9.10', allowApi: true });
    expect(await passes('10.9.9.10')).toBe(true);

    await caller.settings.update({ restrictApiByIp: false });
    expect(await passes('192.168.1.1')).toBe(true);
  });
});
