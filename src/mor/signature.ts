/**
 * Signed requests (beyond MOR): when a key owner turns "Require API signature" on, every method that
 * MOR protects with `hash` must instead carry an HMAC-SHA256 over the canonical request, a timestamp
 * within ±5 minutes and a nonce used once. MOR's hash concatenates values with no separator
 * (`user_id=1,balance=23` and `user_id=12,balance=3` hash alike) and never expires; this closes both.
 *
 * The canonical string (five lines, joined by "\n"; the last one may be empty):
 *
 *   METHOD   the canonical method name (an alias such as `balance` signs as `user_balance_get`)
 *   TS       the X-MOR-Timestamp header as sent: Unix seconds, 1–12 digits
 *   NONCE    the X-MOR-Nonce header as sent: 16–64 of A–Z a–z 0–9 - . _ ~
 *   PARAMS   every parameter the method reads — the body (form, multipart, JSON), the query string and the
 *            path segment merged as the pipeline merges them, one value per name (the one that wins) —
 *            as `enc(name)=enc(value)`, sorted in byte order of these strings, joined by "&"
 *   FILES    every uploaded multipart file as `enc(name)=<lowercase hex SHA-256 of its bytes>`, sorted and
 *            joined the same way (a file's PARAMS value is its file name, as the methods see it)
 *
 * enc = UTF-8, then every byte except A–Z a–z 0–9 - . _ ~ as %XX (uppercase hex; a space is %20).
 * `hash`, when sent, is an ordinary parameter (signed, not checked). The signature travels in the
 * X-MOR-Signature header: hex HMAC-SHA256 of the canonical string keyed by the API secret key (UTF-8).
 */
import { claimNonce, NONCE_PATTERN } from '../domain/auth/claimNonce.ts';
import type { KeyOwner } from '../domain/auth/types.ts';
import { constantTimeEqual, hmacSha256Hex, sha256HexOfBytes } from '../domain/crypto.ts';
import type { Ctx, Log } from '../domain/ctx.ts';
import type { Params } from './params.ts';

export const SIGNATURE_HEADERS = {
  timestamp: 'x-mor-timestamp',
  nonce: 'x-mor-nonce',
  signature: 'x-mor-signature',
} as const;

/** How far a request's timestamp may be from the server's clock, either way. */
export const SIGNATURE_WINDOW_SECONDS = 300;
/** A claimed nonce is kept this much longer than its window, for instances whose clocks differ a little. */
const NONCE_GRACE_SECONDS = 60;

/** Error strings of signed requests (all in `<status><error>`). */
export const SIGNATURE_ERRORS = {
  /** No, malformed or wrong signature (and a plain MOR `hash` alone): the familiar MOR failure. */
  badSignature: 'Incorrect hash',
  /** Correctly signed, but the timestamp is more than 5 minutes from the server's clock. */
  badTimestamp: 'Incorrect timestamp',
  /** Correctly signed and fresh, but this key already used the nonce. */
  nonceUsed: 'Nonce was already used',
} as const;

const TIMESTAMP_PATTERN = /^[0-9]{1,12}$/;
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;
const HEX = '0123456789ABCDEF';
const encoder = new TextEncoder();

/** RFC 3986 percent-encoding of the UTF-8 bytes of `text` (everything but unreserved characters). */
export function percentEncode(text: string): string {
  if (UNRESERVED.test(text)) return text;
  let out = '';
  for (const byte of encoder.encode(text)) {
    const unreserved =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f ||
      byte === 0x7e;
    out += unreserved ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

const joinPairs = (pairs: [string, string][]) =>
  pairs
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .sort()
    .join('&');

/** The string a signed request signs (see the top of this file). */
export async function canonicalString(method: string, timestamp: string, nonce: string, params: Params) {
  const files: [string, string][] = [];
  for (const [name, file] of params.files) files.push([name, await sha256HexOfBytes(await file.arrayBuffer())]);
  return [method, timestamp, nonce, joinPairs([...params.entries()]), joinPairs(files)].join('\n');
}

/**
 * Checks a request against a key owner that requires signatures. Returns null when it may go on (its
 * nonce is then claimed: exactly one insert), else the error string to answer. The reason of a refusal
 * is logged, never the signature or the key. Checks run cheapest first, and only a correctly signed
 * request learns about its timestamp or nonce.
 */
export async function refuseUnsigned(
  deps: Pick<Ctx, 'db' | 'clock'> & { log: Log },
  methodName: string,
  request: Request,
  params: Params,
  key: KeyOwner,
): Promise<string | null> {
  const refuse = (error: string, reason: string) => {
    deps.log.warn('signed request refused', { method: methodName, keyOwner: key.id, reason });
    return error;
  };
  const timestamp = request.headers.get(SIGNATURE_HEADERS.timestamp);
  const nonce = request.headers.get(SIGNATURE_HEADERS.nonce);
  const signature = request.headers.get(SIGNATURE_HEADERS.signature);
  if (timestamp === null || nonce === null || signature === null) {
    const why = params.has('hash') ? 'MOR hash sent without a signature' : 'signature headers missing';
    return refuse(SIGNATURE_ERRORS.badSignature, why);
  }
  if (!TIMESTAMP_PATTERN.test(timestamp)) return refuse(SIGNATURE_ERRORS.badSignature, 'malformed timestamp');
  if (!NONCE_PATTERN.test(nonce)) return refuse(SIGNATURE_ERRORS.badSignature, 'malformed nonce');
  // An empty key would make the signature computable by anyone: nothing matches it.
  if (!key.apiSecretKey) return refuse(SIGNATURE_ERRORS.badSignature, 'key owner has no secret key');
  const expected = await hmacSha256Hex(key.apiSecretKey, await canonicalString(methodName, timestamp, nonce, params));
  if (!constantTimeEqual(signature.trim().toLowerCase(), expected)) {
    return refuse(SIGNATURE_ERRORS.badSignature, 'signature does not match');
  }
  const sent = Number(timestamp);
  const skew = Math.floor(deps.clock().getTime() / 1000) - sent;
  if (Math.abs(skew) > SIGNATURE_WINDOW_SECONDS) {
    return refuse(SIGNATURE_ERRORS.badTimestamp, `timestamp ${skew} s from the server clock`);
  }
  const expiresAt = new Date((sent + SIGNATURE_WINDOW_SECONDS + NONCE_GRACE_SECONDS) * 1000);
  if (!(await claimNonce(deps, { ownerId: key.id, nonce, expiresAt }))) {
    return refuse(SIGNATURE_ERRORS.nonceUsed, 'nonce already used');
  }
  return null;
}
