import { describe, expect, it } from 'vitest';
import {
  applyProviderRules,
  firstMatch,
  type LocationRuleLike,
  localize,
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
        };
      }),
  };
}

// ---- the reference ----
const fits = (n: string, cut: string, minlen: number, maxlen: number) =>
  n.substring(0, cut.length) === cut && minlen <= n.length && n.length <= maxlen;
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
      (r.lrType === 'dst' || (r.lrType === 'combined' && fits(src, r.srcCut, r.srcMinlen, r.srcMaxlen))),
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
});
