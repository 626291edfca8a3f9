import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { lcrs } from '../../src/db/schema/lcrs.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { AT_ONCE, oneWins, ROUNDS, race } from './race.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
const named = async (name: string) =>
  (await api.handle.db.select({ n: count() }).from(lcrs).where(eq(lcrs.name, name)))[0]!.n;

// LCR names have no unique index: before the lock, on Postgres, 8 creates (or renames) at once to one
// name made 4 LCRs with it per round (20 of 40 succeeded).
describe('LCRs under concurrency', () => {
  it('creates one LCR per name; the others answer "Name must be unique"', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `race-${round}`;
      const outcomes = await race(AT_ONCE, () => admin().lcrs.create.mutate({ name }));
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'BAD_REQUEST: LCR was not created: Name must be unique').sort());
      expect(await named(name)).toBe(1);
    }
  });

  it('renames one of several LCRs renamed to one name at once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) ids.push((await admin().lcrs.create.mutate({ name: `before-${i}` })).id);
    for (let round = 0; round < ROUNDS; round++) {
      const name = `renamed-${round}`;
      const outcomes = await race(AT_ONCE, (i) => admin().lcrs.update.mutate({ id: ids[i]!, name }));
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'BAD_REQUEST: LCR was not updated: Name must be unique').sort());
      expect(await named(name)).toBe(1);
    }
  });
});
