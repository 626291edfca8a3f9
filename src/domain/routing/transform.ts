/**
 * Number transformation of provider rules and location (localization) rules, as pure functions.
 *
 * A pattern matches a number when the number starts with `cut` (an empty `cut` matches every number)
 * and its length (before any change) is within [minlen, maxlen]. Applying it strips `cut`, prepends
 * `add` and appends `suffix`. Among several rules the enabled matching rule with the lowest id wins;
 * disabled rules never match.
 */

export interface Pattern {
  cut: string;
  add: string;
  minlen: number;
  maxlen: number;
}

export interface NumberRule extends Pattern {
  id: number;
  enabled: number;
  suffix?: string;
}

/** True when `pattern` applies to `number`. */
export function matches(pattern: Pattern, number: string): boolean {
  return number.length >= pattern.minlen && number.length <= pattern.maxlen && number.startsWith(pattern.cut);
}

/** `number` rewritten by a pattern that matches it: cut stripped, add prepended, suffix appended. */
export function rewrite(pattern: Pattern & { suffix?: string }, number: string): string {
  return pattern.add + number.slice(pattern.cut.length) + (pattern.suffix ?? '');
}

/** The enabled rule with the lowest id whose pattern matches `number` (and `also`, when given), if any. */
export function firstMatch<R extends NumberRule>(
  rules: readonly R[],
  number: string,
  also: (rule: R) => boolean = () => true,
): R | undefined {
  let best: R | undefined;
  for (const rule of rules) {
    if (rule.enabled !== 1 || (best !== undefined && rule.id >= best.id)) continue;
    if (matches(rule, number) && also(rule)) best = rule;
  }
  return best;
}

/** A provider rule: `dst` rules rewrite the destination (with suffix), `src` rules the CallerID. */
export interface ProviderRuleLike extends NumberRule {
  prType: string;
  tariffId: number | null;
}

export interface Rewritten<R> {
  dst: string;
  src: string;
  /** The rules that applied (destination, CallerID). */
  dstRule?: R;
  srcRule?: R;
}

/** The numbers a provider receives: its first matching dst rule on the destination, src rule on the CallerID. */
export function applyProviderRules<R extends ProviderRuleLike>(
  rules: readonly R[],
  dst: string,
  src: string,
): Rewritten<R> {
  const dstRule = firstMatch(rules, dst, (r) => r.prType === 'dst');
  const srcRule = firstMatch(rules, src, (r) => r.prType === 'src');
  return {
    dst: dstRule ? rewrite(dstRule, dst) : dst,
    src: srcRule ? rewrite({ ...srcRule, suffix: '' }, src) : src,
    dstRule,
    srcRule,
  };
}

/** A localization rule: `dst`, `src` (CallerID) or `combined` (destination and CallerID patterns both). */
export interface LocationRuleLike extends NumberRule {
  lrType: string;
  srcCut: string;
  srcAdd: string;
  srcMinlen: number;
  srcMaxlen: number;
  /** The CallerID prefixes of the rule's location group (combined rules only); absent/null: no group. */
  group?: readonly string[] | null;
}

/** A combined rule's CallerID condition: its src pattern, and its location group when it names one. */
const srcFits = (r: LocationRuleLike, src: string): boolean =>
  matches(srcPattern(r), src) && (r.group == null || r.group.some((prefix) => src.startsWith(prefix)));

const srcPattern = (r: LocationRuleLike): Pattern => ({
  cut: r.srcCut,
  add: r.srcAdd,
  minlen: r.srcMinlen,
  maxlen: r.srcMaxlen,
});

/**
 * Localization: the destination rule is the first (lowest id) enabled `dst` rule matching the
 * destination or `combined` rule matching both numbers (a combined rule naming a location group also
 * needs the CallerID to start with one of the group's prefixes; it rewrites the CallerID with its src
 * pattern); unless a combined rule applied, the first `src` rule matching the CallerID rewrites
 * it. Rules are given in any order (a device location's and Global's together).
 */
export function localize<R extends LocationRuleLike>(rules: readonly R[], dst: string, src: string): Rewritten<R> {
  const dstRule = firstMatch(rules, dst, (r) => r.lrType === 'dst' || (r.lrType === 'combined' && srcFits(r, src)));
  if (dstRule?.lrType === 'combined')
    return { dst: rewrite(dstRule, dst), src: rewrite(srcPattern(dstRule), src), dstRule };
  const srcRule = firstMatch(rules, src, (r) => r.lrType === 'src');
  return {
    dst: dstRule ? rewrite(dstRule, dst) : dst,
    src: srcRule ? rewrite(srcRule, src) : src,
    dstRule,
    srcRule,
  };
}

/**
 * Localization of a device in location `locationId` ("Localization" wiki page: "if a device belongs to
 * some other location and the dialled destination has some rule for this destination, then global
 * rules are not activated – they have a lower priority"): the destination rule is looked for among
 * the device location's rules first and among Global's (location 1) only when none matched; the
 * CallerID rule likewise. A combined rule found in either tier rewrites both numbers.
 */
export function localizeByLocation<R extends LocationRuleLike & { locationId: number }>(
  rules: readonly R[],
  locationId: number,
  dst: string,
  src: string,
): Rewritten<R> {
  const own = rules.filter((r) => r.locationId === locationId);
  const global = locationId === 1 ? [] : rules.filter((r) => r.locationId === 1);
  const first = localize(own, dst, src);
  if (first.dstRule?.lrType === 'combined' || global.length === 0) return first;
  if (first.dstRule && first.srcRule) return first;
  const fallback = localize(global, dst, src);
  if (!first.dstRule && fallback.dstRule?.lrType === 'combined') {
    // Global's combined rule rewrites both numbers unless the device's location had a CallerID rule.
    return first.srcRule
      ? { dst: fallback.dst, src: first.src, dstRule: fallback.dstRule, srcRule: first.srcRule }
      : fallback;
  }
  const dstSide = first.dstRule ? first : fallback;
  const srcSide = first.srcRule
    ? first
    : localize(
        global.filter((r) => r.lrType === 'src'),
        dst,
        src,
      );
  return { dst: dstSide.dst, src: srcSide.src, dstRule: dstSide.dstRule, srcRule: srcSide.srcRule };
}
