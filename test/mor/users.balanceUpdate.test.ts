import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { users } from '../../src/db/schema/users.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const HASH = ['user_id', 'balance'] as const;
const ok = (username: string, id: number, balance: string) =>
  `${XML_DECL}\n<page>\n  <page>\n    <status>User balance updated</status>\n    <user>\n      <username>${username}</username>\n      <id>${id}</id>\n      <balance>${balance}</balance>\n    </user>\n  </page>\n</page>\n`;

const balanceOf = async (id: number) =>
  (await api.handle.db.select({ b: users.balance }).from(users).where(eq(users.id, id)))[0]!.b;
const logRows = (id: number) =>
  api.handle.db
    .select()
    .from(actions)
    .where(eq(actions.targetId, id))
    .then((rows) => rows.filter((r) => r.action === 'user_balance_changed'));

describe('user_balance_update', () => {
  it('adds the amount and answers the documented doubled page with the new balance', async () => {
    const user = await createUser(api.handle, { balance: '100' });
    const res = await api.call(
      'user_balance_update',
      { u: 'admin', user_id: String(user.id), balance: '-5.5' },
      { hashOf: HASH },
    );
    expect(res.body).toBe(ok(user.username, user.id, '94.5000'));
    expect(await balanceOf(user.id)).toBe('94.500000');
    const [log] = await logRows(user.id);
    expect(log).toMatchObject({ userId: 0, data: '100.000000', data2: '94.500000' });
  });

  it('applies 200 concurrent changes exactly, with exactly one action-log row each', async () => {
    const user = await createUser(api.handle, { balance: '0' });
    const amounts = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? `-${(i % 7) + 0.01}` : `${i}.37`));
    const results = await Promise.all(
      amounts.map((balance) =>
        api.call('user_balance_update', { u: 'admin', user_id: String(user.id), balance }, { hashOf: HASH }),
      ),
    );
    for (const res of results) expect(res.body).toContain('<status>User balance updated</status>');
    // Expected sum in integer cents: no float arithmetic.
    const cents = amounts.reduce((sum, a) => sum + BigInt(a.replace('.', '')), 0n);
    const sign = cents < 0n ? '-' : '';
    const abs = cents < 0n ? -cents : cents;
    expect(await balanceOf(user.id)).toBe(`${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}0000`);
    expect(await logRows(user.id)).toHaveLength(200);
  });
});
