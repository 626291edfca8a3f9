import { createHash } from 'node:crypto';

/**
 * What-if (NOT what ships), for `npm run bench -- --variant=bench/variants/node-sha1.ts`: the unchanged
 * Node entry, with WebCrypto's SHA-1 answered by node:crypto's synchronous createHash. Every XML API
 * request hashes its parameters once (src/mor/hash.ts → sha1Hex → crypto.subtle.digest), and on Node
 * subtle.digest is an async job handed to the libuv thread pool.
 */
const subtle = globalThis.crypto.subtle;
const original = subtle.digest.bind(subtle);
type Digest = typeof subtle.digest;

const digest: Digest = async (algorithm, data) => {
  const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
  if (name.toUpperCase() !== 'SHA-1') return original(algorithm, data);
  const bytes = ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data as ArrayBuffer);
  const out = createHash('sha1').update(bytes).digest();
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
};
Object.defineProperty(subtle, 'digest', { value: digest, configurable: true, writable: true });

await import('../../src/entry/node.ts');
