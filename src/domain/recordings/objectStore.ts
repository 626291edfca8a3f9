/**
 * Where recording audio lives: never in the database. The entry injects an adapter (a directory on
 * Node and Deno, an R2 bucket binding on Workers); the domain sees only this port. Keys are opaque,
 * made of `[A-Za-z0-9._-]` and `/`.
 */
export interface ObjectStore {
  /**
   * Writes (or replaces) an object from a stream, consuming it; answers the bytes written. `length`,
   * when the sender declared it (Content-Length), lets a store that needs it stream instead of buffering.
   */
  put(key: string, body: ReadableStream<Uint8Array>, contentType: string, length?: number): Promise<{ size: number }>;
  /** The object, or null when there is none. */
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string } | null>;
  /** Removes an object; a missing one is not an error. */
  delete(key: string): Promise<void>;
}

/** A key is safe to use as a path below a root or as a bucket key. */
export const isObjectKey = (key: string): boolean =>
  /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(key) && !key.split('/').some((part) => part === '.' || part === '..');
