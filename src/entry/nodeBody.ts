import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';

/**
 * The XML API's request body straight from Node's IncomingMessage (HTTP/1.x with a declared
 * Content-Length), skipping the web Request body machinery: the adapter's reader attaches four
 * listeners, switches the stream to flowing mode and settles over several ticks, which made a form or
 * JSON POST cost a tenth more than the same call in the query string. Called as the pipeline starts;
 * one microtask later Node's parser has handled the whole packet, so a small request is complete and
 * one read() takes it (and ends the stream, so the adapter's clean-up after the answer has nothing to
 * drain). A body still arriving is read by listeners. Null (the web path) for anything else: HTTP/2,
 * chunked uploads (their size is checked while they stream) or a stream someone already read.
 */
export function nodeRawBody(_request: Request, env: unknown): Promise<Uint8Array> | null {
  const incoming = (env as HttpBindings | undefined)?.incoming as IncomingMessage | undefined;
  if (incoming?.httpVersionMajor !== 1 || incoming.readableDidRead) return null;
  if (incoming.headers['content-length'] === undefined) return null;
  return Promise.resolve().then(() => {
    if (incoming.complete && !incoming.readableDidRead) return takeAll(incoming) ?? EMPTY;
    return listen(incoming);
  });
}

const EMPTY = new Uint8Array(0);

/**
 * Everything buffered, in one piece (null when nothing is). On a paused stream read() with no size
 * returns the whole buffer at once; a second read() (null, and one more end-of-stream tick) only
 * runs when something is still buffered.
 */
function takeAll(incoming: IncomingMessage): Uint8Array | null {
  const first = incoming.read() as Buffer | null;
  if (first === null) return null;
  const more: Buffer[] = [];
  while (incoming.readableLength > 0) {
    const chunk = incoming.read() as Buffer | null;
    if (chunk === null) break;
    more.push(chunk);
  }
  return more.length === 0 ? first : Buffer.concat([first, ...more]);
}

function listen(incoming: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const done = (settle: () => void) => {
      incoming
        .off('data', onData)
        .off('end', onEnd)
        .off('error', onError)
        .off('aborted', onAborted)
        .off('close', onAborted);
      settle();
    };
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const onEnd = () => done(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    const onError = (error: Error) => done(() => reject(error));
    const onAborted = () => done(() => reject(new Error('client closed the connection before the body ended')));
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted).on('close', onAborted);
  });
}
