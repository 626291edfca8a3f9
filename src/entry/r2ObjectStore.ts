import { isObjectKey, type ObjectStore } from '../domain/recordings/objectStore.ts';

/** The part of a Workers R2 bucket binding this adapter uses. */
export interface R2BucketLike {
  put(
    key: string,
    value: ReadableStream<Uint8Array> | Uint8Array,
    options?: { httpMetadata?: { contentType?: string } },
  ): Promise<{ size: number } | null>;
  get(
    key: string,
  ): Promise<{ body: ReadableStream<Uint8Array>; size: number; httpMetadata?: { contentType?: string } } | null>;
  delete(key: string): Promise<void>;
}

/** workerd's FixedLengthStream (absent outside Workers). */
type FixedLengthStreamCtor = new (length: number) => TransformStream<Uint8Array, Uint8Array>;

/**
 * R2 stores a stream only when its length is known. With a declared length on Workers the body streams
 * through a FixedLengthStream (which also fails a body that lies about its length); otherwise it is read
 * into memory first (bounded by the request body limit).
 */
async function fixedLength(body: ReadableStream<Uint8Array>, length: number | undefined) {
  const Fixed = (globalThis as { FixedLengthStream?: FixedLengthStreamCtor }).FixedLengthStream;
  if (Fixed && length !== undefined) return body.pipeThrough(new Fixed(length));
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** Recording audio in an R2 bucket (Workers binding). */
export function r2ObjectStore(bucket: R2BucketLike): ObjectStore {
  const check = (key: string) => {
    if (!isObjectKey(key)) throw new Error(`invalid object key ${JSON.stringify(key)}`);
    return key;
  };
  return {
    async put(key, body, contentType, length) {
      const stored = await bucket.put(check(key), await fixedLength(body, length), { httpMetadata: { contentType } });
      if (!stored) throw new Error('R2 refused the object');
      return { size: stored.size };
    },
    async get(key) {
      const object = await bucket.get(check(key));
      if (!object) return null;
      return { body: object.body, size: object.size, contentType: object.httpMetadata?.contentType ?? 'audio/mpeg' };
    },
    async delete(key) {
      await bucket.delete(check(key));
    },
  };
}
