import { type SQL, sql } from 'drizzle-orm';

/**
 * The multiplier a taxes row applies to a net price (1 when there is none), over a `taxes` alias:
 * the enabled tax percents summed, or compounded one after another when `compound_tax` is on.
 */
export const taxFactor = (t: string): SQL =>
  sql.raw(`(case when ${t}.id is null then 1::numeric
    when ${t}.compound_tax then (1 + ${t}.tax1_value / 100)
      * (1 + case when ${t}.tax2_enabled then ${t}.tax2_value else 0 end / 100)
      * (1 + case when ${t}.tax3_enabled then ${t}.tax3_value else 0 end / 100)
      * (1 + case when ${t}.tax4_enabled then ${t}.tax4_value else 0 end / 100)
    else 1 + (${t}.tax1_value + case when ${t}.tax2_enabled then ${t}.tax2_value else 0 end
      + case when ${t}.tax3_enabled then ${t}.tax3_value else 0 end
      + case when ${t}.tax4_enabled then ${t}.tax4_value else 0 end) / 100 end)`);

/**
 * A stored decimal printed as MOR prints its raw float columns: no trailing zeros, at least one
 * fraction digit (`20.0`, `10.084034`, `-0.5`). Exact: pure text, never a JS float.
 */
export function rawDecimal(text: string): string {
  if (!text.includes('.')) return `${text}.0`;
  const trimmed = text.replace(/0+$/, '');
  return trimmed.endsWith('.') ? `${trimmed}0` : trimmed;
}

/** A decimal text rounded half away from zero to `digits` places (as Postgres `round`), exactly. */
export function fixed(text: string, digits = 4): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return text;
  const [, sign, int = '', frac = ''] = m;
  const scaled = BigInt((int || '0') + frac.padEnd(digits + 1, '0').slice(0, digits + 1));
  const rounded = scaled / 10n + (scaled % 10n >= 5n ? 1n : 0n);
  const s = rounded.toString().padStart(digits + 1, '0');
  const out = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return sign === '-' && /[1-9]/.test(out) ? `-${out}` : out;
}
