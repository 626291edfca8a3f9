import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { phonebooks } from '../../src/db/schema/phonebooks.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';
import { AT_ONCE, oneWins, ROUNDS, race } from './race.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

// Speed dials have no unique index: before the lock, on Postgres, 8 creates at once of one user's
// speed dial made 4 records with it per round (20 of 40 succeeded).
describe('phonebooks under concurrency', () => {
  it("creates one record per speed dial of a user; the others answer 'Speed dial must be unique'", async () => {
    const { id: userId } = await createUser(api.handle);
    for (let round = 0; round < ROUNDS; round++) {
      const speeddial = `${round}3`;
      const outcomes = await race(AT_ONCE, (i) =>
        admin().phonebooks.create.mutate({ userId, number: `55${i}`, name: 'x', speeddial }),
      );
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'BAD_REQUEST: Speed dial must be unique').sort());
      const [n] = await api.handle.db
        .select({ n: count() })
        .from(phonebooks)
        .where(and(eq(phonebooks.userId, userId), eq(phonebooks.speeddial, speeddial)));
      expect(n!.n).toBe(1);
    }
  });
});
