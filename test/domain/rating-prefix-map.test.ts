import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrefixMap } from '../../src/domain/rating/cache/prefixMap.ts';

/*
 * PrefixMap keeps prefixes of up to 15 digits as numbers, one table per length, longer ones as
 * strings. Leading zeros, the 15/16-digit border and 20-digit numbers must all behave as plain string
 * prefixes do.
 */
const digit = fc.constantFrom('0', '1', '9');
const digits = (min: number, max: number) => fc.array(digit, { minLength: min, maxLength: max }).map((a) => a.join(''));
const longish = fc.oneof(
  digits(1, 4),
  digits(13, 18),
  fc.constantFrom('0', '00', '000000000000000', '9999999999999999'),
);

/** Reference: every stored prefix of `number` (or `number` itself), longest first. */
function reference(prefixes: string[], number: string, full: boolean): string[] {
  return [...new Set(prefixes)]
    .filter((p) => (full ? number.startsWith(p) : number === p))
    .sort((a, b) => b.length - a.length);
}

describe('PrefixMap', () => {
  it('finds the same prefixes, longest first, as a scan of the strings', () => {
    fc.assert(
      fc.property(fc.array(longish, { maxLength: 40 }), fc.array(longish, { maxLength: 10 }), (prefixes, extra) => {
        const map = new PrefixMap();
        const last = new Map<string, number>();
        prefixes.forEach((p, i) => {
          map.set(p, i);
          last.set(p, i);
        });
        map.build();
        for (const number of [...prefixes, ...extra, ...prefixes.map((p) => `${p}0123456789`)]) {
          for (const full of [true, false]) {
            const seen: string[] = [];
            map.find(number, full, (slot, length) => {
              expect(slot).toBe(last.get(number.slice(0, length)));
              seen.push(number.slice(0, length));
              return false;
            });
            expect(seen).toEqual(reference(prefixes, number, full));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('stops at the first prefix the visitor accepts', () => {
    const map = new PrefixMap();
    map.set('3', 1);
    map.set('37', 2);
    map.set('370', 3);
    map.build();
    expect(map.find('37061', true, (slot) => slot === 2)).toBe(2);
    expect(map.find('37061', true, () => false)).toBe(-1);
    expect(map.find('37', false, () => true)).toBe(2);
  });
});
