import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tariffs } from '../../src/db/schema/rating.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { AT_ONCE, oneWins, ROUNDS, race } from './race.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
const named = async (name: string) =>
  (await api.handle.db.select({ n: count() }).from(tariffs).where(eq(tariffs.name, name)))[0]!.n;

// checkTariffFields reads before the write; the unique index (owner, name) refused the second of two
// writes at once. Without answering that as the duplicate it is, on Postgres 35 of 40 creates and 26
// of 40 renames answered internal errors.
describe('tariffs under concurrency', () => {
  it('creates one tariff per name; the others answer "Tariff name must be unique"', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `race-${round}`;
      const outcomes = await race(AT_ONCE, () => admin().tariffs.create.mutate({ name, purpose: 'user_wholesale' }));
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'BAD_REQUEST: Tariff name must be unique').sort());
      expect(await named(name)).toBe(1);
    }
  });

  it('renames one of several tariffs renamed to one name at once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) {
      ids.push((await admin().tariffs.create.mutate({ name: `before-${i}`, purpose: 'provider' })).id);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const name = `renamed-${round}`;
      const outcomes = await race(AT_ONCE, (i) => admin().tariffs.update.mutate({ id: ids[i]!, name }));
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'BAD_REQUEST: Tariff name must be unique').sort());
      expect(await named(name)).toBe(1);
    }
  });

  it('tariff_wholesale_update creates one tariff per name; the others answer the documented problem', async () => {
    const problem = `${XML_DECL}\n<response>\n  <error>\n    <message>Tariff name must be unique</message>\n  </error>\n</response>\n`;
    for (let round = 0; round < ROUNDS; round++) {
      const name = `wholesale-${round}`;
      const answers = await Promise.all(
        Array.from({ length: AT_ONCE }, () =>
          api.call('tariff_wholesale_update', { u: 'admin', name }, { hashOf: ['id', 'name', 'currency'] }),
        ),
      );
      const bodies = answers.map((a) =>
        a.body === problem ? 'duplicate' : /<tariff_id>\d+</.test(a.body) ? 'ok' : a.body,
      );
      expect(bodies.sort()).toEqual(oneWins(AT_ONCE, 'duplicate').sort());
      expect(await named(name)).toBe(1);
    }
  });
});
