/**
 * Quickforwards rule → anchored regular expression, valid in JavaScript and in Postgres (`~`).
 * Rule syntax (_devices-model §5): `|` separates alternatives; a digit matches itself; `[..]` one of
 * the digits listed (commas separate them); `%` any run of digits, possibly empty. null = matches no
 * number (empty rule, or characters outside `0123456789[],|%`).
 */
export function ruleRegex(rule: string): string | null {
  if (!/^[0-9[\],|%]*$/.test(rule)) return null;
  const alternatives: string[] = [];
  for (const alternative of rule.split(/[|,](?![^[]*\])/)) {
    let out = '';
    for (let i = 0; i < alternative.length; i++) {
      const c = alternative[i] as string;
      if (c === '%') out += '[0-9]*';
      else if (c === '[') {
        const end = alternative.indexOf(']', i);
        const digits = alternative.slice(i + 1, end === -1 ? undefined : end).replaceAll(',', '');
        if (end === -1 || digits === '' || !/^\d+$/.test(digits)) return null;
        out += `[${digits}]`;
        i = end;
      } else if (c === ']') return null;
      else out += c;
    }
    if (out !== '') alternatives.push(out);
  }
  return alternatives.length === 0 ? null : `^(${alternatives.join('|')})$`;
}

/** True when `number` matches `rule` as a whole. */
export function ruleMatches(rule: string, number: string): boolean {
  const regex = ruleRegex(rule);
  return regex !== null && new RegExp(regex).test(number);
}
