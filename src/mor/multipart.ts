/**
 * multipart/form-data (RFC 7578) read from the whole body in one pass. `Request.formData()` costs several
 * times a form body on Node (it builds a web stream and runs undici's parser); integrations that post
 * every call as multipart pay that on each request. Parts with a `filename` become Files (type from
 * their Content-Type), the others UTF-8 strings. Anything malformed throws (the caller ignores the body).
 */
export interface MultipartPart {
  name: string;
  value: string | File;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder();

/** The boundary of a multipart Content-Type, or null. */
export function multipartBoundary(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** Any byte outside ASCII, in a latin1-decoded string. */
const NON_ASCII = /[\u0080-\u00ff]/;
/** Bodies up to this size tell ASCII by comparing decodings (see parseMultipart). */
const SMALL_BODY = 64 * 1024;
const DISPOSITION = /^content-disposition:[^\r\n]*/im;
const PART_TYPE = /^content-type:\s*([^\r\n]*)/im;
const NAME = /;\s*name=(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/i;
const FILENAME = /;\s*filename=(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/i;

export function parseMultipart(bytes: Uint8Array, boundary: string): MultipartPart[] {
  // One character per byte, so string positions are byte offsets (the delimiter is ASCII). When the
  // whole body is ASCII (an API call without uploads nearly always is), its slices are the UTF-8 text
  // too, and no part needs decoding again.
  const text = latin1.decode(bytes);
  // For a call's few fields: the two decodings agree exactly when every byte is ASCII (a byte of
  // 0x80–0xFF is one Latin-1 character, and in UTF-8 either part of a shorter multi-byte character or
  // U+FFFD), and comparing them costs less than a pattern scan for a high byte. An upload (up to the
  // body limit) is scanned instead, so it is never held as text twice.
  const ascii = bytes.length <= SMALL_BODY ? text === utf8.decode(bytes) : !NON_ASCII.test(text);
  const decode = (start: number, end: number) =>
    ascii ? text.slice(start, end) : utf8.decode(bytes.subarray(start, end));
  const delimiter = `--${boundary}`;
  const partEnd = `\r\n${delimiter}`;
  const parts: MultipartPart[] = [];
  let at = text.indexOf(delimiter);
  if (at === -1) throw new Error('multipart: no boundary');
  for (;;) {
    at += delimiter.length;
    if (text.startsWith('--', at)) return parts;
    if (!text.startsWith('\r\n', at)) throw new Error('multipart: bad delimiter line');
    const headersEnd = text.indexOf('\r\n\r\n', at);
    if (headersEnd === -1) throw new Error('multipart: unterminated headers');
    const headers = decode(at + 2, headersEnd);
    const bodyStart = headersEnd + 4;
    const next = text.indexOf(partEnd, bodyStart);
    if (next === -1) throw new Error('multipart: unterminated part');
    const plain = plainFieldName(headers);
    if (plain !== null) {
      parts.push({ name: plain, value: decode(bodyStart, next) });
      at = next + 2;
      continue;
    }
    const disposition = DISPOSITION.exec(headers)?.[0] ?? '';
    const name = param(disposition, NAME);
    if (name !== null) {
      const filename = param(disposition, FILENAME);
      if (filename === null) parts.push({ name, value: decode(bodyStart, next) });
      else {
        const type = PART_TYPE.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
        parts.push({ name, value: new File([bytes.slice(bodyStart, next)], filename, { type }) });
      }
    }
    at = next + 2;
  }
}

/** The one header of a plain field as every common client writes it; its name follows, then a closing quote. */
const PLAIN_FIELD = 'Content-Disposition: form-data; name="';
/** What the patterns above would read differently in such a name (quotes, escapes, %22, more parameters). */
const NOT_PLAIN = /["\\\r\n;%]/;

/**
 * The name of a part whose headers are exactly `Content-Disposition: form-data; name="<name>"` with a
 * name the patterns would take as is (the field parts of an API call nearly always are): the same
 * answer as DISPOSITION, NAME and FILENAME give, without running them. Null for anything else.
 */
function plainFieldName(headers: string): string | null {
  if (headers.length <= PLAIN_FIELD.length || !headers.startsWith(PLAIN_FIELD) || !headers.endsWith('"')) return null;
  const name = headers.slice(PLAIN_FIELD.length, -1);
  return NOT_PLAIN.test(name) ? null : name;
}

/** A Content-Disposition parameter, quoted (browsers escape `"` as %22) or not; null when absent. */
function param(disposition: string, pattern: RegExp): string | null {
  const match = pattern.exec(disposition);
  if (!match) return null;
  const quoted = match[1];
  if (quoted === undefined) return match[2] ?? '';
  return quoted.includes('\\') || quoted.includes('%22') ? quoted.replace(/\\(.)/g, '$1').replace(/%22/g, '"') : quoted;
}
