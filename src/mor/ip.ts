/** Parses dotted IPv4 to a 32-bit unsigned number, or null. */
export function parseIpv4(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return (
    (((parts[0] as number) << 24) |
      ((parts[1] as number) << 16) |
      ((parts[2] as number) << 8) |
      (parts[3] as number)) >>>
    0
  );
}

/** The IPv4 part of an address as servers report it (`::ffff:1.2.3.4` → `1.2.3.4`). */
export const unmapIpv4 = (ip: string) => (ip.startsWith('::ffff:') ? ip.slice(7) : ip);

/**
 * True when `clientIp` matches a whitelist entry: a single IPv4 or a CIDR network. IPv6 clients never
 * match (MOR's whitelist is IPv4 only).
 */
export function ipAllowed(clientIp: string, whitelist: readonly string[]): boolean {
  const ip = parseIpv4(unmapIpv4(clientIp));
  if (ip === null) return false;
  return whitelist.some((entry) => {
    const [base = '', bits = '32'] = entry.split('/');
    const net = parseIpv4(base);
    const prefix = Number(bits);
    if (net === null || !(prefix >= 0 && prefix <= 32)) return false;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return (ip & mask) >>> 0 === (net & mask) >>> 0;
  });
}

/**
 * The client address behind `hops` trusted proxies: each proxy appends the address it received the
 * request from to `X-Forwarded-For`, so the client is the entry the outermost trusted proxy wrote,
 * the `hops`-th from the right. Entries left of it are whatever the client sent and are never used.
 * With fewer entries than hops, the leftmost (the request passed fewer proxies). Undefined when trust
 * is off (hops 0) or the header is absent or empty: the socket address then stands.
 */
export function forwardedClientIp(header: string | null | undefined, hops: number): string | undefined {
  if (hops <= 0 || !header) return undefined;
  const entries = header
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return undefined;
  return entries[Math.max(0, entries.length - hops)];
}
