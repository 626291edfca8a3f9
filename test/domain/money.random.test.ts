import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createCardGroup, createUser, insertCard, setConflines } from '../helpers/factories.ts';
import { type Caller, type MoneyWorld, moneyWorld } from '../helpers/money.ts';
import { insertService } from '../helpers/subs.ts';

/*
 * A randomized run of mixed money operations across the admin's realm and two resellers: payments,
 * balance updates, credit notes paid and unpaid again, card payments and card sales, some retried
 * concurrently with one idempotency key, some aimed at another realm's account (refused, nothing moves),
 * invoice generation in between. The test keeps its own books in integer micro-units (BigInt) from the
 * answers it expects; at the end every balance must match them, and `ledger.reconcile` must be clean.
 * MONEY_OPS (default 10,000 on Postgres, 2,000 on the single-connection PGlite, which serialises every
 * request) and MONEY_SEED choose the run; a failure prints the seed.
 */
const OPS = Number(process.env.MONEY_OPS ?? (process.env.TEST_DATABASE_URL ? 10_000 : 2_000));
const SEED = Number(process.env.MONEY_SEED ?? Date.now() % 1_000_000);
const PARALLEL = 8;

const api = useTestApp();
let w: MoneyWorld;

/** Deterministic PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MICRO = 1_000_000n;
/** Decimal text → micro-units, exactly. */
function micro(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)!;
  const v = BigInt(m[2]!) * MICRO + BigInt((m[3] ?? '').padEnd(6, '0').slice(0, 6));
  return m[1] ? -v : v;
}

interface Realm {
  name: string;
  owner: Caller;
  users: number[];
  cards: { id: number; number: string }[];
  stock: number;
  /** A one-time fee service of the realm (charged to a prepaid user when subscribed). */
  fee: number;
}

const books = new Map<string, bigint>();
const credit = (account: string, amount: bigint) => books.set(account, (books.get(account) ?? 0n) + amount);

describe(`money: ${OPS} random operations across two resellers (seed ${SEED})`, () => {
  let realms: Realm[];

  beforeAll(async () => {
    w = await moneyWorld(api);
    const h = api.handle;
    // The resellers sell and top up cards (the Calling Cards right of their group).
    const [cardRights] = await queryRows<{ id: number }>(
      h.db,
      sql`insert into acc_groups (name, group_type, rights) values ('resellers with cards', 'reseller', '{"calling_cards": 1}')
        returning id`,
    );
    for (const r of [w.r1, w.r2]) {
      await setConflines(h, r.id, { allow_api_payments: '1', api_payment_confirmation: '0' });
      await h.db.execute(sql`update users set acc_group_id = ${cardRights!.id} where id = ${r.id}`);
    }
    api.changed();
    realms = [];
    for (const [name, owner] of [
      ['admin', w.admin],
      ['r1', w.r1],
      ['r2', w.r2],
    ] as const) {
      const ownerId = owner.id;
      const users: number[] = [];
      for (let i = 0; i < 6; i++) {
        const u = await createUser(h, { ownerId, balance: `${i}.5` });
        users.push(u.id);
        books.set(`user:${u.id}`, micro(`${i}.5`));
      }
      const group = await createCardGroup(h, { ownerId, name: `${name} cards`, price: '5' });
      const cards = [];
      for (let i = 0; i < 4; i++) {
        const number = `${ownerId + 10}${String(i).padStart(6, '0')}`;
        const card = await insertCard(h, group, { number, pin: `${ownerId + 10}${i}99`, balance: '1', sold: true });
        cards.push({ id: card.id, number });
        books.set(`card:${card.id}`, micro('1'));
      }
      // Unsold stock of the group: sales record income, no balance moves.
      for (let i = 0; i < 40; i++) {
        const number = `${ownerId + 10}9${String(i).padStart(5, '0')}`;
        const card = await insertCard(h, group, { number, pin: `${ownerId + 10}${i}77`, balance: '5' });
        books.set(`card:${card.id}`, micro('5'));
      }
      const fee = await insertService(api, { ownerId, type: 'one_time_fee', name: `${name} setup fee`, price: '3.25' });
      // Postpaid subscribers of a monthly service since May 2024: their invoices carry lines.
      const monthly = await insertService(api, { ownerId, name: `${name} line rent`, price: '31' });
      for (let i = 0; i < 2; i++) {
        const u = await createUser(h, { ownerId });
        await h.db.execute(sql`update users set postpaid = true where id = ${u.id}`);
        const res = await owner.call(
          'subscription_create',
          { user_id: String(u.id), service_id: String(monthly), subscription_activation_start: '1714521600' },
          ['user_id', 'service_id'],
        );
        expect(res.body).toContain('<id>');
        books.set(`user:${u.id}`, 0n);
      }
      realms.push({ name, owner, users, cards, stock: group.id, fee });
    }
  });

  it('ends with every balance as the documents say and a clean ledger', { timeout: 900_000 }, async () => {
    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    // A random amount of at least one cent (zero amounts are refused by the card and payment methods).
    const cents = (max: number) => {
      const c = 1 + Math.floor(random() * max * 100);
      return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
    };
    let keys = 0;
    const counts: Record<string, number> = {};

    /** One operation; returns the expected movements when it succeeds. */
    const operation = async (): Promise<void> => {
      const realm = pick(realms);
      const stranger = realm.name !== 'admin' && random() < 0.05;
      const target = stranger ? pick(realms.filter((r) => r !== realm)) : realm;
      const caller = realm.owner;
      const retry = random() < 0.1;
      const key = `k-${SEED}-${++keys}`;
      const send = async (method: string, params: Record<string, string>, hashOf: string[]) => {
        const options = { headers: { 'Idempotency-Key': key } };
        const answers = await Promise.all(
          Array.from({ length: retry ? 3 : 1 }, () => caller.call(method, params, hashOf, options)),
        );
        for (const a of answers) expect(a.body, `${method} ${JSON.stringify(params)}`).toBe(answers[0]!.body);
        return answers[0]!.body;
      };
      const kind = pick(['payment', 'payment', 'balance', 'note', 'card', 'sale', 'subscription'] as const);
      counts[kind] = (counts[kind] ?? 0) + (stranger ? 0 : 1);
      // A reseller aiming at an account of another realm is refused and nothing moves.
      const userId = pick(target.users);
      if (kind === 'payment') {
        const amount = cents(500);
        const body = await send(
          'payment_create',
          { user_id: String(userId), p_currency: 'USD', paymenttype: 'api', amount },
          ['user_id', 'p_currency', 'paymenttype', 'tax_in_amount', 'amount', 'transaction', 'payer_email'],
        );
        if (stranger) return void expect(body).not.toContain('<status>ok</status>');
        expect(body).toContain('<status>ok</status>');
        credit(`user:${userId}`, micro(amount));
      } else if (kind === 'balance') {
        const amount = `${random() < 0.4 ? '-' : ''}${cents(100)}`;
        const body = await send('user_balance_update', { user_id: String(userId), balance: amount }, [
          'user_id',
          'balance',
        ]);
        if (stranger) return void expect(body).not.toContain('User balance updated');
        expect(body).toContain('<status>User balance updated</status>');
        credit(`user:${userId}`, micro(amount));
      } else if (kind === 'note') {
        const price = cents(50);
        const created = await caller.call(
          'credit_note_create',
          { user_id: String(userId), price, issue_date: '1714557600', number: key },
          ['user_id', 'number'],
        );
        if (stranger) return void expect(created.body).not.toContain('Credit note was created');
        expect(created.body).toContain('Credit note was created');
        const [note] = await queryRows<{ id: number }>(
          api.handle.db,
          sql`select id from credit_notes where number = ${key}`,
        );
        const status = (s: string) =>
          caller.call('credit_note_update', { credit_note_id: String(note!.id), status: s }, ['credit_note_id'], {
            headers: { 'Idempotency-Key': `${key}-${s}` },
          });
        expect((await status('paid')).body).toContain('Credit note was updated');
        credit(`user:${userId}`, micro(price));
        if (random() < 0.3) {
          expect((await status('unpaid')).body).toContain('Credit note was updated');
          credit(`user:${userId}`, -micro(price));
        }
      } else if (kind === 'card') {
        const card = pick(target.cards);
        const amount = cents(20);
        const body = await send('card_payment_add', { number: card.number, amount }, [
          'description',
          'number',
          'amount',
          'currency',
        ]);
        if (stranger) return void expect(body).not.toContain('successfully updated');
        expect(body, `${realm.name} ${card.number}`).toContain(
          '<success>Calling Card balance successfully updated</success>',
        );
        credit(`card:${card.id}`, micro(amount));
      } else if (kind === 'subscription') {
        const body = await send(
          'subscription_create',
          { user_id: String(userId), service_id: String(realm.fee), ignore_balance: '1' },
          ['user_id', 'service_id'],
        );
        if (stranger) return void expect(body).not.toContain('<id>');
        expect(body).toContain('<id>');
        credit(`user:${userId}`, -micro('3.25'));
      } else {
        const body = await send('card_from_group_sell', { id: String(target.stock) }, ['email', 'id', 'quantity']);
        if (stranger) return void expect(body).not.toContain('<number>');
      }
    };

    const admin = clientWith(api, TEST.adminToken);
    for (let done = 0; done < OPS; done += PARALLEL) {
      await Promise.all(Array.from({ length: Math.min(PARALLEL, OPS - done) }, operation));
      if (done % 1_000 === 0) {
        // The scheduler's work in between: charges (nothing new is due: fees are charged at once) and
        // invoices (run again, they invoice nobody twice).
        await admin.jobs.run.mutate({ job: 'chargeSubscriptions' });
        await admin.invoices.generate.mutate({ periodStart: '2024-05-01', periodEnd: '2024-05-31' });
      }
    }

    const rows = await queryRows<{ account: string; balance: string }>(
      api.handle.db,
      sql`select 'user:' || id as account, balance::text as balance from users
        union all select 'card:' || id, balance::text from cards`,
    );
    const actual = new Map(rows.map((r) => [r.account, micro(r.balance)]));
    for (const [account, expected] of books) expect(actual.get(account), `${account} (seed ${SEED})`).toBe(expected);

    const reconciled = await admin.ledger.reconcile.query();
    expect(reconciled.differences).toEqual([]);
    // Every invoice adds up: its lines to its total, to the cent.
    const invoices = await queryRows<{ id: number; total: string; lines: string | null; sum: string; withTax: string }>(
      api.handle.db,
      sql`select i.id, i.total::text as total, (i.total + i.total_tax)::text as sum, i.total_with_tax::text as "withTax",
          (select sum(d.total) from invoice_details d where d.invoice_id = i.id)::text as lines
        from invoices i`,
    );
    expect(invoices.length).toBe(6);
    for (const i of invoices) {
      expect(micro(i.lines ?? '0'), `invoice ${i.id}`).toBe(micro(i.total));
      expect(micro(i.sum), `invoice ${i.id}`).toBe(micro(i.withTax));
    }
    console.info(`money random run (seed ${SEED}): ${OPS} operations`, counts, `${invoices.length} invoices`);
  });
});
