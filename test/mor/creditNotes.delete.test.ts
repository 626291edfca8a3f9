import { beforeAll, describe, expect, it } from 'vitest';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  balanceOf,
  type Caller,
  type MoneyWorld,
  moneyWorld,
  movementsOf,
  noteFor,
  notesOf,
  paymentsOf,
  reconcileAfterEach,
} from '../helpers/money.ts';

const api = useTestApp();
reconcileAfterEach(api);
let w: MoneyWorld;
beforeAll(async () => {
  w = await moneyWorld(api);
});

const DELETED = `${XML_DECL}\n<page>\n  <status>Credit note was deleted</status>\n</page>\n`;
const remove = (as: Caller, id: number | string, options = {}) =>
  as.call('credit_note_delete', { credit_note_id: String(id) }, ['credit_note_id'], options);

describe('credit_note_delete', () => {
  it('deletes an unpaid note', async () => {
    const user = await w.customer({ balance: '1' });
    const id = await noteFor(api, w.admin, user.id, '5');
    expect((await remove(w.admin, id)).body).toBe(DELETED);
    expect(await notesOf(api, user.id)).toEqual([]);
    expect(await balanceOf(api, user.id)).toBe('1.000000');
    expect((await remove(w.admin, id)).body).toBe(pageErrorXml('Credit note was not found'));
  });

  it('keeps the payment of a paid note and does not restore the balance; the payment loses its link', async () => {
    const user = await w.customer({ balance: '0' });
    const id = await noteFor(api, w.admin, user.id, '6');
    await w.admin.call('credit_note_update', { credit_note_id: String(id), status: 'paid' }, ['credit_note_id']);
    expect((await remove(w.admin, id)).body).toBe(DELETED);
    expect(await notesOf(api, user.id)).toEqual([]);
    expect(await paymentsOf(api, user.id)).toMatchObject([{ paymenttype: 'Credit note', credit_note_id: null }]);
    expect(await balanceOf(api, user.id)).toBe('6.000000');
    expect(await movementsOf(api, user.id)).toEqual([
      { amount: '6.000000', balance_after: '6.000000', source: 'credit_note', source_id: id },
    ]);
  });

  it('hashes credit_note_id (example f7c3bc1d…); the key-only digest, which does not name the note, is refused', async () => {
    expect(await api.hash({ credit_note_id: '123' }, ['credit_note_id'], '456789')).toBe(
      'f7c3bc1d808e04732adf679965ccc34ca7ae3441',
    );
    const user = await w.customer();
    const id = await noteFor(api, w.admin, user.id, '1');
    const keyOnly = await w.admin.call('credit_note_delete', { credit_note_id: String(id) }, []);
    expect(keyOnly.body).toBe(statusErrorXml('Incorrect hash'));
    expect(await notesOf(api, user.id)).toHaveLength(1);
    expect((await remove(w.admin, id, { prefix: '/api' })).body).toBe(DELETED);
  });

  it("keeps every caller to its realm: another reseller's note is not found", async () => {
    const r1s = await w.customer({ ownerId: w.r1.id });
    const r2s = await w.customer({ ownerId: w.r2.id });
    const admins = await w.customer();
    const n1 = await noteFor(api, w.r1, r1s.id, '1');
    const n2 = await noteFor(api, w.r2, r2s.id, '1');
    const n0 = await noteFor(api, w.admin, admins.id, '1');
    for (const [as, id] of [
      [w.r1, n2],
      [w.r1, n0],
      [w.admin, n1],
      [w.accNotes, n1],
    ] as const) {
      expect((await remove(as, id)).body).toBe(pageErrorXml('Credit note was not found'));
    }
    expect((await remove(w.r1, n1)).body).toBe(DELETED);
    expect((await remove(w.accNotes, n0)).body).toBe(DELETED);
    expect(await notesOf(api, r2s.id)).toHaveLength(1);
  });

  it('answers Bad login to unknown callers, simple users, partners, accountants without both write rights', async () => {
    const user = await w.customer();
    const id = await noteFor(api, w.admin, user.id, '1');
    expect(
      (await api.call('credit_note_delete', { u: 'x', credit_note_id: String(id) }, { hashOf: ['credit_note_id'] }))
        .body,
    ).toBe(pageErrorXml('Bad login'));
    for (const caller of [w.user, w.partner, w.accNone, w.accPay, w.accNotesRead, w.accNotesBlind]) {
      expect((await remove(caller, id)).body).toBe(pageErrorXml('Bad login'));
    }
    expect(await notesOf(api, user.id)).toHaveLength(1);
  });

  it('answers Credit note was not found for a missing, malformed or unknown id', async () => {
    for (const id of ['', 'x1', '-3', '99999999']) {
      expect((await remove(w.admin, id)).body).toBe(pageErrorXml('Credit note was not found'));
    }
  });

  it('deletes once for 50 concurrent retries with one key, answered alike', async () => {
    const user = await w.customer();
    const id = await noteFor(api, w.admin, user.id, '1');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => remove(w.admin, id, { headers: { 'Idempotency-Key': 'cn-del-1' } })),
    );
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set([DELETED]));
    // Without the key a repeat is a new request: the note is gone.
    expect((await remove(w.admin, id)).body).toBe(pageErrorXml('Credit note was not found'));
  });
});
