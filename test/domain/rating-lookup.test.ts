import { inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { destinations, ratedetails, rates } from '../../src/db/schema/rating.ts';
import type { Ctx } from '../../src/domain/ctx.ts';
import { getRate } from '../../src/domain/rating/getRate.ts';
import { upsertRates } from '../../src/domain/rating/rates/upsertRates.ts';
import { ctxFor } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { createDestination, createTariff, createUser, setUserTariff } from '../helpers/factories.ts';
import { viaSqlAndIndex } from '../helpers/rateIndex.ts';

/*
 * Property: for random wholesale tariffs (overlapping prefixes over a 3-digit alphabet, undated, past
 * and future effective dates) and random dialled numbers, the one-statement lookup and the rate index
 * answer exactly what a brute-force scan of every rate answers (price and destination name), for both
 * shapes a tariff comes in: rates inserted over a shared destination set (digits 1-3), and rates
 * loaded as operators load them, through upsertRates (rates.upsertMany), each new prefix getting its
 * own destination named from a few repeated names (digits 4-6).
 */

const api = useTestApp();
const NOW = new Date('2030-06-15T12:00:00Z');
const HOUR = 3_600_000;
let ctx: Ctx;
let userId: number;

beforeAll(async () => {
  ctx = { ...(await ctxFor(api, 'admin')), clock: () => NOW };
  userId = (await createUser(api.handle)).id;
});

type Shape = 'shared' | 'own';
const NAMES = ['Germany Mobile', 'France Fixed', 'United Kingdom'];

interface RateSpec {
  prefix: string;
  /** Destination name for a new prefix (shape 'own'). */
  name: number;
  /** Hours from NOW; null = undated. */
  offset: number | null;
  price: string;
}

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom('1', '2', '3'), { minLength: min, maxLength: max }).map((a) => a.join(''));
const rateSpec = fc.record({
  prefix: digits(1, 5),
  name: fc.integer({ min: 0, max: NAMES.length - 1 }),
  offset: fc.option(fc.integer({ min: -48, max: 48 }), { nil: null }),
  price: fc.integer({ min: 0, max: 99_999 }).map((n) => (n / 1000).toString()),
});
const tariffSpec = fc.uniqueArray(rateSpec, {
  minLength: 0,
  maxLength: 25,
  selector: (r) => `${r.prefix}@${r.offset}`,
});

/** Shape 'own' lives on digits 4-6, so its prefixes never meet the shared destinations of 1-3. */
const shift = (shape: Shape, s: string) => (shape === 'own' ? s.replace(/[123]/g, (d) => String(Number(d) + 3)) : s);

/** The reference: scan every rate; effective ones whose prefix starts the number; longest, then newest. */
function reference(tariff: RateSpec[], number: string, full: boolean): RateSpec | null {
  const effective = tariff.filter((r) => r.offset === null || r.offset <= 0);
  const matching = effective.filter((r) => (full ? number.startsWith(r.prefix) : number === r.prefix));
  matching.sort(
    (a, b) =>
      b.prefix.length - a.prefix.length ||
      (b.offset ?? Number.NEGATIVE_INFINITY) - (a.offset ?? Number.NEGATIVE_INFINITY),
  );
  return matching[0] ?? null;
}

/** Destination names by prefix, as stored (the brute-force side reads them directly). */
async function namesOf(prefixes: string[]): Promise<Map<string, string>> {
  if (prefixes.length === 0) return new Map();
  const rows = await api.handle.db
    .select({ prefix: destinations.prefix, name: destinations.name })
    .from(destinations)
    .where(inArray(destinations.prefix, prefixes));
  return new Map(rows.map((r) => [r.prefix, r.name]));
}

async function seed(tariff: RateSpec[], shape: Shape): Promise<number> {
  const t = await createTariff(api.handle);
  await setUserTariff(api.handle, userId, t.id);
  if (tariff.length === 0) return t.id;
  if (shape === 'own') {
    await upsertRates(ctx, {
      tariffId: t.id,
      rates: tariff.map((r) => ({
        prefix: r.prefix,
        price: r.price,
        destination: NAMES[r.name]!,
        effectiveFrom: r.offset === null ? null : new Date(NOW.getTime() + r.offset * HOUR).toISOString(),
      })),
    });
    return t.id;
  }
  const ids = new Map<string, number>();
  for (const prefix of new Set(tariff.map((r) => r.prefix))) {
    ids.set(prefix, (await createDestination(api.handle, { prefix })).id);
  }
  const inserted = await api.handle.db
    .insert(rates)
    .values(
      tariff.map((r) => ({
        tariffId: t.id,
        prefix: r.prefix,
        destinationId: ids.get(r.prefix)!,
        effectiveFrom: r.offset === null ? null : new Date(NOW.getTime() + r.offset * HOUR),
      })),
    )
    .returning({ id: rates.id });
  await api.handle.db
    .insert(ratedetails)
    .values(inserted.map((row, i) => ({ rateId: row.id, rate: tariff[i]!.price })));
  return t.id;
}

async function lookup(
  username: string,
  number: string,
  full: boolean,
): Promise<{ price: string; name: string } | null> {
  try {
    const lines = await viaSqlAndIndex(ctx.rateIndex!, () =>
      getRate(
        ctx,
        { username, prefix: number, byFullDst: full },
        {
          showRatesForUsers: true,
          allowResellersAdminTariffs: false,
        },
      ),
    );
    expect(lines).toHaveLength(1);
    return { price: lines[0]!.price, name: lines[0]!.name };
  } catch (error) {
    if ((error as { detail?: string }).detail === 'rate') return null;
    throw error;
  }
}

describe('longest-prefix lookup (property)', () => {
  it('equals a brute-force scan for random wholesale tariffs of both shapes, in both modes', async () => {
    const { username } = (await api.handle.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, userId) }))!;
    const shapes = fc.constantFrom<Shape>('shared', 'own');
    await fc.assert(
      fc.asyncProperty(
        shapes,
        tariffSpec,
        fc.array(digits(0, 9), { minLength: 1, maxLength: 12 }),
        async (shape, spec, dialled) => {
          const tariff = spec.map((r) => ({ ...r, prefix: shift(shape, r.prefix) }));
          await seed(tariff, shape);
          const names = await namesOf(tariff.map((r) => r.prefix));
          // Also probe every prefix itself, so exact matches are always exercised.
          for (const number of [...dialled.map((d) => shift(shape, d)), ...tariff.map((r) => r.prefix)]) {
            for (const full of [true, false]) {
              const chosen = reference(tariff, number, full);
              const expected = chosen && { price: chosen.price, name: names.get(chosen.prefix)! };
              expect(await lookup(username, number, full), `${shape} ${number} full=${full}`).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
