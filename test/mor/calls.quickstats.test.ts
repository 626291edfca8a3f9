import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { activeCalls } from '../../src/db/schema/calls.ts';
import { users } from '../../src/db/schema/users.ts';
import { callerAs } from '../helpers/admin.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { type CallsWorld, callsWorld, insertCalls } from '../helpers/calls.ts';
import type { Caller } from '../helpers/money.ts';

const NOW = new Date('2024-05-15T12:00:00Z');
const api = useTestApp({ clock: () => NOW });
let w: CallsWorld;

/** quickstats_get hashes u unless the caller is the admin. */
const get = (as: Caller, options = {}) =>
  as.call('quickstats_get', {}, as.username === 'admin' ? [] : ['u'], options).then((r) => r.body);

const owner = (tag: string, f: [number, number, string, string, string, number]) =>
  `    <${tag}>\n      <calls>${f[0]}</calls>\n      <duration>${f[1]}</duration>\n      <revenue>${f[2]}</revenue>\n` +
  `      <self_cost>${f[3]}</self_cost>\n      <profit>${f[4]}</profit>\n      <margin>${f[5]}</margin>\n    </${tag}>\n`;

beforeAll(async () => {
  w = await callsWorld(api);
  const u = w.user.id;
  // The page's example: today 4 answered calls (345 s, 1.4475 / 0.6725); this month 19 (2182 s, 6.04 / 3.734166).
  const today = [
    { billsec: 100, userPrice: '0.5', providerPrice: '0.2' },
    { billsec: 100, userPrice: '0.5', providerPrice: '0.2' },
    { billsec: 100, userPrice: '0.3', providerPrice: '0.2' },
    { billsec: 45, userPrice: '0.1475', providerPrice: '0.0725' },
  ].map((c, i) => ({ userId: u, calldate: `2024-05-15T0${i}:30:00Z`, ...c }));
  const earlier = Array.from({ length: 15 }, (_, i) => ({
    userId: u,
    calldate: `2024-05-${String(Math.max(1, i)).padStart(2, '0')}T10:00:00Z`,
    billsec: i === 0 ? 1837 : 0,
    userPrice: i === 0 ? '4.5925' : '0',
    providerPrice: i === 0 ? '3.061666' : '0',
  }));
  await insertCalls(api.handle, [
    ...today,
    ...earlier,
    // Not counted: unanswered, last month, after the current hour.
    { userId: u, calldate: '2024-05-15T03:00:00Z', disposition: 'BUSY', userPrice: '9' },
    { userId: u, calldate: '2024-04-30T23:59:59Z', billsec: 9, userPrice: '9' },
    { userId: u, calldate: '2024-05-15T13:00:00Z', billsec: 9, userPrice: '9' },
    // Reseller r1's user: the admin earns the reseller price; r1 earns the user price over its own price.
    {
      userId: w.u1.id,
      resellerId: w.r1.id,
      calldate: '2024-05-15T11:00:00Z',
      billsec: 60,
      userPrice: '1',
      resellerPrice: '0.6',
      providerPrice: '0.25',
    },
  ]);
  await api.handle.db.insert(activeCalls).values([
    { uniqueid: 'a1', startTime: NOW, userId: u, answerTime: NOW },
    { uniqueid: 'a2', startTime: NOW, userId: u },
    { uniqueid: 'a3', startTime: NOW, userId: w.u1.id, resellerId: w.r1.id },
  ]);
  await api.handle.db.update(users).set({ balance: '12.5' }).where(eq(users.id, u));
});

describe('quickstats_get', () => {
  it("answers the admin's figures for today and this month (the page's example plus a reseller's call)", async () => {
    expect(await get(w.admin)).toBe(
      `${XML_DECL}\n<page>\n  <quickstats>\n` +
        owner('today', [5, 405, '2.0475', '0.9225', '1.125', 55]) +
        owner('month', [20, 2242, '6.64', '3.984166', '2.655834', 40]) +
        '    <active_calls>\n      <total>3</total>\n      <answered_calls>1</answered_calls>\n    </active_calls>\n' +
        '  </quickstats>\n</page>\n',
    );
  });

  it('answers a reseller its users’ calls (revenue: their prices, self cost: its own) and its active calls', async () => {
    expect(await get(w.r1)).toBe(
      `${XML_DECL}\n<page>\n  <quickstats>\n` +
        owner('today', [1, 60, '1', '0.6', '0.4', 40]) +
        owner('month', [1, 60, '1', '0.6', '0.4', 40]) +
        '    <active_calls>\n      <total>1</total>\n      <answered_calls>0</answered_calls>\n    </active_calls>\n' +
        '  </quickstats>\n</page>\n',
    );
    // Nothing of another realm.
    expect(await get(w.r2)).toContain('<calls>0</calls>\n      <duration>0</duration>\n      <revenue>0</revenue>');
  });

  it('answers a simple user its calls, duration, price and balance only', async () => {
    expect(await get(w.user)).toBe(
      `${XML_DECL}\n<page>\n  <quickstats>\n` +
        '    <today>\n      <calls>4</calls>\n      <duration>345</duration>\n      <price>1.4475</price>\n    </today>\n' +
        '    <month>\n      <calls>19</calls>\n      <duration>2182</duration>\n      <price>6.04</price>\n    </month>\n' +
        '    <balance>12.5</balance>\n  </quickstats>\n</page>\n',
    );
  });

  it('takes today and this month in the caller’s time zone (rollups, or the calls in a half-hour zone)', async () => {
    // Hawaii (UTC-10): today starts 2024-05-15T10:00Z, so only r1's user's call at 11:00Z; May from 05-01T10:00Z.
    await api.handle.db.update(users).set({ timeZone: 'Hawaii' }).where(eq(users.id, 0));
    expect(await get(w.admin)).toContain(owner('today', [1, 60, '0.6', '0.25', '0.35', 58]));
    await api.handle.db.update(users).set({ timeZone: 'Chennai' }).where(eq(users.id, 0));
    // Chennai (UTC+5:30): today is 2024-05-14T18:30Z …; the four calls at 00:30–03:30Z and r1's at 11:00Z.
    expect(await get(w.admin)).toContain(owner('today', [5, 405, '2.0475', '0.9225', '1.125', 55]));
    await api.handle.db.update(users).set({ timeZone: 'UTC' }).where(eq(users.id, 0));
  });

  it('hashes the key alone for the admin and u + key for anyone else (documented examples)', async () => {
    expect(await api.hash({}, [], 'secret')).toBe('e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4');
    expect(await api.hash({ u: 'john' }, ['u'], 'secret')).toBe('d12226e0ac2dc7a0ea39e97c05cd105b52cd06a1');
    const keyOnly = await api.hash({}, [], 'r1-key');
    expect(await get(w.r1, { hash: keyOnly })).toBe(statusErrorXml('Incorrect hash'));
    const withU = await api.hash({ u: 'admin' }, ['u']);
    expect(await get(w.admin, { hash: withU })).toBe(statusErrorXml('Incorrect hash'));
  });

  it('hash.generate signs the caller’s own username for non-admins, and the API accepts it', async () => {
    const reseller = await callerAs(api, w.r1.username);
    const generated = await reseller.hash.generate({ method: 'quickstats_get', params: {} });
    expect(generated.order).toEqual(['u', 'secret_key']);
    expect(await get(w.r1, { hash: generated.hash })).toContain('<quickstats>');
    const admin = await callerAs(api, 'admin');
    expect((await admin.hash.generate({ method: 'quickstats_get', params: { u: 'admin' } })).order).toEqual([
      'secret_key',
    ]);
  });

  it('answers Access Denied to accountants, partners and unknown callers', async () => {
    expect(await get(w.accFull)).toBe(pageStatusErrorXml('Access Denied'));
    expect(await get(w.partner)).toBe(pageStatusErrorXml('Access Denied'));
    expect((await api.call('quickstats_get', { u: 'nobody' }, { hashOf: ['u'] })).body).toBe(
      pageStatusErrorXml('Access Denied'),
    );
  });

  it('answers Cannot connect to Elasticsearch when the statistics cannot be read', async () => {
    await api.handle.db.execute(sql`alter table call_rollups rename to call_rollups_away`);
    try {
      expect(await get(w.admin)).toBe(pageStatusErrorXml('Cannot connect to Elasticsearch'));
    } finally {
      await api.handle.db.execute(sql`alter table call_rollups_away rename to call_rollups`);
    }
  });

  it('equals a direct aggregate over calls', async () => {
    const [row] = await queryRows<{ calls: number; duration: number; revenue: string }>(
      api.handle.db,
      sql`select count(*)::int as calls, sum(billsec)::int as duration,
        sum(case when reseller_id is null then user_price else reseller_price end)::numeric(20,6)::text as revenue
        from calls where disposition = 'ANSWERED' and calldate >= '2024-05-01' and calldate < '2024-05-15T13:00:00Z'`,
    );
    if (!row) throw new Error('no row');
    expect(await get(w.admin)).toContain(
      `<month>\n      <calls>${row.calls}</calls>\n      <duration>${row.duration}</duration>\n      <revenue>${Number(row.revenue)}</revenue>`,
    );
  });
});
