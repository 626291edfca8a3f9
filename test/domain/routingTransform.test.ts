import { describe, expect, it } from 'vitest';
import { percentOrder, withinFirstPercent } from '../../src/domain/routing/lcrOrder.ts';
import {
  applyProviderRules,
  firstMatch,
  type LocationRuleLike,
  localize,
  localizeByLocation,
  type ProviderRuleLike,
} from '../../src/domain/routing/transform.ts';

// Property test: the number transformation functions against a plain reference written independently
// (sort by id, filter, take the first; substring comparisons), on random rules and numbers.

/** mulberry32: a small seeded PRNG, so a failure is reproducible from the printed seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261206;
const RUNS = 3000;

function generator(seed: number) {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const digits = (lo: number, hi: number) => Array.from({ length: int(lo, hi) }, () => String(int(0, 3))).join('');
  const pick = <T>(xs: readonly T[]) => xs[int(0, xs.length - 1)]!;
  const ids = (n: number) => {
    const out = Array.from({ length: n }, (_, i) => i * 3 + int(1, 3));
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const window = () => {
    const minlen = int(0, 6);
    return { minlen, maxlen: int(minlen, 10) };
  };
  return {
    number: () => digits(0, 9),
    providerRules: (): ProviderRuleLike[] =>
      ids(int(0, 6)).map((id) => ({
        id,
        enabled: rnd() < 0.8 ? 1 : 0,
        cut: digits(0, 3),
        add: digits(0, 3),
        ...window(),
        suffix: rnd() < 0.3 ? '#' : '',
        prType: pick(['dst', 'src']),
        tariffId: null,
      })),
    locationRules: (): LocationRuleLike[] =>
      ids(int(0, 6)).map((id) => {
        const src = window();
        return {
          id,
          enabled: rnd() < 0.8 ? 1 : 0,
          cut: digits(0, 3),
          add: digits(0, 3),
          ...window(),
          lrType: pick(['dst', 'src', 'combined']),
          srcCut: digits(0, 2),
          srcAdd: digits(0, 2),
          srcMinlen: src.minlen,
          srcMaxlen: src.maxlen,
          // A location group (CallerID prefixes; empty: matches no CallerID), on a third of the rules.
          group: rnd() < 0.33 ? Array.from({ length: int(0, 3) }, () => digits(1, 2)) : null,
        };
      }),
  };
}

// ---- the reference ----
const fits = (n: string, cut: string, minlen: number, maxlen: number) =>
  n.substring(0, cut.length) === cut && minlen <= n.length && n.length <= maxlen;
const inGroup = (r: LocationRuleLike, src: string) =>
  !r.group || r.group.filter((p) => src.substring(0, p.length) === p).length > 0;
const byId = <R extends { id: number }>(rules: readonly R[]) => [...rules].sort((a, b) => a.id - b.id);

function refProvider(rules: readonly ProviderRuleLike[], dst: string, src: string) {
  const live = byId(rules).filter((r) => r.enabled === 1);
  const d = live.find((r) => r.prType === 'dst' && fits(dst, r.cut, r.minlen, r.maxlen));
  const s = live.find((r) => r.prType === 'src' && fits(src, r.cut, r.minlen, r.maxlen));
  return {
    dst: d ? d.add + dst.substring(d.cut.length) + (d.suffix ?? '') : dst,
    src: s ? s.add + src.substring(s.cut.length) : src,
    dstRule: d?.id,
    srcRule: s?.id,
  };
}

function refLocalize(rules: readonly LocationRuleLike[], dst: string, src: string) {
  const live = byId(rules).filter((r) => r.enabled === 1);
  const d = live.find(
    (r) =>
      fits(dst, r.cut, r.minlen, r.maxlen) &&
      (r.lrType === 'dst' ||
        (r.lrType === 'combined' && fits(src, r.srcCut, r.srcMinlen, r.srcMaxlen) && inGroup(r, src))),
  );
  if (d && d.lrType === 'combined')
    return {
      dst: d.add + dst.substring(d.cut.length),
      src: d.srcAdd + src.substring(d.srcCut.length),
      dstRule: d.id,
      srcRule: undefined,
    };
  const s = live.find((r) => r.lrType === 'src' && fits(src, r.cut, r.minlen, r.maxlen));
  return {
    dst: d ? d.add + dst.substring(d.cut.length) : dst,
    src: s ? s.add + src.substring(s.cut.length) : src,
    dstRule: d?.id,
    srcRule: s?.id,
  };
}

/**
 * Tiered localization, written from the wiki's sentence: the device location's rules first, Global's
 * only where the device's location has none for the number. A combined rule rewrites the CallerID too,
 * unless it is Global's and the device's location has its own CallerID rule.
 */
function refTiered(
  rules: readonly (LocationRuleLike & { locationId: number })[],
  loc: number,
  dst: string,
  src: string,
) {
  const tiers =
    loc === 1
      ? [rules.filter((r) => r.locationId === 1)]
      : [rules.filter((r) => r.locationId === loc), rules.filter((r) => r.locationId === 1)];
  const live = tiers.map((t) => byId(t).filter((r) => r.enabled === 1));
  const dstOf = (t: LocationRuleLike[]) =>
    t.find(
      (r) =>
        fits(dst, r.cut, r.minlen, r.maxlen) &&
        (r.lrType === 'dst' ||
          (r.lrType === 'combined' && fits(src, r.srcCut, r.srcMinlen, r.srcMaxlen) && inGroup(r, src))),
    );
  const srcOf = (t: LocationRuleLike[]) => t.find((r) => r.lrType === 'src' && fits(src, r.cut, r.minlen, r.maxlen));
  const dTier = live.findIndex((t) => dstOf(t) !== undefined);
  const d = dTier < 0 ? undefined : dstOf(live[dTier]!);
  const sTier = live.findIndex((t) => srcOf(t) !== undefined);
  const s = sTier < 0 ? undefined : srcOf(live[sTier]!);
  const dstOut = d ? d.add + dst.substring(d.cut.length) : dst;
  if (d && d.lrType === 'combined' && (dTier === 0 || sTier !== 0))
    return { dst: dstOut, src: d.srcAdd + src.substring(d.srcCut.length), dstRule: d.id, srcRule: undefined };
  return { dst: dstOut, src: s ? s.add + src.substring(s.cut.length) : src, dstRule: d?.id, srcRule: s?.id };
}

describe('number transformation (property test against a reference)', () => {
  it(`provider rules: ${RUNS} random cases (seed ${SEED})`, () => {
    const g = generator(SEED);
    let applied = 0;
    for (let i = 0; i < RUNS; i++) {
      const rules = g.providerRules();
      const [dst, src] = [g.number(), g.number()];
      const got = applyProviderRules(rules, dst, src);
      const want = refProvider(rules, dst, src);
      expect({ dst: got.dst, src: got.src, dstRule: got.dstRule?.id, srcRule: got.srcRule?.id }, `case ${i}`).toEqual(
        want,
      );
      if (want.dstRule !== undefined) applied++;
    }
    // The generator must actually exercise matches (a property over no-ops proves nothing).
    expect(applied).toBeGreaterThan(RUNS / 10);
  });

  it(`location rules: ${RUNS} random cases (seed ${SEED + 1})`, () => {
    const g = generator(SEED + 1);
    let combined = 0;
    for (let i = 0; i < RUNS; i++) {
      const rules = g.locationRules();
      const [dst, src] = [g.number(), g.number()];
      const got = localize(rules, dst, src);
      const want = refLocalize(rules, dst, src);
      expect({ dst: got.dst, src: got.src, dstRule: got.dstRule?.id, srcRule: got.srcRule?.id }, `case ${i}`).toEqual(
        want,
      );
      if (got.dstRule?.lrType === 'combined') combined++;
    }
    expect(combined).toBeGreaterThan(RUNS / 60);
  });

  it('documented examples: lowest id wins, disabled rules and length windows are skipped', () => {
    const rule = (id: number, cut: string, add: string, more: Partial<ProviderRuleLike> = {}): ProviderRuleLike => ({
      id,
      enabled: 1,
      cut,
      add,
      minlen: 1,
      maxlen: 100,
      prType: 'dst',
      tariffId: null,
      ...more,
    });
    expect(applyProviderRules([rule(1, '353', '0')], '35312345', '').dst).toBe('012345');
    expect(applyProviderRules([rule(2, '', '00'), rule(1, '370', '', { enabled: 0 })], '37061', '').dst).toBe(
      '0037061',
    );
    expect(firstMatch([rule(5, '3', 'a'), rule(4, '37', 'b')], '370')?.id).toBe(4);
    expect(applyProviderRules([rule(1, '', '9', { minlen: 4, suffix: '#' })], '123', '').dst).toBe('123');
    expect(applyProviderRules([rule(1, '', '9', { minlen: 3, suffix: '#' })], '123', '').dst).toBe('9123#');
  });

  it(`device location before Global: ${RUNS} random cases (seed ${SEED + 2})`, () => {
    const g = generator(SEED + 2);
    let fromOwn = 0;
    let fromGlobal = 0;
    for (let i = 0; i < RUNS; i++) {
      const loc = i % 5 === 0 ? 1 : 7;
      const rules = g.locationRules().map((r, k) => ({ ...r, locationId: k % 2 === 0 ? 7 : 1 }));
      const [dst, src] = [g.number(), g.number()];
      const got = localizeByLocation(rules, loc, dst, src);
      const want = refTiered(rules, loc, dst, src);
      expect({ dst: got.dst, src: got.src, dstRule: got.dstRule?.id, srcRule: got.srcRule?.id }, `case ${i}`).toEqual(
        want,
      );
      if (loc === 7 && got.dstRule?.locationId === 7) fromOwn++;
      if (loc === 7 && got.dstRule?.locationId === 1) fromGlobal++;
    }
    expect(fromOwn).toBeGreaterThan(RUNS / 40);
    expect(fromGlobal).toBeGreaterThan(RUNS / 40);
  });

  it("the device location's rule wins over Global's even with a higher id", () => {
    const base = { enabled: 1, minlen: 1, maxlen: 99, srcCut: '', srcAdd: '', srcMinlen: 1, srcMaxlen: 99 };
    const rules = [
      { ...base, id: 1, locationId: 1, lrType: 'dst', cut: '0', add: '44' },
      { ...base, id: 9, locationId: 3, lrType: 'dst', cut: '0', add: '370' },
    ];
    expect(localizeByLocation(rules, 3, '0612', '').dst).toBe('370612');
    expect(localizeByLocation(rules, 1, '0612', '').dst).toBe('44612');
    // No rule of location 3 matches: Global's applies.
    expect(localizeByLocation(rules, 3, '1234', '').dst).toBe('1234');
    expect(localizeByLocation([rules[0]!], 3, '0612', '').dst).toBe('44612');
  });
});

describe('LCR ordering', () => {
  it('percent: the wiki example (A 50 %, B 30 %, C 20 %) drawn 20 000 times', () => {
    const rnd = prng(SEED + 3);
    const N = 20_000;
    const first: Record<string, number> = { A: 0, B: 0, C: 0 };
    let bac = 0;
    for (let i = 0; i < N; i++) {
      const order = percentOrder(
        [
          { n: 'A', p: 50 },
          { n: 'B', p: 30 },
          { n: 'C', p: 20 },
        ],
        (x) => x.p,
        rnd,
      ).map((x) => x.n);
      expect(order.slice().sort()).toEqual(['A', 'B', 'C']);
      first[order[0]!]!++;
      if (order.join('') === 'BAC') bac++;
    }
    // Exact probabilities: 0.5 / 0.3 / 0.2 first; B-A-C = 0.3 × 50 / 70 = 0.2143. 4 σ ≈ 0.015 at N = 20 000.
    expect(Math.abs(first.A! / N - 0.5)).toBeLessThan(0.015);
    expect(Math.abs(first.B! / N - 0.3)).toBeLessThan(0.015);
    expect(Math.abs(first.C! / N - 0.2)).toBeLessThan(0.015);
    expect(Math.abs(bac / N - 0.3 * (50 / 70))).toBeLessThan(0.015);
  });

  it('percent: 0 % providers come last in the given order; a 99/1 split follows the draw', () => {
    const items = ['z1', 'a', 'z2'];
    const share = (x: string) => (x === 'a' ? 10 : 0);
    expect(percentOrder(items, share, () => 0.99)).toEqual(['a', 'z1', 'z2']);
    expect(
      percentOrder(
        ['z1', 'z2'],
        () => 0,
        () => 0.5,
      ),
    ).toEqual(['z1', 'z2']);
    const split = (x: string) => (x === 'A' ? 99 : 1);
    expect(percentOrder(['A', 'B'], split, () => 0.985)).toEqual(['A', 'B']);
    expect(percentOrder(['A', 'B'], split, () => 0.995)).toEqual(['B', 'A']);
  });

  it('first provider percent limit: the wiki examples (0.10 first, 20 %: 0.11 kept, 0.30 skipped)', () => {
    const price = (x: string) => x;
    expect(withinFirstPercent(['0.10', '0.11', '0.30'], price, '20')).toEqual(['0.10', '0.11']);
    // Exactly 20 % dearer is not "higher by more than" the limit; one millionth more is.
    expect(withinFirstPercent(['0.10', '0.12', '0.120001'], price, '20.0')).toEqual(['0.10', '0.12']);
    expect(withinFirstPercent(['0.10', '0.30'], price, '0')).toEqual(['0.10', '0.30']);
    expect(withinFirstPercent(['0.10', '0.105'], price, '2.5')).toEqual(['0.10']);
    expect(withinFirstPercent([], price, '20')).toEqual([]);
  });
});
