import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { type Caller, type MoneyWorld, moneyWorld, noteFor, reconcileAfterEach } from '../helpers/money.ts';

const api = useTestApp();
reconcileAfterEach(api);
let w: MoneyWorld;
beforeAll(async () => {
  w = await moneyWorld(api);
});

const get = (as: Caller, params: Record<string, string>, hashOf: readonly string[] = ['user_id'], options = {}) =>
  as.call('credit_notes_get', params, hashOf, options);

const ids = (body: string) => [...body.matchAll(/<credit_note_id>(\d+)<\/credit_note_id>/g)].map((m) => Number(m[1]));

describe('credit_notes_get', () => {
  it("lists a user's notes by id with the documented tags (dates in the caller's zone), paid ones with pay_date", async () => {
    const user = await w.customer();
    const a = await noteFor(api, w.admin, user.id, '10', { number: 'CN-7', comment: 'overcharge May' });
    const b = await noteFor(api, w.admin, user.id, '-2.5', { issue_date: '1714608000' });
    await w.admin.call('credit_note_update', { credit_note_id: String(b), status: 'paid' }, ['credit_note_id']);
    await api.handle.db.execute(sql`update credit_notes set pay_date = '2024-05-03T12:00:00Z' where id = ${b}`);
    const res = await get(w.admin, { user_id: String(user.id) });
    expect(res.body).toBe(
      `${XML_DECL}\n<page>\n  <credit_notes>\n` +
        `    <credit_note>\n      <user_id>${user.id}</user_id>\n      <issue_date>2024-05-01 10:00:00</issue_date>\n` +
        '      <number>CN-7</number>\n      <comment>overcharge May</comment>\n      <price>10.0000</price>\n' +
        `      <price_with_vat>12.0000</price_with_vat>\n      <pay_date></pay_date>\n      <credit_note_id>${a}</credit_note_id>\n` +
        '    </credit_note>\n' +
        `    <credit_note>\n      <user_id>${user.id}</user_id>\n      <issue_date>2024-05-02 00:00:00</issue_date>\n` +
        '      <number></number>\n      <comment></comment>\n      <price>-2.5000</price>\n' +
        `      <price_with_vat>-3.0000</price_with_vat>\n      <pay_date>2024-05-03 12:00:00</pay_date>\n` +
        `      <credit_note_id>${b}</credit_note_id>\n    </credit_note>\n  </credit_notes>\n</page>\n`,
    );
  });

  it('gives credit_note_id precedence over user_id, and lists every note in reach without either', async () => {
    const u1 = await w.customer();
    const u2 = await w.customer();
    const n1 = await noteFor(api, w.admin, u1.id, '1');
    const n2 = await noteFor(api, w.admin, u2.id, '1');
    expect(ids((await get(w.admin, { credit_note_id: String(n2), user_id: String(u1.id) })).body)).toEqual([n2]);
    const all = ids((await get(w.admin, {}, [])).body);
    expect(all).toContain(n1);
    expect(all).toContain(n2);
  });

  it('hashes user_id (example f7c3bc1d…) or, as the PHP client does, credit_note_id', async () => {
    expect(await api.hash({ user_id: '123' }, ['user_id'], '456789')).toBe('f7c3bc1d808e04732adf679965ccc34ca7ae3441');
    expect(await api.hash({ credit_note_id: '345' }, ['credit_note_id'], '456789')).toBe(
      '206542fc3a6638812c2bb574c00d01bacf0383e1',
    );
    const user = await w.customer();
    const n = await noteFor(api, w.admin, user.id, '1');
    // credit_note_id is not in the documented list: key only, or the client's credit_note_id digest.
    expect(ids((await get(w.admin, { credit_note_id: String(n) }, [])).body)).toEqual([n]);
    expect(ids((await get(w.admin, { credit_note_id: String(n) }, ['credit_note_id'])).body)).toEqual([n]);
    // A digest that leaves a sent hash parameter (user_id) unsigned is refused.
    expect((await get(w.admin, { user_id: String(user.id) }, [])).body).toBe(statusErrorXml('Incorrect hash'));
    const both = { user_id: String(user.id), credit_note_id: String(n) };
    for (const order of [
      ['user_id', 'credit_note_id'],
      ['credit_note_id', 'user_id'],
    ]) {
      expect((await get(w.admin, both, order)).body).toBe(statusErrorXml('Incorrect hash'));
    }
    expect((await get(w.admin, { user_id: String(user.id) }, ['user_id'], { key: 'wrong' })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('is served under the old name credit_notes and under /api', async () => {
    const user = await w.customer();
    const n = await noteFor(api, w.admin, user.id, '1');
    expect(ids((await w.admin.call('credit_notes', { user_id: String(user.id) }, ['user_id'])).body)).toEqual([n]);
    expect(ids((await get(w.admin, { user_id: String(user.id) }, ['user_id'], { prefix: '/api' })).body)).toEqual([n]);
  });

  it('gives an accountant without See financial data the reduced record', async () => {
    const user = await w.customer();
    const n = await noteFor(api, w.admin, user.id, '10', { number: 'R1' });
    const res = await get(w.accNotesBlind, { credit_note_id: String(n) }, []);
    expect(res.body).toBe(
      `${XML_DECL}\n<page>\n  <credit_notes>\n    <credit_note>\n      <user_id>${user.id}</user_id>\n` +
        '      <issue_date>2024-05-01 10:00:00</issue_date>\n      <number>R1</number>\n      <comment></comment>\n' +
        `      <price>10.0000</price>\n      <credit_note_id>${n}</credit_note_id>\n    </credit_note>\n  </credit_notes>\n</page>\n`,
    );
    expect((await get(w.accNotesRead, { credit_note_id: String(n) }, [])).body).toContain('<price_with_vat>');
  });

  it("keeps every caller to its realm: another realm's notes are not found", async () => {
    const r1s = await w.customer({ ownerId: w.r1.id });
    const r2s = await w.customer({ ownerId: w.r2.id });
    const admins = await w.customer();
    const n1 = await noteFor(api, w.r1, r1s.id, '1');
    const n2 = await noteFor(api, w.r2, r2s.id, '1');
    await noteFor(api, w.admin, admins.id, '1');
    expect(ids((await get(w.r1, {}, [])).body)).toEqual([n1]);
    expect(ids((await get(w.r2, {}, [])).body)).toEqual([n2]);
    expect(ids((await get(w.admin, {}, [])).body)).not.toContain(n1);
    for (const [as, params, order] of [
      [w.r1, { credit_note_id: String(n2) }, []],
      [w.r1, { user_id: String(r2s.id) }, ['user_id']],
      [w.r1, { user_id: String(admins.id) }, ['user_id']],
      [w.admin, { credit_note_id: String(n1) }, []],
      [w.accNotes, { user_id: String(r1s.id) }, ['user_id']],
    ] as const) {
      expect((await get(as, params, order)).body).toBe(pageErrorXml('Credit note was not found'));
    }
  });

  it('answers Credit note was not found when nothing matches', async () => {
    const user = await w.customer();
    for (const params of [{ user_id: String(user.id) }, { user_id: 'abc' }, { user_id: '99999999' }]) {
      expect((await get(w.admin, params)).body).toBe(pageErrorXml('Credit note was not found'));
    }
    expect((await get(w.admin, { credit_note_id: 'x' }, [])).body).toBe(pageErrorXml('Credit note was not found'));
  });

  it('answers Bad login to unknown callers, simple users, partners and accountants without Manage invoices', async () => {
    const user = await w.customer();
    await noteFor(api, w.admin, user.id, '1');
    expect((await api.call('credit_notes_get', { u: 'nobody' }, { hashOf: [] })).body).toBe(pageErrorXml('Bad login'));
    for (const caller of [w.user, w.partner, w.accNone, w.accPay]) {
      expect((await get(caller, { user_id: String(user.id) })).body).toBe(pageErrorXml('Bad login'));
    }
    // Even a simple user's own notes (it reads them through the admin API).
    await noteFor(api, w.admin, w.user.id, '1');
    expect((await get(w.user, { user_id: String(w.user.id) })).body).toBe(pageErrorXml('Bad login'));
  });
});
