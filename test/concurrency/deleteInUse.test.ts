import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';
import { AT_ONCE, ROUNDS, race } from './race.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

/** After a delete and an assignment of one object at once: it exists and is used, or it is gone and unused. */
async function settled(table: string, id: number, users: string) {
  const [row] = await queryRows<{ exists: boolean; used: number }>(
    api.handle.db,
    sql`select exists (select 1 from ${sql.raw(table)} where id = ${id}::int) as exists,
      (select count(*)::int from users where ${sql.raw(users)} = ${id}::int) as used`,
  );
  return row!;
}

// deleteTariff checked "no user has it", then deleted; a users.update giving a user the tariff at once
// passed its "Tariff not found" check too, and the user was left with a deleted tariff (unratable).
describe('deletes racing an assignment of the same object', () => {
  it('tariffs.delete and users.update giving the tariff: one wins', async () => {
    const users: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) users.push((await createUser(api.handle)).id);
    for (let round = 0; round < ROUNDS; round++) {
      const tariffs: number[] = [];
      for (let i = 0; i < AT_ONCE; i++) {
        tariffs.push((await admin().tariffs.create.mutate({ name: `t-${round}-${i}`, purpose: 'user' })).id);
      }
      const outcomes = await race(2 * AT_ONCE, (n) => {
        const i = n >> 1;
        return (n + round) % 2 === 0
          ? admin().tariffs.delete.mutate({ id: tariffs[i]! })
          : admin().users.update.mutate({ id: users[i]!, tariffId: tariffs[i]! });
      });
      for (const [i, id] of tariffs.entries()) {
        const pair = [outcomes[2 * i], outcomes[2 * i + 1]];
        const [del, assign] = round % 2 === 0 ? pair : [pair[1], pair[0]];
        const state = await settled('tariffs', id, 'tariff_id');
        if (del === 'ok') {
          expect(assign).toBe('BAD_REQUEST: Tariff not found');
          expect(state).toEqual({ exists: false, used: 0 });
        } else {
          expect([del, assign]).toEqual(['CONFLICT: Tariff is assigned to users', 'ok']);
          expect(state).toEqual({ exists: true, used: 1 });
        }
      }
    }
  });
});
