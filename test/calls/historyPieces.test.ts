import { beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/domain/auth/types.ts';
import { encodedPages } from '../../src/domain/calls/encodedPages.ts';
import { type OrderKey, openCallHistory, PIECE_CALLS } from '../../src/domain/calls/history.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { useTestApp } from '../helpers/app.ts';
import { insertCalls } from '../helpers/calls.ts';
import { createUser } from '../helpers/factories.ts';

/**
 * The history hands its calls out in pieces of at most PIECE_CALLS, a page of pieces per statement:
 * across page and piece boundaries, in every order, the calls come exactly once and in order.
 */
const api = useTestApp();
const admin: Account = {
  id: 0,
  username: 'admin',
  usertype: 'admin',
  ownerId: 0,
  blocked: false,
  apiLevels: null,
  rights: {},
  accGroupId: null,
};
const N = 150;
let userId: number;
let fixtures: { id: number; src: string; at: number; price: number }[];

beforeAll(async () => {
  userId = (await createUser(api.handle)).id;
  // Ties everywhere: three calls a second, seven sources, eleven prices.
  const rows = Array.from({ length: N }, (_, n) => ({
    userId,
    calldate: new Date(Date.UTC(2024, 4, 2, 10, 0, Math.floor(n / 3))),
    src: String(3700 + ((n * 5) % 7)),
    dst: '37060000000',
    billsec: 60,
    duration: 60,
    userPrice: ((n * 7) % 11).toFixed(4),
  }));
  const ids = await insertCalls(api.handle, rows);
  fixtures = rows.map((r, k) => ({ id: ids[k]!, src: r.src, at: r.calldate.getTime(), price: Number(r.userPrice) }));
});

const ctx = () => ({
  db: api.handle.db,
  actor: admin,
  clock: () => new Date('2024-05-03T00:00:00Z'),
  log: silentLog,
  ip: '127.0.0.1',
  invalidateAuth() {},
});

async function read(orderBy: OrderKey, desc: boolean, pageSize: number) {
  const h = await openCallHistory(ctx(), {
    from: '2024-05-02T00:00:00Z',
    till: '2024-05-02T23:59:59Z',
    userId,
    orderBy,
    desc,
    pageSize,
  });
  const pieces: number[][] = [];
  for await (const page of h.pages) for (const calls of page) pieces.push(calls.map((c) => c.id));
  return pieces;
}

describe('call history pieces', () => {
  for (const [orderBy, key] of [
    ['time', () => 0],
    ['src', (f: (typeof fixtures)[number]) => Number(f.src)],
    ['u_price', (f: (typeof fixtures)[number]) => f.price],
  ] as const) {
    for (const desc of [false, true]) {
      it(`order_by ${orderBy}${desc ? ' desc' : ''}: every call once, in order, pieces ≤ ${PIECE_CALLS}`, async () => {
        const sign = desc ? -1 : 1;
        const expected = [...fixtures]
          .sort((a, b) => sign * (key(a) - key(b) || a.at - b.at || a.id - b.id))
          .map((f) => f.id);
        for (const pageSize of [40, 64, 1000]) {
          const pieces = await read(orderBy, desc, pageSize);
          expect(pieces.flat()).toEqual(expected);
          for (const piece of pieces) {
            expect(piece.length).toBeGreaterThan(0);
            expect(piece.length).toBeLessThanOrEqual(PIECE_CALLS);
          }
          // A page of 40 is a piece of 32 and one of 8: 150 calls make 8 pieces.
          if (pageSize === 40) expect(pieces.map((p) => p.length)).toEqual([32, 8, 32, 8, 32, 8, 30]);
        }
      });
    }
  }

  it('encodes each piece as the UTF-8 bytes of its rendering', async () => {
    const h = await openCallHistory(ctx(), { from: '2024-05-02T00:00:00Z', till: '2024-05-02T23:59:59Z', userId });
    const render = (calls: { id: number; src: string }[]) => calls.map((c) => `${c.id}:${c.src}→;`).join('');
    const bytes: Uint8Array[] = [];
    for await (const piece of encodedPages(h.pages, render)) bytes.push(piece);
    const text = new TextDecoder().decode(Buffer.concat(bytes));
    const expected = [...fixtures].sort((a, b) => a.at - b.at || a.id - b.id).map((f) => `${f.id}:${f.src}→;`);
    expect(text).toBe(expected.join(''));
    expect(bytes.length).toBe(Math.ceil(N / PIECE_CALLS));
  });
});
