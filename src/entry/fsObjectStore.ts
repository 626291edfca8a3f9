import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { isObjectKey, type ObjectStore } from '../domain/recordings/objectStore.ts';

/**
 * Recording audio as files below `root` (Node and Deno). A put streams into a temporary file next to
 * the target and renames it when complete, so a reader never sees half an object; a failed put leaves
 * nothing. Content type is not kept (recordings are `.mp3`: audio/mpeg).
 */
export function fsObjectStore(root: string): ObjectStore {
  const base = resolve(root);
  const pathOf = (key: string) => {
    if (!isObjectKey(key)) throw new Error(`invalid object key ${JSON.stringify(key)}`);
    return join(base, key);
  };
  return {
    async put(key, body) {
      const file = pathOf(key);
      await mkdir(dirname(file), { recursive: true });
      const part = `${file}.${crypto.randomUUID()}.part`;
      let size = 0;
      const count = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      try {
        await body.pipeThrough(count).pipeTo(Writable.toWeb(createWriteStream(part)) as WritableStream<Uint8Array>);
        await rename(part, file);
      } catch (error) {
        await rm(part, { force: true });
        throw error;
      }
      return { size };
    },
    async get(key) {
      const file = pathOf(key);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return null;
      const body = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
      return { body, size: info.size, contentType: 'audio/mpeg' };
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
