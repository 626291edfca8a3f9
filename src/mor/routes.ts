import type { Context, Hono } from 'hono';
import { catalogue, catalogueXml } from './catalogue.ts';
import { type PipelineDeps, runPipeline } from './pipeline.ts';
import { DECLARATION, type MorReply, renderXml } from './xml.ts';

const XML_TYPE = 'text/xml; charset=utf-8';

/** What the XML API and tRPC tell the access log about a request (Hono context variable `access`). */
export interface AccessNote {
  /** The path to log instead of the request's (XML API: `<prefix>/<method>`, never a path parameter). */
  path?: string;
  /** MOR method name (XML API). */
  method?: string;
  /** Username of the caller, when known. */
  caller?: string;
  /** The MOR error string of a refusal (`<error>…</error>`), when the answer is one. */
  error?: string;
  /** The answer already carries `X-Request-Id` (the access log adds it otherwise). */
  requestIdSent?: boolean;
}

declare module 'hono' {
  interface ContextVariableMap {
    access: AccessNote;
    /** This request's id, echoed as `X-Request-Id` (set by the access log before any route runs). */
    requestId: string;
  }
}

/** The text of a MOR error document: `<status><error>`, `<page><error>` or `<page><status><error>`. */
function errorOf(reply: MorReply): string | undefined {
  if (reply.kind !== 'xml') return undefined;
  const at = (node: unknown, ...path: string[]): unknown =>
    path.reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined), node);
  const root = reply.root;
  const found = at(root, 'status', 'error') ?? at(root, 'page', 'error') ?? at(root, 'page', 'status', 'error');
  return typeof found === 'string' ? found : undefined;
}

/** Client address of a request; supplied by the entry (each runtime exposes it differently). */
export type ClientIp = (request: Request, env: unknown) => string;

/**
 * A runtime's own reader of a request body (Node: from IncomingMessage, src/entry/nodeBody.ts); null
 * when it cannot read this one, and the web Request is used.
 */
export type RawBody = (request: Request, env: unknown) => Promise<Uint8Array> | null;

/** Mounts the XML API on `app` under `prefix` (`/billing/api` and `/api`), trailing slash tolerated. */
export function mountMor(app: Hono, prefix: string, deps: PipelineDeps, clientIp: ClientIp, rawBody?: RawBody) {
  // Beyond MOR: the method catalogue (XML, or JSON with ?format=json / Accept: application/json).
  const showCatalogue = (c: Context) => {
    const wantsJson = c.req.query('format') === 'json' || (c.req.header('accept') ?? '').includes('application/json');
    if (wantsJson) return c.json({ methods: catalogue() });
    return c.body(renderXml(catalogueXml()), 200, { 'content-type': XML_TYPE });
  };
  app.get(prefix, showCatalogue);
  app.get(`${prefix}/`, showCatalogue);

  app.all(`${prefix}/*`, async (c) => {
    const { reply, html, status, gzip, method, caller } = await runPipeline(deps, {
      request: c.req.raw,
      path: rawPathOf(c.req.url).slice(prefix.length + 1),
      clientIp: clientIp(c.req.raw, c.env),
      rawBody: rawBody && (() => rawBody(c.req.raw, c.env)),
    });
    const requestId = c.get('requestId') as string | undefined;
    c.set('access', {
      path: `${prefix}/${method ?? '(unknown)'}`,
      method: method ?? '(unknown)',
      caller,
      error: errorOf(reply),
      requestIdSent: requestId !== undefined && (reply.kind === 'xml' || reply.kind === 'xmlStream'),
    });
    if (reply.kind === 'text')
      return c.body(reply.body, status as 200, { 'content-type': 'text/plain; charset=utf-8' });
    if (reply.kind === 'redirect') return c.body(null, 302, { location: reply.location, ...reply.headers });
    const headers: Record<string, string> = {
      'content-type': XML_TYPE,
      ...(reply.kind === 'xml' ? reply.headers : {}),
    };
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    const compress = gzip && /\bgzip\b/i.test(c.req.header('accept-encoding') ?? '');
    if (compress) {
      headers['content-encoding'] = 'gzip';
      headers.vary = 'Accept-Encoding';
    }
    // A Response with plain-object headers, not c.body(): Hono turns two or more headers into a Headers
    // object, which the Node server then copies back into an object on every answer.
    const answer = (body: string | ReadableStream<Uint8Array>) => new Response(body, { status, headers });
    if (reply.kind === 'xml') {
      const body = renderXml(reply.root, { declaration: reply.declaration, html });
      if (!compress) return answer(body);
      return answer(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip')));
    }
    const stream = streamOf(reply.body, html, deps.log);
    return answer(compress ? stream.pipeThrough(new CompressionStream('gzip')) : stream);
  });
}

/**
 * The path of a request URL as sent (percent-escapes kept), repeated slashes collapsed as the router
 * sees them (app.ts), without building a URL object.
 */
function rawPathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  let end = url.length;
  for (const stop of ['?', '#']) {
    const at = url.indexOf(stop, start);
    if (at !== -1 && at < end) end = at;
  }
  const path = url.slice(start, end);
  return path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
}

/**
 * A streamed document as bytes: the declaration (or the `<html>` wrapper of "XML API Extension"), then
 * each piece as the client pulls it. A failure after the first byte can only cut the response short:
 * it is logged, and the client sees a truncated document rather than a wrong one.
 */
function streamOf(
  body: AsyncIterable<string | Uint8Array>,
  html: boolean,
  log: PipelineDeps['log'],
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pieces = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(html ? '<html>\n' : `${DECLARATION}\n`));
    },
    async pull(controller) {
      try {
        const { done, value } = await pieces.next();
        if (!done) {
          controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value);
          return;
        }
        if (html) controller.enqueue(encoder.encode('</html>\n'));
        controller.close();
      } catch (error) {
        log.error('xml api stream failed', { error: String((error as Error).stack ?? error) });
        controller.error(error);
      }
    },
    async cancel() {
      await pieces.return?.();
    },
  });
}
