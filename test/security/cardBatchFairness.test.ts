import { describe, expect, it } from 'vitest';
import { callerAs } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createCardGroup, createUser } from '../helpers/factories.ts';

/**
 * One request must not hold the database for its whole work (issue #10 §4): while a big card batch
 * runs (on PGlite one connection serves everyone), a small request of another caller completes within
 * a bound, because the batch commits chunk by chunk and lets waiting requests in between.
 */
const api = useTestApp();
const CARDS = 40_000;

describe('a big card batch leaves room for other requests', () => {
  it(`creates ${CARDS} cards while concurrent user_balance_update calls stay quick`, async () => {
    const group = await createCardGroup(api.handle, { numberLength: 10, pinLength: 8, price: '1' });
    const user = await createUser(api.handle, { balance: '0' });
    const admin = await callerAs(api, TEST.adminUsername);
    const started = performance.now();
    let done = false;
    const batch = admin.cards
      .createBatch({ cardGroupId: group.id, cardsFrom: '1000000000', cardsTill: String(1_000_000_000 + CARDS - 1) })
      .finally(() => {
        done = true;
      });
    const latencies: number[] = [];
    while (!done) {
      // The next request arrives as I/O would (a macrotask), not in the same microtask chain.
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (done) break;
      const t = performance.now();
      const res = await api.call(
        'user_balance_update',
        { u: TEST.adminUsername, user_id: String(user.id), balance: '1' },
        { hashOf: ['user_id', 'balance'] },
      );
      expect(res.body).toContain('User balance updated');
      latencies.push(performance.now() - t);
    }
    const result = await batch;
    const total = performance.now() - started;
    const worst = Math.max(0, ...latencies);
    console.log(
      `card batch: ${result.created}/${result.requested} cards in ${total.toFixed(0)} ms; ` +
        `${latencies.length} concurrent user_balance_update, worst ${worst.toFixed(0)} ms, ` +
        `median ${(latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)] ?? 0).toFixed(0)} ms`,
    );
    expect(result.created).toBe(CARDS);
    // Generous: a small request waits at most about one chunk, far less than the whole batch.
    expect(latencies.length).toBeGreaterThanOrEqual(3);
    expect(worst).toBeLessThan(Math.max(1_500, total / 3));
  }, 120_000);
});
