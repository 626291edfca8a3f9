import * as v from 'valibot';
import { DomainError } from '../errors.ts';
import { Decimal, Prefix, Seconds } from './values.ts';

/** One wholesale rate to upsert: an all-day band of a prefix, optionally from an effective date. */
export const RateRow = v.object({
  prefix: Prefix,
  /** Price per minute in the tariff currency. */
  price: Decimal,
  /** Destination name, used when the prefix has no destination yet (imports create it, in no group). */
  destination: v.optional(v.pipe(v.string(), v.maxLength(200))),
  connectionFee: v.optional(Decimal),
  /** Billing step in seconds (≥ 1). */
  increment: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3600))),
  minTime: v.optional(Seconds),
  /** ISO 8601 with an offset; CSV `YYYY-MM-DD HH:MM:SS` is read in the importing account's time zone. */
  effectiveFrom: v.optional(v.nullable(v.string())),
});
export type RateRow = v.InferOutput<typeof RateRow>;

const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Row-level validation failures of an import; nothing was written. */
export class RowProblems extends DomainError {
  constructor(readonly problems: string[]) {
    const shown = problems.slice(0, 20).join('; ');
    super('INVALID', 'rows', problems.length > 20 ? `${shown}; … ${problems.length - 20} more` : shown);
  }
}

/**
 * Validates every row (1-based numbers in messages), including duplicates of prefix + effective date
 * inside the request, and returns the clean rows. Never stops at the first problem.
 */
export function validateRateRows(input: readonly unknown[], rowBase = 1): { rows: RateRow[]; problems: string[] } {
  const rows: RateRow[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  input.forEach((raw, i) => {
    const n = i + rowBase;
    const parsed = v.safeParse(RateRow, raw);
    if (!parsed.success) {
      for (const issue of parsed.issues) {
        const field = issue.path?.map((p) => String(p.key)).join('.') ?? '';
        problems.push(`row ${n}: ${field ? `${field} ` : ''}${issue.message}`);
      }
      return;
    }
    const row = parsed.output;
    if (row.effectiveFrom && (!ISO.test(row.effectiveFrom) || Number.isNaN(Date.parse(row.effectiveFrom)))) {
      problems.push(`row ${n}: effectiveFrom must be an ISO 8601 date-time`);
      return;
    }
    // Same instant written two ways is the same date (an offset-less date is compared as written).
    const eff = row.effectiveFrom;
    const key = `${row.prefix}@${eff ? (/(Z|[+-]\d{2}:\d{2})$/.test(eff) ? Date.parse(eff) : eff) : ''}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`row ${n}: duplicate of row ${first} (same prefix and effective date)`);
    else seen.set(key, n);
    rows.push(row);
  });
  return { rows, problems };
}

/**
 * Reads the CSV openmor accepts for wholesale rates: `prefix,price[,connection_fee,increment,min_time,
 * effective_from,destination]`, an optional header line starting with `prefix`, `,` or `;` separated.
 */
export function parseRatesCsv(text: string): unknown[] {
  const lines = text.split(/\r?\n/);
  if (/^\s*"?prefix"?\s*[,;]/i.test(lines[0] ?? '')) lines.shift();
  const out: unknown[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const cells = line.split(/[,;]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    const [prefix = '', price = '', fee, increment, minTime, effectiveFrom, destination] = cells;
    const int = (s: string | undefined) => (s === undefined || s === '' ? undefined : /^\d+$/.test(s) ? +s : s);
    out.push({
      prefix,
      price,
      connectionFee: fee || undefined,
      increment: int(increment),
      minTime: int(minTime),
      effectiveFrom: effectiveFrom || undefined,
      destination: destination || undefined,
    });
  }
  return out;
}
