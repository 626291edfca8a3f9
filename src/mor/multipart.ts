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

export function parseMultipart(bytes: Uint8Array, boundary: string): MultipartPart[] {
  // One character per byte, so string positions are byte offsets (the delimiter is ASCII).
  const text = latin1.decode(bytes);
  const delimiter = `--${boundary}`;
  const parts: MultipartPart[] = [];
  let at = text.indexOf(delimiter);
  if (at === -1) throw new Error('multipart: no boundary');
  for (;;) {
    at += delimiter.length;
    if (text.startsWith('--', at)) return parts;
    if (!text.startsWith('\r\n', at)) throw new Error('multipart: bad delimiter line');
    const headersEnd = text.indexOf('\r\n\r\n', at);
    if (headersEnd === -1) throw new Error('multipart: unterminated headers');
    const headers = utf8.decode(bytes.subarray(at + 2, headersEnd));
    const bodyStart = headersEnd + 4;
    const next = text.indexOf(`\r\n${delimiter}`, bodyStart);
    if (next === -1) throw new Error('multipart: unterminated part');
    const disposition = /^content-disposition:[^\r\n]*/im.exec(headers)?.[0] ?? '';
    const name = param(disposition, 'name');
    if (name !== null) {
      const filename = param(disposition, 'filename');
      const body = bytes.subarray(bodyStart, next);
      if (filename === null) parts.push({ name, value: utf8.decode(body) });
      else {
        const type = /^content-type:\s*([^\r\n]*)/im.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
        parts.push({ name, value: new File([body.slice()], filename, { type }) });
      }
    }
    at = next + 2;
  }
}

/** A Content-Disposition parameter, quoted (browsers escape `"` as %22) or not; null when absent. */
function param(disposition: string, key: string): string | null {
  const match = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(disposition);
  if (!match) return null;
  const quoted = match[1];
  return quoted !== undefined ? quoted.replace(/\\(.)/g, '$1').replace(/%22/g, '"') : (match[2] ?? '');
}
