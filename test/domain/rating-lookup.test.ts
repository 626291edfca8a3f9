import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ratedetails, rates } from '../../src/db/schema/rating.ts';
import type { Ctx } from '../../src/domain/ctx.ts';
import { getRate } from '../../src/domain/rating/getRate.ts';
import { ctxFor } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { createDestination, createTariff, createUser, setUserTariff } from '../helpers/factories.ts';
import { viaSqlAndIndex } from '../helpers/rateIndex.ts';

/*
 * Property: for random wholesale tariffs (overlapping prefixes over a 3-digit alphabet, undated, past
 * and future effective dates) and random dialled numbers, the one-statement lookup answers exactly
 * what a brute-force scan of every rate answers.
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

interface RateSpec {
  prefix: string;
  /** Hours from NOW; null = undated. */
  offset: number | null;
  price: string;
}

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom('1', '2', '3'), { minLength: min, maxLength: max }).map((a) => a.join(''));
const rateSpec = fc.record({
  prefix: digits(1, 5),
  offset: fc.option(fc.integer({ min: -48, max: 48 }), { nil: null }),
  price: fc.integer({ min: 0, max: 99_999 }).map((n) => (n / 1000).toString()),
});
const tariffSpec = fc.uniqueArray(rateSpec, {
  minLength: 0,
  maxLength: 25,
  selector: (r) => `${r.prefix}@${r.offset}`,
});

/** The reference: scan every rate; effective ones whose prefix starts the number; longest, then newest. */
function reference(tariff: RateSpec[], number: string, full: boolean): string | null {
  const effective = tariff.filter((r) => r.offset === null || r.offset <= 0);
  const matching = effective.filter((r) => (full ? number.startsWith(r.prefix) : number === r.prefix));
  matching.sort(
    (a, b) =>
      b.prefix.length - a.prefix.length ||
      (b.offset ?? Number.NEGATIVE_INFINITY) - (a.offset ?? Number.NEGATIVE_INFINITY),
  );
  return matching[0]?.price ?? null;
}

async function seed(tariff: RateSpec[]): Promise<number> {
  const t = await createTariff(api.handle);
  await setUserTariff(api.handle, userId, t.id);
  if (tariff.length === 0) return t.id;
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

async function lookup(username: string, number: string, full: boolean): Promise<string | null> {
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
    return lines[0]!.price;
  } catch (error) {
    if ((error as { detail?: string }).detail === 'rate') return null;
    throw error;
  }
}

describe('longest-prefix lookup (property)', () => {
  it('equals a brute-force scan for random wholesale tariffs, in both modes', async () => {
    const { username } = (await api.handle.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, userId) }))!;
    await fc.assert(
      fc.asyncProperty(tariffSpec, fc.array(digits(0, 9), { minLength: 1, maxLength: 12 }), async (tariff, numbers) => {
        await seed(tariff);
        // Also probe every prefix itself, so exact matches are always exercised.
        for (const number of [...numbers, ...tariff.map((r) => r.prefix)]) {
          for (const full of [true, false]) {
            expect(await lookup(username, number, full), `${number} full=${full}`).toBe(
              reference(tariff, number, full),
            );
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
