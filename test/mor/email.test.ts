import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpMailTransport } from '../../src/adapters/httpMail.ts';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { sendDue } from '../../src/domain/messages/sendMessages.ts';
import type { Ports } from '../../src/domain/ports.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';

/** A local mail API receiver (the HTTP mail port) so queued messages can be sent and read back. */
const delivered: Record<string, string>[] = [];
let server: Server;
let mailUrl = '';
const ports: Ports = {
  mail: httpMailTransport('http://127.0.0.1:1/unset', ''),
  mailFrom: 'billing@openmor.test',
};
const api = useTestApp({ ports: () => ports });

const OK = `${XML_DECL}\n<page>\n  <email_sending_status>Email sent</email_sending_status>\n</page>\n`;
const EXAMPLE = { login_username: 'new_first_name', login_url: 'www.kolmisoft.com', server_ip: '127.0.0.2' };
const EXAMPLE_ORDER = ['server_ip', 'login_url', 'login_username', 'email_name', 'email_to_user_id'];
let recipient: { id: number };
let reseller: { id: number; username: string };
let resellerUser: { id: number };

const withAddress = async (userId: number, email: string) => {
  const [a] = await queryRows<{ id: number }>(
    api.handle.db,
    sql`insert into addresses (email) values (${email}) returning id`,
  );
  await api.handle.db.execute(sql`update users set address_id = ${a!.id} where id = ${userId}`);
};
const send = (params: Record<string, string>, hashOf: readonly string[] = ['email_name', 'email_to_user_id'], o = {}) =>
  api.call('email_send', { u: 'admin', ...params }, { hashOf, ...o });
const lastMessage = async () =>
  (
    await queryRows<{ recipient: string; subject: string; body: string; owner_id: number; reason: string }>(
      api.handle.db,
      sql`select recipient, subject, body, owner_id, reason from messages order by id desc limit 1`,
    )
  )[0];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      delivered.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"m1"}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  mailUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  ports.mail = httpMailTransport(mailUrl, 't');
  recipient = await createUser(api.handle);
  await withAddress(recipient.id, 'new.user@example.test');
  reseller = await createReseller(api.handle, 'reseller-key');
  resellerUser = await createUser(api.handle, { ownerId: reseller.id });
  await withAddress(resellerUser.id, 'their.user@example.test');
  await api.handle.db.execute(
    sql`insert into emails (owner_id, name, subject, body) values
      (0, 'registration_confirmation_for_user', 'Welcome <%= login_username %>',
        'Login at <%= login_url %> (server <%=server_ip%>), device type: <%= device_type %>.'),
      (${reseller.id}, 'reseller_note', 'Note', 'Hi <%= name %>')`,
  );
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('email_send', () => {
  it('queues the rendered template (documented example hash) and the job delivers it', async () => {
    const params = {
      email_name: 'registration_confirmation_for_user',
      email_to_user_id: String(recipient.id),
      ...EXAMPLE,
    };
    expect((await send(params, EXAMPLE_ORDER)).body).toBe(OK);
    expect(await lastMessage()).toEqual({
      recipient: 'new.user@example.test',
      subject: 'Welcome new_first_name',
      body: 'Login at www.kolmisoft.com (server 127.0.0.2), device type: .',
      owner_id: 0,
      reason: 'registration_confirmation_for_user',
    });
    delivered.splice(0);
    await sendDue({ db: api.handle.db, clock: () => new Date(), log: silentLog, ports });
    expect(delivered).toEqual([
      {
        from: 'billing@openmor.test',
        to: 'new.user@example.test',
        subject: 'Welcome new_first_name',
        text: 'Login at www.kolmisoft.com (server 127.0.0.2), device type: .',
      },
    ]);
  });

  it("reproduces the page's digest and accepts the client's and the key-only forms; the old name too", async () => {
    // The page's own example: variables, email_name, email_to_user_id, key 123456.
    await setConflines(api.handle, 0, { api_secret_key: '123456' });
    api.changed();
    const page = {
      email_name: 'registration_confirmation_for_user',
      email_to_user_id: '142',
      ...EXAMPLE,
      hash: '565582398d663e87b5fe3a523f8937fb693bf1e1',
    };
    // User 142 does not exist here: a passed hash reaches the recipient check.
    expect((await send(page)).body).toBe(pageStatusErrorXml('User not found'));
    expect((await send({ ...page, hash: 'd741c1872b5d93a1322fb8716f50dcd0460c13f8' })).body).toBe(
      pageStatusErrorXml('User not found'),
    );
    expect((await send({ ...page, hash: '7c4a8d09ca3762af61e59520943dc26494f8941b' })).body).toBe(
      pageStatusErrorXml('User not found'),
    );
    expect((await send({ ...page, hash: '0'.repeat(40) })).body).toBe(statusErrorXml('Incorrect hash'));
    await setConflines(api.handle, 0, { api_secret_key: TEST.apiSecretKey });
    api.changed();
    const to = String(recipient.id);
    expect((await send({ email_name: 'registration_confirmation_for_user', email_to_user_id: to })).body).toBe(OK);
    expect((await send({ email_name: 'registration_confirmation_for_user', email_to_user_id: to }, [])).body).toBe(OK);
    const old = await api.call(
      'send_email',
      { u: 'admin', email_name: 'registration_confirmation_for_user', email_to_user_id: to },
      { hashOf: ['email_name', 'email_to_user_id'], prefix: '/api' },
    );
    expect(old.body).toBe(OK);
  });

  it('answers every documented error', async () => {
    const name = 'registration_confirmation_for_user';
    expect((await send({ u: 'nobody', email_name: name })).body).toBe(pageStatusErrorXml('Bad login'));
    const simple = await createUser(api.handle, { username: 'simple_mailer' });
    await setConflines(api.handle, simple.id, {});
    expect((await send({ u: simple.username, email_name: name })).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await send({ email_name: 'no_such_template' })).body).toBe(pageStatusErrorXml('Email not found'));
    expect((await send({ email_name: name, email_to_user_id: '999999' })).body).toBe(
      pageStatusErrorXml('User not found'),
    );
    const noAddress = await createUser(api.handle);
    expect((await send({ email_name: name, email_to_user_id: String(noAddress.id) })).body).toBe(
      pageStatusErrorXml('Configuration error. Please consult this help link. (The recipient has no e-mail address)'),
    );
    await setConflines(api.handle, 0, { email_sending_enabled: '0' });
    expect((await send({ email_name: name, email_to_user_id: String(recipient.id) })).body).toBe(
      `${XML_DECL}\n<page>\n  <email_sending_status>E-mail has been disabled</email_sending_status>\n</page>\n`,
    );
    await setConflines(api.handle, 0, { email_sending_enabled: '1' });
  });

  it("keeps each realm to its own templates and users; an accountant uses the admin's", async () => {
    const asReseller = (params: Record<string, string>) =>
      api.call(
        'email_send',
        { u: reseller.username, ...params },
        { hashOf: ['email_name', 'email_to_user_id'], key: 'reseller-key' },
      );
    expect(
      (await asReseller({ email_name: 'reseller_note', email_to_user_id: String(resellerUser.id), name: 'Ona' })).body,
    ).toBe(OK);
    expect(await lastMessage()).toMatchObject({
      recipient: 'their.user@example.test',
      body: 'Hi Ona',
      owner_id: reseller.id,
    });
    expect((await asReseller({ email_name: 'reseller_note', email_to_user_id: String(recipient.id) })).body).toBe(
      pageStatusErrorXml('User not found'),
    );
    expect((await asReseller({ email_name: 'registration_confirmation_for_user' })).body).toBe(
      pageStatusErrorXml('Email not found'),
    );
    expect((await send({ email_name: 'reseller_note', email_to_user_id: String(resellerUser.id) })).body).toBe(
      pageStatusErrorXml('Email not found'),
    );
    const accountant = await createAccountant(api.handle);
    const asAccountant = await api.call(
      'email_send',
      {
        u: accountant.username,
        email_name: 'registration_confirmation_for_user',
        email_to_user_id: String(recipient.id),
      },
      { hashOf: ['email_name', 'email_to_user_id'] },
    );
    expect(asAccountant.body).toBe(OK);
  });
});
