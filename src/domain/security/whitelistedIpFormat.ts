import { invalid } from '../errors.ts';

/** One octet as written by a person: 0–255, no leading zeros (`010` is ambiguous, octal to some tools). */
const octet = (s: string): number | null => (/^(0|[1-9]\d{0,2})$/.test(s) && Number(s) <= 255 ? Number(s) : null);

/** Dotted IPv4 to an unsigned 32-bit number, or null. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.').map(octet);
  if (parts.length !== 4 || parts.some((p) => p === null)) return null;
  return (parts as number[]).reduce((n, p) => n * 256 + p, 0);
}

export const renderIpv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

const bad = (text: string) =>
  invalid(
    'ip',
    `Invalid IP address "${text}": use a single IPv4 (2.2.2.2), a CIDR network (2.2.2.0/24) or a last-octet range (2.2.2.1-125)`,
  );

/**
 * The Whitelisted IPs rows one input makes (docs/pipeline.md §8): a single IPv4 → itself; a CIDR network → its
 * canonical network (`2.2.2.7/24` → `2.2.2.0/24`, `/32` → the single address); a last-octet range
 * `2.2.2.1-125` → one single-IP row per address. Anything else is INVALID.
 */
export function whitelistEntries(input: string): string[] {
  const text = input.trim();
  const range = /^(\d+\.\d+\.\d+\.\d+)-(\d+)$/.exec(text);
  if (range) {
    const first = parseIpv4(range[1]!);
    const last = octet(range[2]!);
    if (first === null || last === null || last < (first & 255)) throw bad(text);
    const base = first - (first & 255);
    return Array.from({ length: last - (first & 255) + 1 }, (_, i) => renderIpv4(base + (first & 255) + i));
  }
  const [address = '', bits, ...rest] = text.split('/');
  const ip = parseIpv4(address);
  if (ip === null || rest.length > 0) throw bad(text);
  if (bits === undefined) return [renderIpv4(ip)];
  const prefix = /^\d{1,2}$/.test(bits) ? Number(bits) : -1;
  if (prefix < 0 || prefix > 32) throw bad(text);
  if (prefix === 32) return [renderIpv4(ip)];
  const size = 2 ** (32 - prefix);
  return [`${renderIpv4(ip - (ip % size))}/${prefix}`];
}
