import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { pageErrorXml, useTestApp } from '../helpers/app.ts';
import { createCardGroup, createUser, insertCard, insertCli, insertDevice } from '../helpers/factories.ts';
import { reconcileAfterEach } from '../helpers/money.ts';
import { type CardCallers, cardCallers } from '../mor/cardsWorld.ts';

const api = useTestApp();
reconcileAfterEach(api);
const H = ['pin', 'amount', 'callerid', 'cardgroup_id'];
let w: CardCallers;
let group: Awaited<ReturnType<typeof createCardGroup>>;
let other: Awaited<ReturnType<typeof createCardGroup>>;

const all = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
const balanceOf = async (id: number) =>
  (await queryRows<{ b: string }>(api.handle.db, sql`select balance::text as b from cards where id = ${id}`))[0]!.b;
const cardMoves = (id: number) =>
  queryRows<{ amount: string; source: string }>(
    api.handle.db,
    sql`select amount::text, source from ledger where card_id = ${id} and source <> 'opening' order by id`,
  );

beforeAll(async () => {
  w = await cardCallers(api);
  group = await createCardGroup(api.handle, {});
  other = await createCardGroup(api.handle, {});
});

describe('card_by_cli_update logs and books what actually moved (issue #10 §4)', () => {
  it('50 concurrent PIN-to-CLI transfers of one PIN card: one moves 100, the log says so, the ledger reconciles', async () => {
    const pin = await insertCard(api.handle, group, {
      number: '7100000000',
      pin: '710000',
      balance: '100',
      sold: true,
    });
    const targets = await all(50, (i) =>
      insertCard(api.handle, group, {
        number: String(7200000000 + i),
        pin: String(720000 + i),
        balance: '1',
        callerid: String(3706100000 + i),
        sold: true,
      }),
    );
    const answers = await all(50, (i) =>
      w.admin.call('card_by_cli_update', { callerid: targets[i]!.callerid, pin: pin.pin }, H),
    );
    for (const a of answers)
      expect(a.body.includes('<status>ok</status>') || a.body === pageErrorXml('Failed to make transaction')).toBe(
        true,
      );
    const balances = await Promise.all(targets.map((t) => balanceOf(t.id)));
    expect(balances.filter((b) => b === '101.000000')).toHaveLength(1);
    expect(balances.filter((b) => b === '1.000000')).toHaveLength(49);
    expect(await balanceOf(pin.id)).toBe('0.000000');
    const logged = await queryRows<{ target_id: number; data2: string }>(
      api.handle.db,
      sql`select target_id, data2 from actions where action = 'card_balance_transferred'
        and data = ${`from card ${pin.id}`} order by id`,
    );
    const claimed = logged.filter((l) => Number(l.data2) !== 0);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]!.data2).toBe('100.000000');
    expect(balances[targets.findIndex((t) => t.id === claimed[0]!.target_id)]).toBe('101.000000');
    // The movements: -100 from the PIN card once, +100 to the one winner.
    expect(await cardMoves(pin.id)).toEqual([{ amount: '-100.000000', source: 'card_transfer' }]);
    expect(await cardMoves(claimed[0]!.target_id)).toEqual([{ amount: '100.000000', source: 'card_transfer' }]);
  });

  it('a top-up, a move to another group and a device user top-up all go through the ledger', async () => {
    const card = await insertCard(api.handle, group, {
      number: '7300000000',
      pin: '730000',
      balance: '5',
      callerid: '37062000000',
      sold: true,
    });
    // (b) top-up of the CLI's card.
    expect((await w.admin.call('card_by_cli_update', { callerid: card.callerid, amount: '2' }, H)).body).toContain(
      '<balance>7.0000</balance>',
    );
    expect(await cardMoves(card.id)).toEqual([{ amount: '2.000000', source: 'card_payment' }]);
    // (c) the card replaced by a new one in another group, which takes its balance.
    const moved = await w.admin.call(
      'card_by_cli_update',
      { callerid: card.callerid, amount: '1', cardgroup_id: String(other.id) },
      H,
    );
    expect(moved.body).toContain('<balance>8.0000</balance>');
    expect(await balanceOf(card.id)).toBe('0.000000');
    expect((await cardMoves(card.id)).at(-1)).toEqual({ amount: '-7.000000', source: 'card_transfer' });
    // (d) a device CLI: its user's balance.
    const user = await createUser(api.handle, { balance: '3' });
    await insertCli(api.handle, (await insertDevice(api.handle, user.id)).id, { cli: '37062000001' });
    const res = await w.admin.call('card_by_cli_update', { callerid: '37062000001', amount: '4' }, H);
    expect(res.body).toContain('<balance>7.0000</balance>');
    const userMoves = await queryRows<{ amount: string; source: string }>(
      api.handle.db,
      sql`select amount::text, source from ledger where user_id = ${user.id} and source <> 'opening'`,
    );
    expect(userMoves).toEqual([{ amount: '4.000000', source: 'payment' }]);
  });

  it('card_payment_add books its top-up in the ledger', async () => {
    const card = await insertCard(api.handle, group, { number: '7400000000', pin: '740000', balance: '1', sold: true });
    const res = await w.admin.call('card_payment_add', { number: card.number, amount: '2.5' }, [
      'description',
      'number',
      'amount',
      'currency',
    ]);
    expect(res.body).toContain('<new_balance>3.5</new_balance>');
    expect(await cardMoves(card.id)).toEqual([{ amount: '2.500000', source: 'card_payment' }]);
  });
});
