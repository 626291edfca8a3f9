import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { randomString } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';
import type { GroupRow } from './findCardGroup.ts';

/** Cards per INSERT: big enough to amortise round trips, small enough to keep memory flat. */
export const CHUNK = 5_000;
/** PIN draws per chunk before giving up (capacity ≤ 20 % keeps collisions rare: ~0.2^n). */
const MAX_DRAWS = 30;

export interface NewCardValues {
  batchNumber: string;
  minBalance: string;
  language: string;
  distributorId: number;
}

/** A Postgres text[] literal of digit strings (numbers and PINs need no quoting). */
const digitsArray = (values: readonly string[]) => `{${values.join(',')}}`;

/**
 * Inserts the range chunk by chunk with one multi-row INSERT … SELECT FROM unnest(…) each, skipping
 * numbers that exist. A PIN drawn twice (or already used) makes its row conflict: those numbers are
 * drawn again. Memory holds one chunk at a time, whatever the range. Returns the cards created.
 */
export async function insertRange(
  tx: Ctx,
  group: GroupRow,
  from: string,
  till: string,
  values: NewCardValues,
): Promise<number> {
  const width = group.numberLength;
  const last = BigInt(till);
  let created = 0;
  for (let start = BigInt(from); start <= last; start += BigInt(CHUNK)) {
    const end = start + BigInt(CHUNK) - 1n < last ? start + BigInt(CHUNK) - 1n : last;
    const pad = (n: bigint) => n.toString().padStart(width, '0');
    const taken = new Set(
      (
        await queryRows<{ number: string }>(
          tx.db,
          sql`select number from cards where length(number) = ${width}::int
            and number between ${pad(start)}::text and ${pad(end)}::text`,
        )
      ).map((r) => r.number),
    );
    let pending: string[] = [];
    for (let n = start; n <= end; n++) if (!taken.has(pad(n))) pending.push(pad(n));
    for (let draw = 0; pending.length > 0; draw++) {
      if (draw === MAX_DRAWS) throw new Error(`calling cards: no free PINs after ${MAX_DRAWS} draws`);
      const inserted = await insertChunk(tx, group, pending, drawPins(pending.length, group.pinLength), values);
      created += inserted.size;
      const left = pending.filter((n) => !inserted.has(n));
      // A number a concurrent request created meanwhile stays skipped; the rest had a PIN clash.
      pending = left.length === 0 ? left : await stillFree(tx, left);
    }
  }
  return created;
}

/** `count` random PINs of `length` digits, distinct among themselves (Web Crypto, no modulo bias). */
function drawPins(count: number, length: number): string[] {
  const pins = new Set<string>();
  while (pins.size < count) pins.add(randomString(length, '0123456789'));
  return [...pins];
}

async function insertChunk(
  tx: Ctx,
  group: GroupRow,
  numbers: string[],
  pins: string[],
  values: NewCardValues,
): Promise<Set<string>> {
  const rows = await queryRows<{ number: string }>(
    tx.db,
    sql`insert into cards (cardgroup_id, owner_id, number, pin, balance, min_balance, batch_number, language, user_id)
      select ${group.id}::int, ${group.ownerId}::int, n, p, ${group.price}::numeric, ${values.minBalance}::numeric,
        ${values.batchNumber}::text, ${values.language}::text, ${values.distributorId}::int
      from unnest(${digitsArray(numbers)}::text[], ${digitsArray(pins)}::text[]) as t(n, p)
      on conflict do nothing
      returning number`,
  );
  return new Set(rows.map((r) => r.number));
}

async function stillFree(tx: Ctx, numbers: string[]): Promise<string[]> {
  const rows = await queryRows<{ number: string }>(
    tx.db,
    sql`select number from cards where number = any(${digitsArray(numbers)}::text[])`,
  );
  const existing = new Set(rows.map((r) => r.number));
  return numbers.filter((n) => !existing.has(n));
}
