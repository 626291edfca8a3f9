import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { customrates } from '../../src/db/schema/rating.ts';
import type { Ctx } from '../../src/domain/ctx.ts';
import { getRate } from '../../src/domain/rating/getRate.ts';
import { ctxFor } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import {
  createCustomRate,
  createDestination,
  createDestinationGroup,
  createRetailRate,
  createTariff,
  createUser,
  setUserTariff,
} from '../helpers/factories.ts';
import { viaSqlAndIndex } from '../helpers/rateIndex.ts';

/*
 * Property: for random destinations (some in no group), random retail tariffs and random custom rates
 * (some without intervals, which must be ignored), the lookup answers what a brute-force scan answers:
 * longest destination → its group → the user's custom rate → the tariff's rate.
 */

const api = useTestApp();
let ctx: Ctx;
let user: { id: number; username: string };
const groups: number[] = [];

beforeAll(async () => {
  ctx = await ctxFor(api, 'admin');
  user = await createUser(api.handle);
  for (const name of ['A', 'B', 'C']) groups.push((await createDestinationGroup(api.handle, name)).id);
});

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom('1', '2', '3'), { minLength: min, maxLength: max }).map((a) => a.join(''));
const price = fc.integer({ min: 0, max: 9999 }).map((n) => (n / 100).toString());
/** Per group: no rate, a rate, or (custom only) a rate without intervals. */
const perGroup = fc.array(fc.option(price, { nil: null }), { minLength: 3, maxLength: 3 });
const world = fc.record({
  destinations: fc.uniqueArray(fc.record({ prefix: digits(1, 4), group: fc.integer({ min: 0, max: 3 }) }), {
    maxLength: 15,
    selector: (d) => d.prefix,
  }),
  tariff: perGroup,
  custom: perGroup,
  emptyCustom: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
});
type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function reference(w: World, number: string, full: boolean): string | null {
  const matching = w.destinations.filter((d) => (full ? number.startsWith(d.prefix) : number === d.prefix));
  matching.sort((a, b) => b.prefix.length - a.prefix.length);
  const d = matching[0];
  if (!d || d.group === 0) return null;
  return w.custom[d.group - 1] ?? w.tariff[d.group - 1] ?? null;
}

async function seed(w: World) {
  for (const table of ['customrates', 'rates', 'destinations'])
    await api.handle.db.execute(sql.raw(`delete from ${table}`));
  const tariff = await createTariff(api.handle, { purpose: 'user' });
  await setUserTariff(api.handle, user.id, tariff.id);
  for (const d of w.destinations) {
    await createDestination(api.handle, { prefix: d.prefix, groupId: d.group === 0 ? 0 : groups[d.group - 1] });
  }
  for (let i = 0; i < 3; i++) {
    const t = w.tariff[i];
    const c = w.custom[i];
    if (t != null)
      await createRetailRate(api.handle, tariff.id, groups[i]!, [
        { price: t, duration: 30 },
        { price: '99', from: 31 },
      ]);
    if (c != null) await createCustomRate(api.handle, user.id, groups[i]!, [{ price: c }]);
    else if (w.emptyCustom[i])
      await api.handle.db.insert(customrates).values({ userId: user.id, destinationgroupId: groups[i]! });
  }
}

async function lookup(number: string, full: boolean): Promise<string | null> {
  try {
    const lines = await viaSqlAndIndex(ctx.rateIndex!, () =>
      getRate(
        ctx,
        { username: user.username, prefix: number, byFullDst: full },
        {
          showRatesForUsers: true,
          allowResellersAdminTariffs: false,
        },
      ),
    );
    // Full-number mode lists every interval; the first (lowest `from`) is the one compared.
    return lines[0]!.price;
  } catch (error) {
    if ((error as { detail?: string }).detail === 'rate') return null;
    throw error;
  }
}

describe('retail lookup (property)', () => {
  it('equals a brute-force scan: longest destination, its group, custom rate before tariff rate', async () => {
    await fc.assert(
      fc.asyncProperty(world, fc.array(digits(0, 7), { maxLength: 10 }), async (w, numbers) => {
        await seed(w);
        for (const number of [...numbers, ...w.destinations.map((d) => d.prefix)]) {
          for (const full of [true, false]) {
            expect(await lookup(number, full), `${number} full=${full}`).toBe(reference(w, number, full));
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
