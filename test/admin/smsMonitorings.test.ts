import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kannelSms } from '../../src/adapters/kannelSms.ts';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { sendDue } from '../../src/domain/messages/sendMessages.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';

/**
 * What the XML side reads but used to have no way in: SMS tariffs and rates, SMS LCRs, the realm's SMS
 * gateway, monitorings. Created through tRPC here, then used by the XML methods that read them.
 */
const api = useTestApp({ ports: () => ({ sms: kannelSms() }) });
const admin = () => clientWith(api, TEST.adminToken);
const sent: { to: string; text: string; user: string }[] = [];
let gateway: Server;
let base = '';

beforeAll(async () => {
  gateway = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    if (q.get('password') !== 'pw') return void res.writeHead(403).end('Authorization failed for sendsms');
    sent.push({ to: q.get('to') ?? '', text: q.get('text') ?? '', user: q.get('username') ?? '' });
    res.writeHead(202).end('0: Accepted for delivery');
  });
  await new Promise<void>((ok) => gateway.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  await setConflines(api.handle, 0, { sms_addon: '1', monitorings_addon: '1' });
});
afterAll(() => new Promise<void>((ok) => gateway.close(() => ok())));

describe('tRPC smsTariffs, smsLcrs, smsGateway', () => {
  it('set up by the admin, then subscribed to, priced and sent by the XML methods', async () => {
    const tariff = await admin().smsTariffs.create.mutate({ name: 'SMS retail' });
    expect(tariff).toMatchObject({ ownerId: 0, name: 'SMS retail', tariffType: 'user', rates: 0 });
    await admin().smsTariffs.setRate.mutate({ id: tariff.id, prefix: '370', price: '0.05' });
    expect(await admin().smsTariffs.setRate.mutate({ id: tariff.id, prefix: '3706', price: '0.2' })).toEqual({
      prefix: '3706',
      price: '0.200000',
    });
    await admin().smsTariffs.setRate.mutate({ id: tariff.id, prefix: '3706', price: '0.1' }); // replaces
    expect(await admin().smsTariffs.rates.query({ id: tariff.id })).toEqual([
      { prefix: '370', price: '0.050000' },
      { prefix: '3706', price: '0.100000' },
    ]);
    const lcr = await admin().smsLcrs.create.mutate({ name: 'main' });
    expect(await admin().smsLcrs.list.query()).toEqual([{ id: lcr.id, name: 'main', subscriptions: 0 }]);
    const gw = await admin().smsGateway.set.mutate({
      urlTemplate: `${base}/cgi-bin/sendsms?username={username}&password={password}&from={from}&to={to}&text={text}`,
      username: 'admin-gw',
      password: 'pw',
    });
    expect(gw).toEqual({
      realmId: 0,
      urlTemplate: expect.stringContaining(base),
      username: 'admin-gw',
      passwordSet: true,
    });
    expect(JSON.stringify(await admin().smsGateway.get.query())).not.toContain('"pw"');

    const user = await createUser(api.handle, { balance: '5' });
    const subscribed = await api.call(
      'user_sms_service_subscribe',
      { u: 'admin', user_id: String(user.id), sms_tariff_id: String(tariff.id), sms_lcr_id: String(lcr.id) },
      { hashOf: ['user_id', 'sms_tariff_id'] },
    );
    expect(subscribed.body).toContain('User successfully subscribed to SMS service');
    const sms = await api.call(
      'sms_send',
      { u: user.username, lcr_id: String(lcr.id), dst: '37060000001', src: 'openmor', message: 'labas' },
      { hashOf: ['lcr_id', 'dst', 'src', 'message'] },
    );
    expect(sms.body).toContain('<price>0.1000</price>');
    await sendDue({ db: api.handle.db, clock: () => new Date(), log: silentLog, ports: { sms: kannelSms() } });
    expect(sent.splice(0)).toEqual([{ to: '37060000001', text: 'labas', user: 'admin-gw' }]);

    // In use: neither the tariff nor the LCR can go.
    const asAdmin = await callerAs(api, 'admin');
    expect((await trpcError(() => asAdmin.smsTariffs.delete({ id: tariff.id }))).code).toBe('CONFLICT');
    expect((await trpcError(() => asAdmin.smsLcrs.delete({ id: lcr.id }))).code).toBe('CONFLICT');
    expect((await admin().smsLcrs.list.query())[0]!.subscriptions).toBe(1);
  });

  it("scopes a reseller to its own realm's tariffs and gateway; LCRs are the admin's; strict inputs", async () => {
    const adminTariff = await admin().smsTariffs.create.mutate({ name: 'admin only' });
    const reseller = await createReseller(api.handle);
    const asReseller = await callerAs(api, reseller.username);
    const own = await asReseller.smsTariffs.create({ name: 'mine', tariffType: 'user' });
    expect(own.ownerId).toBe(reseller.id);
    expect((await asReseller.smsTariffs.list()).map((t) => t.id)).toEqual([own.id]);
    expect((await admin().smsTariffs.list.query()).map((t) => t.id)).not.toContain(own.id);
    expect((await trpcError(() => asReseller.smsTariffs.get({ id: adminTariff.id }))).code).toBe('NOT_FOUND');
    expect(
      (await trpcError(() => asReseller.smsTariffs.setRate({ id: adminTariff.id, prefix: '1', price: '1' }))).code,
    ).toBe('NOT_FOUND');
    expect((await trpcError(() => asReseller.smsLcrs.create({ name: 'x' }))).code).toBe('FORBIDDEN');
    expect((await trpcError(() => asReseller.smsLcrs.list())).code).toBe('FORBIDDEN');
    await asReseller.smsGateway.set({ urlTemplate: `${base}/r?to={to}`, username: 'r', password: 'pw' });
    expect(await asReseller.smsGateway.get()).toMatchObject({ realmId: reseller.id, username: 'r' });
    expect((await admin().smsGateway.get.query()).username).toBe('admin-gw');

    const user = await createUser(api.handle);
    const asUser = await callerAs(api, user.username);
    expect((await trpcError(() => asUser.smsTariffs.list())).code).toBe('FORBIDDEN');
    expect((await trpcError(() => asUser.smsGateway.get())).code).toBe('FORBIDDEN');

    const asAdmin = await callerAs(api, 'admin');
    const bad = (fn: () => Promise<unknown>) => trpcError(fn).then((e) => e.code);
    expect(await bad(() => asAdmin.smsTariffs.create({ name: 'x', ownerId: 3 } as never))).toBe('BAD_REQUEST');
    expect(await bad(() => asAdmin.smsTariffs.setRate({ id: own.id, prefix: '37a', price: '1' }))).toBe('BAD_REQUEST');
    expect(await bad(() => asAdmin.smsTariffs.setRate({ id: own.id, prefix: '3', price: '-1' }))).toBe('BAD_REQUEST');
    expect(await bad(() => asAdmin.smsGateway.set({ urlTemplate: 'ftp://x' }))).toBe('BAD_REQUEST');
    expect(await bad(() => asAdmin.smsTariffs.delete({ id: own.id }))).toBe('NOT_FOUND'); // another realm's
  });
});

describe('tRPC monitorings', () => {
  it('created by the admin and fired by ma_activate; accountants by their Monitorings right', async () => {
    const m = await admin().monitorings.create.mutate({
      name: 'drops',
      block: true,
      email: false,
      mtype: 2,
      amount: '1.5',
    });
    expect(m).toEqual({ id: m.id, name: 'drops', block: true, email: false, mtype: 2, amount: '1.500000' });
    const user = await createUser(api.handle);
    // ma_activate with the parameters the rule was created with.
    const activate = () =>
      api.call('ma_activate', {
        u: 'admin',
        monitoring_id: String(m.id),
        users: String(user.id),
        block: 'true',
        email: 'false',
        mtype: '2',
      });
    const fired = await activate();
    expect(fired.body).toContain(' blocked');
    const [row] = await queryRows<{ blocked: boolean }>(
      api.handle.db,
      sql`select blocked from users where id = ${user.id}`,
    );
    expect(row!.blocked).toBe(true);
    // The rule changed: the old parameters no longer match it.
    await admin().monitorings.update.mutate({ id: m.id, block: false });
    const stale = await activate();
    expect(stale.body).not.toContain(' blocked');

    const reader = await createAccountant(api.handle, { monitorings: 1 });
    const asReader = await callerAs(api, reader.username);
    expect((await asReader.monitorings.list()).map((x) => x.id)).toContain(m.id);
    expect((await trpcError(() => asReader.monitorings.create({ name: 'x' }))).code).toBe('FORBIDDEN');
    const writer = await callerAs(api, (await createAccountant(api.handle, { monitorings: 2 })).username);
    expect((await writer.monitorings.create({ mtype: 1 })).mtype).toBe(1);
    const none = await callerAs(api, (await createAccountant(api.handle)).username);
    expect((await trpcError(() => none.monitorings.list())).code).toBe('FORBIDDEN');
    const reseller = await callerAs(api, (await createReseller(api.handle)).username);
    expect((await trpcError(() => reseller.monitorings.list())).code).toBe('FORBIDDEN');
    expect((await trpcError(() => writer.monitorings.create({ mtype: 3 } as never))).code).toBe('BAD_REQUEST');
    await admin().monitorings.delete.mutate({ id: m.id });
    const asAdmin = await callerAs(api, 'admin');
    expect((await trpcError(() => asAdmin.monitorings.delete({ id: m.id }))).code).toBe('NOT_FOUND');
  });
});
