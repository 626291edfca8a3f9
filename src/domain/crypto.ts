/** Web Crypto helpers: the same code runs on Node, Deno and workerd. */

import { sha1 } from './sha1.ts';

const encoder = new TextEncoder();

const toHex = (bytes: ArrayBuffer | Uint8Array): string =>
  Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );

/** Lowercase hex SHA-1 (the MOR API hash); synchronous inside, see sha1.ts for why. */
export async function sha1Hex(text: string): Promise<string> {
  return sha1(text);
}

/** Lowercase hex SHA-256 (how tokens and session ids are stored). */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Lowercase hex SHA-256 of bytes (the digest signed requests give uploaded files). */
export async function sha256HexOfBytes(bytes: ArrayBuffer): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', bytes));
}

/** Lowercase hex HMAC-SHA256 of `message` (UTF-8) keyed by `key` (UTF-8 bytes), via Web Crypto. */
export async function hmacSha256Hex(key: string, message: string): Promise<string> {
  const hmacKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return toHex(await crypto.subtle.sign('HMAC', hmacKey, encoder.encode(message)));
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  // charCodeAt past the end is NaN, and NaN | 0 is 0: every position costs the same.
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const STRONG = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** Uniformly random string over `alphabet` (rejection sampling, no modulo bias). */
export function randomString(length: number, alphabet = ALPHANUM): string {
  const out: string[] = [];
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) {
      if (b < limit && out.length < length) out.push(alphabet[b % alphabet.length] as string);
    }
  }
  return out.join('');
}

/** A secret for humans to copy: mixed case and digits without look-alikes. */
export const randomSecret = (length = 20) => randomString(length, STRONG);

/** MOR uniquehash shape: 10 lowercase letters and digits. */
export const randomUniquehash = () => randomString(10);

const PBKDF2_ITERATIONS = 100_000; // workerd caps PBKDF2 at 100k iterations

/** Hashes a password with PBKDF2-SHA256: `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${toHex(salt)}$${hash}`;
}

/** Checks a password against `hashPassword` output in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'pbkdf2-sha256' || !iterations || !saltHex || !hashHex) return false;
  const salt = new Uint8Array(saltHex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
  return constantTimeEqual(await pbkdf2(password, salt, Number(iterations)), hashHex);
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations },
    key,
    256,
  );
  return toHex(bits);
}
