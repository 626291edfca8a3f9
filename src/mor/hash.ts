import { constantTimeEqual } from '../domain/crypto.ts';
import { sha1 } from '../domain/sha1.ts';
import type { MethodDef } from './method.ts';
import type { Params } from './params.ts';

/**
 * The string MOR hashes: the values of the method's hash parameters in documented order (absent and
 * empty ones contribute nothing), then the secret key. Values are used exactly as received.
 */
export function hashString(order: readonly string[], params: Params, secretKey: string): string {
  return order.map((name) => params.get(name) ?? '').join('') + secretKey;
}

const recent = new Map<string, string>();
const RECENT_MAX = 10_000;
/**
 * Longest hash input remembered. Inputs are attacker-chosen (a wrong hash still computes the digest):
 * remembering only short ones bounds the cache at RECENT_MAX x CACHED_INPUT_MAX characters (~5 MB)
 * whatever the bodies weigh. Repeated calls (rate_get hashes a username and the key) are far shorter.
 */
export const CACHED_INPUT_MAX = 256;

/**
 * Lowercase hex SHA-1 of hashString. Integrations repeat the same hashed values (rate_get hashes only
 * the username), so recent digests of short inputs are remembered: a pure function of its input,
 * bounded in entries and in bytes.
 */
export function computeHash(order: readonly string[], params: Params, secretKey: string): string {
  const input = hashString(order, params, secretKey);
  if (input.length > CACHED_INPUT_MAX) return sha1(input);
  let digest = recent.get(input);
  if (digest === undefined) {
    digest = sha1(input);
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(input, digest);
  }
  return digest;
}

/** Case-insensitive, constant-time comparison of a received hash with the expected one. */
export const hashMatches = (received: string | undefined, expected: string) =>
  received !== undefined && constantTimeEqual(received.trim().toLowerCase(), expected);

/** The hash order a request uses: the method's, less parameters its `hashUnless` excludes. */
export function hashOrderFor(method: Pick<MethodDef, 'hash' | 'hashUnless'>, params: Params): readonly string[] {
  const order = method.hash ?? [];
  const unless = method.hashUnless;
  if (!unless) return order;
  return order.filter((name) => {
    const winner = unless[name];
    return winner === undefined || params.value(winner) === undefined;
  });
}

/** The hash order for a caller of `usertype`: hashOrderFor, led by `u` where the method says so (hashU). */
export function callerHashOrder(
  method: Pick<MethodDef, 'hash' | 'hashUnless' | 'hashU'>,
  params: Params,
  usertype: string | undefined,
): readonly string[] {
  const order = hashOrderFor(method, params);
  return method.hashU === 'unlessAdmin' && usertype !== 'admin' ? ['u', ...order] : order;
}
