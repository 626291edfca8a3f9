/**
 * Verifying an openmor webhook delivery (Standard Webhooks): HMAC-SHA256, keyed with the bytes of the
 * webhook's secret (`whsec_<base64>`), of `${webhook-id}.${webhook-timestamp}.${raw body}`, compared
 * with every `v1,<base64>` entry of `webhook-signature`; deliveries older or newer than five minutes
 * are refused (replays). Web Crypto only: runs on Node 20+, Deno, Bun, Workers and browsers.
 */
export async function verifyWebhook(
  secret: string,
  headers: { get(name: string): string | null },
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !timestamp || !signatures || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const key = await crypto.subtle.importKey(
    'raw',
    Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (c) => c.charCodeAt(0)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${rawBody}`);
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) continue;
    const mac = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify('HMAC', key, mac, signed)) return true;
  }
  return false;
}
