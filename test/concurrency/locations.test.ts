import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { locationGroups, locationRules } from '../../src/db/schema/devices.ts';
import { locations } from '../../src/db/schema/stubs.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { AT_ONCE, oneWins, ROUNDS, race } from './race.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
const locationsNamed = async (name: string) =>
  (await api.handle.db.select({ n: count() }).from(locations).where(eq(locations.name, name)))[0]!.n;
const groupsNamed = async (name: string) =>
  (await api.handle.db.select({ n: count() }).from(locationGroups).where(eq(locationGroups.name, name)))[0]!.n;

// Measured on Postgres before the locks: creates of one location name made 2-3 locations per round and
// creates of distinct names failed with internal errors (10 of 40: setval then insert handed two
// creators one id); location group creates and renames answered internal errors (15 of 40 each);
// creates of one location rule pattern made 4 rules per round.
describe('locations under concurrency', () => {
  it('creates one location per name, and every location of distinct names', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `race-${round}`;
      const outcomes = await race(AT_ONCE, () => admin().locations.create.mutate({ name }));
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'CONFLICT: Location name must be unique').sort());
      expect(await locationsNamed(name)).toBe(1);
      const distinct = await race(AT_ONCE, (i) => admin().locations.create.mutate({ name: `own-${round}-${i}` }));
      expect(distinct).toEqual(Array(AT_ONCE).fill('ok'));
    }
  });

  it('renames one of several locations renamed to one name at once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) ids.push((await admin().locations.create.mutate({ name: `before-${i}` })).id);
    for (let round = 0; round < ROUNDS; round++) {
      const name = `renamed-${round}`;
      const outcomes = await race(AT_ONCE, (i) => admin().locations.update.mutate({ id: ids[i]!, name }));
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'CONFLICT: Location name must be unique').sort());
      expect(await locationsNamed(name)).toBe(1);
    }
  });

  it('creates and renames one location group per name', async () => {
    const ids: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const name = `group-${round}`;
      const outcomes = await race(AT_ONCE, () => admin().locationGroups.create.mutate({ name }));
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'CONFLICT: Location Group name must be unique').sort());
      expect(await groupsNamed(name)).toBe(1);
    }
    for (let i = 0; i < AT_ONCE; i++) ids.push((await admin().locationGroups.create.mutate({ name: `g-${i}` })).id);
    for (let round = 0; round < ROUNDS; round++) {
      const name = `regrouped-${round}`;
      const outcomes = await race(AT_ONCE, (i) => admin().locationGroups.update.mutate({ id: ids[i]!, name }));
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'CONFLICT: Location Group name must be unique').sort());
      expect(await groupsNamed(name)).toBe(1);
    }
  });

  it('creates one location rule per pattern; the others answer "Rule must be unique"', async () => {
    const { id: locationId } = await admin().locations.create.mutate({ name: 'rules' });
    for (let round = 0; round < ROUNDS; round++) {
      const outcomes = await race(AT_ONCE, () =>
        admin().locationRules.create.mutate({ locationId, name: 'n', cut: `${round}9` }),
      );
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'BAD_REQUEST: Rule must be unique').sort());
    }
    const [rules] = await api.handle.db
      .select({ n: count() })
      .from(locationRules)
      .where(eq(locationRules.locationId, locationId));
    expect(rules!.n).toBe(ROUNDS);
  });
});
