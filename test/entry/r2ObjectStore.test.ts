// The R2 adapter against Miniflare's local R2 (the implementation behind `wrangler dev`), through the
// same bucket binding API a Worker gets.
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type R2BucketLike, r2ObjectStore } from '../../src/entry/r2ObjectStore.ts';

let mf: Miniflare;
let bucket: R2BucketLike;

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response("ok"); } }',
    r2Buckets: ['RECORDINGS'],
  });
  bucket = (await mf.getR2Bucket('RECORDINGS')) as unknown as R2BucketLike;
}, 30_000);
afterAll(() => mf?.dispose());

describe('r2ObjectStore', () => {
  it('puts a fixed-length stream, reads it back with its type, deletes it; refuses unsafe keys', async () => {
    const store = r2ObjectStore(bucket);
    const bytes = new Uint8Array(4096).map((_, i) => i % 251);
    const body = new Response(bytes).body!;
    expect(await store.put('a1b2.mp3', body, 'audio/mpeg')).toEqual({ size: 4096 });
    const got = await store.get('a1b2.mp3');
    expect(got?.size).toBe(4096);
    expect(got?.contentType).toBe('audio/mpeg');
    expect(new Uint8Array(await new Response(got!.body).arrayBuffer())).toEqual(bytes);
    await store.delete('a1b2.mp3');
    expect(await store.get('a1b2.mp3')).toBeNull();
    await store.delete('a1b2.mp3');
    await expect(store.get('../x')).rejects.toThrow(/invalid object key/);
  });
});
