import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpMailTransport } from '../../src/adapters/httpMail.ts';
import { queryRows } from '../../src/db/rows.ts';
import type { Ports } from '../../src/domain/ports.ts';
import { statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';

const ports: Ports = {};
const api = useTestApp({ ports: () => ports });
let server: Server;

const ma = (params: Record<string, string>, o: { u?: string; prefix?: string } = {}) =>
  api.call('ma_activate', { u: o.u ?? 'admin', ...params }, { ...(o.prefix ? { prefix: o.prefix } : {}) });
const monitoring = async (values: { block: boolean; email: boolean; mtype: number }) =>
  (
    await queryRows<{ id: number }>(
      api.handle.db,
      sql`insert into monitorings (name, block, email, mtype) values ('low', ${values.block}, ${values.email}, ${values.mtype})
        returning id`,
    )
  )[0]!.id;
const usersXml = (rows: [number | string, string][]) =>
  `${XML_DECL}\n<status>\n  <monitoring_found>success</monitoring_found>\n  <users>\n${rows
    .map(([id, s]) => `    <user>\n      <id>${id}</id>\n      <status>${s}</status>\n    </user>\n`)
    .join('')}  </users>\n</status>\n`;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('{"id":"x"}'));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  ports.mail = httpMailTransport(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, '');
  const [a] = await queryRows<{ id: number }>(
    api.handle.db,
    sql`insert into addresses (email) values ('owner@example.test') returning id`,
  );
  await api.handle.db.execute(sql`update users set address_id = ${a!.id} where id = 0`);
  await setConflines(api.handle, 0, { monitorings_addon: '1' });
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('ma_activate', () => {
  it('blocks the users, e-mails the owner once, and reports each id in order (key-only hash, both names)', async () => {
    const a = await createUser(api.handle);
    const b = await createUser(api.handle);
    const id = await monitoring({ block: true, email: true, mtype: 2 });
    const params = {
      monitoring_id: String(id),
      users: `${a.id},999999,${b.id}`,
      block: 'true',
      email: 'true',
      mtype: '2',
    };
    expect((await ma(params)).body).toBe(
      usersXml([
        [a.id, ' blocked email sent'],
        ['999999', ' not found'],
        [b.id, ' blocked email sent'],
      ]),
    );
    const blocked = await queryRows<{ blocked: boolean }>(
      api.handle.db,
      sql`select blocked from users where id in (${a.id}, ${b.id})`,
    );
    expect(blocked).toEqual([{ blocked: true }, { blocked: true }]);
    const mails = await queryRows<{ recipient: string; body: string }>(
      api.handle.db,
      sql`select recipient, body from messages where reason = 'monitoring_activation'`,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.recipient).toBe('owner@example.test');
    expect(mails[0]!.body).toContain(`${a.id} ${a.username}`);
    const c = await createUser(api.handle);
    const mailOnly = await monitoring({ block: false, email: true, mtype: 1 });
    const old = await ma(
      { monitoring_id: String(mailOnly), users: String(c.id), block: 'false', email: 'true', mtype: '1' },
      { prefix: '/api' },
    );
    expect(old.body).toBe(usersXml([[c.id, ' email sent']]));
    const viaAlias = await api.call('monitoring_addon_activate', {
      u: 'admin',
      monitoring_id: String(mailOnly),
      users: String(c.id),
      block: 'false',
      email: 'true',
      mtype: '1',
    });
    expect(viaAlias.body).toBe(usersXml([[c.id, ' email sent']]));
  });

  it('answers every documented error in the <status> root', async () => {
    const id = await monitoring({ block: true, email: false, mtype: 1 });
    const full = { monitoring_id: String(id), users: '1', block: 'true', email: 'false', mtype: '1' };
    for (const missing of ['monitoring_id', 'users', 'block', 'email', 'mtype']) {
      const { [missing]: _gone, ...rest } = full as Record<string, string>;
      expect((await ma(rest)).body).toBe(
        statusErrorXml('You must supply these params: monitoring_id, users, block, email, mtype'),
      );
    }
    const notFound = statusErrorXml('Such monitoring was not found. Verify master-slave database integrity.');
    expect((await ma({ ...full, email: 'true' })).body).toBe(notFound);
    expect((await ma({ ...full, mtype: '2' })).body).toBe(notFound);
    expect((await ma({ ...full, monitoring_id: '999999' })).body).toBe(notFound);
    expect((await ma(full, { u: 'nobody' })).body).toBe(statusErrorXml('Access Denied'));
    const reseller = await createReseller(api.handle);
    expect((await api.call('ma_activate', { u: reseller.username, ...full }, { key: 'reseller-secret' })).body).toBe(
      statusErrorXml('Access Denied'),
    );
    const user = await createUser(api.handle);
    expect((await ma(full, { u: user.username })).body).toBe(statusErrorXml('Access Denied'));
    const without = await createAccountant(api.handle, {});
    expect((await ma(full, { u: without.username })).body).toBe(statusErrorXml('Access Denied'));
    const withRight = await createAccountant(api.handle, { monitorings: 2 });
    const target = await createUser(api.handle);
    expect((await ma({ ...full, users: String(target.id) }, { u: withRight.username })).body).toBe(
      usersXml([[target.id, ' blocked']]),
    );
    const resellers = await createUser(api.handle, { ownerId: reseller.id });
    expect((await ma({ ...full, users: String(resellers.id) }, { u: withRight.username })).body).toBe(
      usersXml([[resellers.id, ' not found']]),
    );
    await setConflines(api.handle, 0, { monitorings_addon: '0' });
    expect((await ma(full)).body).toBe(statusErrorXml('Access Denied'));
    await setConflines(api.handle, 0, { monitorings_addon: '1' });
    expect((await api.call('ma_activate', { u: 'admin', ...full }, { hash: '0'.repeat(40) })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });
});
