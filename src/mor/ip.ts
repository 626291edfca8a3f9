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
