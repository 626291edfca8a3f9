// Bulk work answers with counts and tells the operator its progress in the log every 10,000 rows:
// wholesale rate imports (rates.upsertMany, tariff_wholesale_update) and card batches.
import { describe, expect, it } from 'vitest';
import { createCardGroup } from '../../src/domain/cards/createCardGroup.ts';
import { createCards } from '../../src/domain/cards/createCards.ts';
import type { Ctx, Log } from '../../src/domain/ctx.ts';
import { upsertRates } from '../../src/domain/rating/rates/upsertRates.ts';
import { createTariff } from '../../src/domain/rating/tariffs/createTariff.ts';
import { ctxFor } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';

const api = useTestApp();

/** The admin's ctx with a log that keeps what it is told. */
async function capturing(): Promise<{ ctx: Ctx; lines: { msg: string; data?: Record<string, unknown> }[] }> {
  const lines: { msg: string; data?: Record<string, unknown> }[] = [];
  const keep = (msg: string, data?: Record<string, unknown>) => lines.push({ msg, ...(data ? { data } : {}) });
  const log: Log = { debug: keep, info: keep, warn: keep, error: keep };
  return { ctx: { ...(await ctxFor(api, TEST.adminUsername)), log }, lines };
}

describe('bulk work: counts and progress', () => {
  it('logs a rate import every 10,000 rows and answers the count', async () => {
    const { ctx, lines } = await capturing();
    const tariff = await createTariff(ctx, { name: 'Bulk', purpose: 'provider' });
    const rates = Array.from({ length: 10_001 }, (_, i) => ({ prefix: String(3_700_000 + i), price: '0.01' }));
    expect(await upsertRates(ctx, { tariffId: tariff.id, rates })).toEqual({ upserted: 10_001 });
    expect(lines.filter((l) => l.msg === 'rates import progress').map((l) => l.data)).toEqual([
      { tariffId: tariff.id, written: 10_000, total: 10_001 },
      { tariffId: tariff.id, written: 10_001, total: 10_001 },
    ]);
    // A small import stays quiet.
    await upsertRates(ctx, { tariffId: tariff.id, rates: rates.slice(0, 10) });
    expect(lines.filter((l) => l.msg === 'rates import progress')).toHaveLength(2);
  });

  it('logs a card batch every 10,000 cards and answers created / requested', async () => {
    const { ctx, lines } = await capturing();
    const group = await createCardGroup(ctx, { name: 'Bulk cards', pinLength: 8 });
    const made = await createCards(ctx, { cardGroupId: group.id, cardsFrom: '6000000000', cardsTill: '6000010004' });
    expect(made).toEqual({ created: 10_005, requested: 10_005 });
    expect(lines.filter((l) => l.msg === 'cards batch progress').map((l) => l.data)).toEqual([
      { cardGroupId: group.id, created: 10_000, requested: 10_005 },
    ]);
  });
});
