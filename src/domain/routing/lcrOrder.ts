/**
 * LCR ordering rules that routeCall applies after it has priced the providers, as pure functions:
 * the percent order's weighted random draw and the price order's first-provider percent limit.
 */

/** A decimal text (negative allowed) as an integer of millionths, for exact comparisons. */
export function micro(value: string): bigint {
  let n = micros.get(value);
  if (n === undefined) {
    const neg = value.startsWith('-');
    const [i = '0', f = ''] = (neg ? value.slice(1) : value).split('.');
    const abs = BigInt(i || '0') * 1_000_000n + BigInt(f.padEnd(6, '0').slice(0, 6));
    n = neg ? -abs : abs;
    // Routing compares a few thousand distinct rates over and over: parse each once (bounded).
    if (micros.size >= 50_000) micros.clear();
    micros.set(value, n);
  }
  return n;
}
const micros = new Map<string, bigint>();

/**
 * Routing by percent ("Routing by Percent" wiki page): the first provider is drawn at random with
 * probability share / sum of shares, the next one the same way among those left, and so on — A 50 %,
 * B 30 %, C 20 % gives A first in half the calls, and B-A-C in 0.3 × 0.5 / 0.7 of them. Providers
 * whose shares are all 0 (or the rest once only 0 % ones are left) keep the given order, so a 0 %
 * provider is only ever tried after every provider with a share. `random` answers [0, 1).
 */
export function percentOrder<T>(items: readonly T[], share: (item: T) => number, random: () => number): T[] {
  const left = [...items];
  const out: T[] = [];
  for (;;) {
    const total = left.reduce((sum, item) => sum + Math.max(share(item), 0), 0);
    if (total <= 0) return [...out, ...left];
    let point = random() * total;
    let pick = left.findIndex((item) => {
      const w = Math.max(share(item), 0);
      if (w > 0 && point < w) return true;
      point -= w;
      return false;
    });
    // Rounding at the very top of the range: the last provider with a share.
    if (pick < 0) pick = left.findLastIndex((item) => share(item) > 0);
    out.push(left.splice(pick, 1)[0]!);
  }
}

/**
 * "First Providers percent limit" of a price-ordered LCR ("LCR" and "Call Routing by price" wiki
 * pages): a provider after the first whose price is higher than the first provider's by more than
 * `limitPercent` % is skipped (0.10 first, limit 20 %: 0.11 is tried, 0.30 is not). A limit of 0 (or
 * less) disables it. `price` gives each provider's system-currency rate; `items` are already in
 * price order.
 */
export function withinFirstPercent<T>(items: readonly T[], price: (item: T) => string, limitPercent: string): T[] {
  const limit = micro(limitPercent);
  if (limit <= 0n || items.length === 0) return [...items];
  const first = micro(price(items[0]!));
  // price ≤ first × (1 + limit / 100), in millionths: price × 100 × 10⁶ ≤ first × (100 × 10⁶ + limit).
  const ceiling = first * (100_000_000n + limit);
  return items.filter((item, i) => i === 0 || micro(price(item)) * 100_000_000n <= ceiling);
}
