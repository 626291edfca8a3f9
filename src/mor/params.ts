import { multipartBoundary, parseMultipart } from './multipart.ts';

/** Largest request body the XML API reads (tariff imports are the big ones). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The flat string → string parameter map of one request, plus uploaded files (multipart). */
export class Params {
  constructor(
    private readonly values: Map<string, string>,
    readonly files: ReadonlyMap<string, File> = new Map(),
  ) {}

  /** The value, or undefined when absent. Empty strings are returned as sent. */
  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** The value when present and not empty. */
  value(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }

  toObject(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

export class BodyTooLarge extends Error {}

const utf8 = new TextDecoder();

// Postgres text cannot hold NUL; a value carrying one is cut there, as C-based servers read it.
const clean = (s: string) => {
  const nul = s.indexOf('\u0000');
  return nul === -1 ? s : s.slice(0, nul);
};

function put(into: Map<string, string>, key: string, value: unknown) {
  const name = clean(key);
  if (!name) return;
  const text =
    typeof value === 'string'
      ? value
      : value === null || value === undefined
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  into.set(name, clean(text));
}

/**
 * A request whose body is counted while it streams. A declared Content-Length over `max` is refused at
 * once; with a declared length the server reads no more than declared, so the request is returned as
 * is. A body without one (chunked) is wrapped: each chunk is pulled only when the reader asks for it,
 * and the chunk that passes `max` ends the stream with an error (and cancels the upload), so nothing
 * past the limit is ever buffered. Whatever then parses the body fails; `exceeded()` tells that failure
 * apart from a malformed body.
 */
export function limitBody(request: Request, max = MAX_BODY_BYTES): { request: Request; exceeded: () => boolean } {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (Number(declared) > max) throw new BodyTooLarge();
    return { request, exceeded: () => false };
  }
  const source = request.method === 'GET' || request.method === 'HEAD' ? null : request.body;
  if (!source) return { request, exceeded: () => false };
  const reader = source.getReader();
  let size = 0;
  let exceeded = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        size += value.byteLength;
        if (size > max) {
          exceeded = true;
          controller.error(new BodyTooLarge());
          await reader.cancel().catch(() => {});
          return;
        }
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  const limited = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    duplex: 'half',
  } as RequestInit);
  return { request: limited, exceeded: () => exceeded };
}

/**
 * Merges parameters as MOR (Rails) does: the body (form, multipart or JSON), then the query string
 * overriding it on clashes, then the path segment. Repeated keys: the last wins. A body that cannot
 * be parsed is ignored, never an error: the query string may still carry a valid call. Every body kind
 * is limited to MAX_BODY_BYTES while it streams (limitBody). `rawBody`, when the runtime supplies one
 * (see RawBody), reads a body with a declared length as bytes instead of through the web Request.
 */
export async function readParams(
  request: Request,
  pathParam?: { name: string; value: string },
  rawBody?: () => Promise<Uint8Array> | null,
): Promise<Params> {
  const values = new Map<string, string>();
  const files = new Map<string, File>();
  const headers = request.headers;
  const length = headers.get('content-length');
  const declared = length === null ? 0 : Number(length);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  // Decide from the headers, never by touching request.body on the common paths: servers such as
  // @hono/node-server build the full web Request (stream, AbortSignal) only when .body is read, which
  // cost the query-string style (POST with no body, MOR's documented one) half its throughput. HTTP/1.1
  // (RFC 9112 §6.3): neither Content-Length nor Transfer-Encoding means no body. A body without either
  // (HTTP/2 streams) is still read when it declares a Content-Type, as every client that sends one does.
  const hasBody =
    request.method !== 'GET' &&
    request.method !== 'HEAD' &&
    (declared > 0 ||
      (length === null &&
        (headers.has('transfer-encoding') || (headers.has('content-type') && request.body !== null))));
  if (hasBody) await readBody(request, declared, values, files, rawBody);
  const query = request.url.indexOf('?');
  if (query !== -1) {
    const end = request.url.indexOf('#', query);
    const search = request.url.slice(query + 1, end === -1 ? undefined : end);
    for (const [key, value] of new URLSearchParams(search)) put(values, key, value);
  }
  if (pathParam && pathParam.value !== '') put(values, pathParam.name, pathParam.value);
  return new Params(values, files);
}

/**
 * The body's parameters into `values` (and uploads into `files`); see readParams. With a declared length
 * (checked against the limit already; a server reads no more than declared) the body is read in one go:
 * by the runtime's own reader when it has one, else by the web Request (servers such as
 * @hono/node-server answer text() without building a web stream). Without one (chunked, HTTP/2) it is
 * counted while it streams (limitBody). Each header is looked up once, and the runtime's reader is
 * started only for a body that will be parsed, so its promise is always awaited.
 */
async function readBody(
  request: Request,
  declared: number,
  values: Map<string, string>,
  files: Map<string, File>,
  rawBody: (() => Promise<Uint8Array> | null) | undefined,
): Promise<void> {
  const contentType = request.headers.get('content-type') ?? '';
  const type = contentType.toLowerCase();
  const multipart = type.startsWith('multipart/form-data');
  const boundary = multipart ? multipartBoundary(contentType) : null;
  // A multipart body without a boundary cannot be parsed: ignored like any malformed body, unread.
  if (multipart && boundary === null) return;
  const limited = declared > 0 ? null : limitBody(request);
  const source = limited?.request ?? request;
  try {
    const direct = declared > 0 ? (rawBody?.() ?? null) : null;
    if (boundary !== null) {
      const bytes = (await direct) ?? new Uint8Array(await source.arrayBuffer());
      for (const { name, value } of parseMultipart(bytes, boundary)) {
        if (typeof value === 'string') put(values, name, value);
        else {
          files.set(name, value);
          put(values, name, value.name);
        }
      }
    } else {
      const raw = await direct;
      const body = raw ? utf8.decode(raw) : await source.text();
      if (type.includes('json')) {
        const parsed: unknown = JSON.parse(body);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
          for (const [key, value] of Object.entries(parsed)) put(values, key, value);
        }
      } else if (type === '' || type.startsWith('application/x-www-form-urlencoded')) {
        for (const [key, value] of new URLSearchParams(body)) put(values, key, value);
      }
    }
  } catch (error) {
    if (error instanceof BodyTooLarge || limited?.exceeded()) throw new BodyTooLarge();
    // Malformed body: ignored (see readParams).
  }
  if (limited?.exceeded()) throw new BodyTooLarge();
}

/**
 * A digits-only id parameter: undefined when absent or empty, NaN when it is not 1–9 digits (so it
 * matches nothing and never overflows a Postgres integer).
 */
export function idParam(params: Params, name: string): number | undefined {
  const value = params.value(name);
  if (value === undefined) return undefined;
  return /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
}
