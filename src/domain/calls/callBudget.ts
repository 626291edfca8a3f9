import type { LookupRow } from '../rating/lookupQuery.ts';

/**
 * The money side of calls.authorize, in exact rationals of bigints: what a payer may spend, the price of
 * a call of n seconds exactly as ingest computes and rounds it, and the longest call that fits.
 */

/** The longest call authorize ever allows (a day), also the answer when money is no limit. */
export const MAX_CALL_SECONDS = 86_400;

/** A payer's chosen bands in effect, as calculator.cost picks them, with the currency's exchange rate. */
export interface Priced {
  bands: LookupRow[];
  wholesale: boolean;
  currency: string;
  exchange: string;
}

/** An exact rational: numerator and denominator. */
export interface Q {
  n: bigint;
  d: bigint;
}
const dec = (s: string): Q => {
  const neg = s.startsWith('-');
  const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
  const n = BigInt((i || '0') + f);
  return { n: neg ? -n : n, d: 10n ** BigInt(f.length) };
};
const add = (a: Q, b: Q): Q => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const div = (a: Q, b: Q): Q => ({ n: a.n * b.d, d: a.d * b.n });
const cmp = (a: Q, b: Q): number => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};
/** Round half up to 6 decimals (non-negative values). */
const round6 = (q: Q): Q => ({ n: (q.n * 2_000_000n + q.d) / (2n * q.d), d: 1_000_000n });

/** A rational as a decimal string with 6 decimals (half up, non-negative). */
function sixDecimals(q: Q): string {
  const n = round6(q).n;
  return `${n / 1_000_000n}.${String(n % 1_000_000n).padStart(6, '0')}`;
}

/** A tariff-currency rate in the system currency, 6 decimals (the route's user rate). */
export const systemRate = (price: string, exchange: string): string => sixDecimals(div(dec(price), dec(exchange)));

/** The user's rate in the system currency is above its Max Call Rate (0 = no limit). */
export const aboveMaxCallRate = (price: string, exchange: string, maxCallRate: string): boolean =>
  Number(maxCallRate) > 0 && cmp(div(dec(price), dec(exchange)), dec(maxCallRate)) > 0;

/** What a payer may spend: balance, plus credit when postpaid (−1: unlimited → null). */
export function money(postpaid: boolean, balance: string, credit: string): Q | null {
  if (!postpaid) return dec(balance);
  if (Number(credit) < 0) return null;
  return add(dec(balance), dec(credit));
}

const ZERO: Q = { n: 0n, d: 1n };

/**
 * The price of `secs` answered seconds in the tariff currency, exactly as ingest computes it, as a
 * function: the bands' decimals are parsed once, since affordable() prices ~20 durations per payer.
 */
function priceOfSeconds(p: Priced): (secs: number) => Q {
  if (p.wholesale) {
    const b = p.bands[0]!;
    const inc = Math.max(b.increment ?? 1, 1);
    const minTime = b.min_time ?? 0;
    const fee = dec(b.connection_fee ?? '0');
    const rate = dec(b.price!);
    const perMinute = rate.d * 60n;
    return (secs) =>
      secs === 0
        ? ZERO
        : add(fee, { n: rate.n * BigInt(Math.max(minTime, Math.ceil(secs / inc) * inc)), d: perMinute });
  }
  const bands = p.bands.map((b) => {
    const from = b.from ?? 1;
    return {
      price: dec(b.price!),
      event: b.artype === 'event',
      from,
      end: b.duration === -1 || b.duration === null ? null : from + b.duration - 1,
      step: Math.max(b.round ?? 1, 1),
    };
  });
  return (secs) => {
    if (secs === 0) return ZERO;
    let total = ZERO;
    for (const b of bands) {
      if (b.event) {
        if (secs >= b.from) total = add(total, b.price);
        continue;
      }
      const billed = Math.ceil(Math.max(0, Math.min(secs, b.end ?? secs) - (b.from - 1)) / b.step) * b.step;
      total = add(total, { n: b.price.n * BigInt(billed), d: b.price.d * 60n });
    }
    return total;
  };
}

/** The longest call (≤ a day) whose price, rounded and converted as ingest charges it, fits `budget`. */
export function affordable(p: Priced, budget: Q | null): number {
  if (budget === null) return MAX_CALL_SECONDS;
  const priceAt = priceOfSeconds(p);
  const exchange = dec(p.exchange);
  const fits = (s: number) => cmp(round6(div(round6(priceAt(s)), exchange)), budget) <= 0;
  if (!fits(1)) return 0;
  if (fits(MAX_CALL_SECONDS)) return MAX_CALL_SECONDS;
  let lo = 1;
  let hi = MAX_CALL_SECONDS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
