// The body limit on every body kind, in process: chunked bodies (no Content-Length) under the limit are
// read as before, over it are refused with the documented answer; a declared length over it is refused
// before reading. The memory side (peak RSS under such bodies) is test/memory/bodyLimit.test.ts.
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/mor/params.ts';
import { VERSION_TEXT } from '../../src/version.ts';
import { statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';

const api = useTestApp();
const version = `${XML_DECL}\n<page>\n  <version>${VERSION_TEXT}</version>\n</page>\n`;
const tooLarge = statusErrorXml('Request is too large');

/** A chunked body: `head`, then `fillBytes` of "a" in 1 MB chunks, then `tail`. */
function chunked(head: string, fillBytes: number, tail = ''): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunk = new Uint8Array(1024 * 1024).fill(0x61);
  let left = fillBytes;
  let stage = 0;
  return new ReadableStream({
    pull(controller) {
      if (stage === 0) {
        stage = 1;
        controller.enqueue(encoder.encode(head));
      } else if (left > 0) {
        const n = Math.min(left, chunk.byteLength);
        left -= n;
        controller.enqueue(n === chunk.byteLength ? chunk : chunk.subarray(0, n));
      } else {
        controller.enqueue(encoder.encode(tail));
        controller.close();
      }
    },
  });
}

const post = (path: string, type: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  api.app.app.request(path, {
    method: 'POST',
    headers: { 'content-type': type, ...headers },
    body,
    duplex: 'half',
  } as RequestInit);

const multipart = (fields: Record<string, string>, file: string) =>
  `${Object.entries(fields)
    .map(([k, v]) => `--XyZ\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('')}--XyZ\r\ncontent-disposition: form-data; name="${file}"; filename="f.xml"\r\n\r\n`;

describe('body limit', () => {
  it('reads chunked form, multipart and JSON bodies under the limit', async () => {
    const hash = await api.hash({}, []);
    const form = await post(
      '/billing/api/system_version_get',
      'application/x-www-form-urlencoded',
      chunked(`u=admin&hash=${hash}&x=`, 1024 * 1024),
    );
    expect(await form.text()).toBe(version);
    const parts = await post(
      '/billing/api/system_version_get',
      'multipart/form-data; boundary=XyZ',
      chunked(multipart({ u: 'admin', hash }, 'file'), 1024 * 1024, '\r\n--XyZ--\r\n'),
    );
    expect(await parts.text()).toBe(version);
    const json = await post(
      '/billing/api/system_version_get',
      'application/json',
      chunked(`{"u":"admin","hash":"${hash}","x":"`, 1024 * 1024, '"}'),
    );
    expect(await json.text()).toBe(version);
  });

  it('refuses chunked form, multipart, XML and JSON bodies one byte over the limit', async () => {
    const hash = await api.hash({}, []);
    const head = `u=admin&hash=${hash}&x=`;
    const form = await post(
      '/billing/api/system_version_get',
      'application/x-www-form-urlencoded',
      chunked(head, MAX_BODY_BYTES + 1 - head.length),
    );
    expect([form.status, await form.text()]).toEqual([413, tooLarge]);
    const mp = multipart({ u: 'admin', hash }, 'file');
    const parts = await post(
      '/billing/api/system_version_get',
      'multipart/form-data; boundary=XyZ',
      chunked(mp, MAX_BODY_BYTES + 1 - mp.length),
    );
    expect([parts.status, await parts.text()]).toEqual([413, tooLarge]);
    const xml = await post('/billing/api/tariff_retail_import', 'text/xml', chunked('<a>', MAX_BODY_BYTES));
    expect([xml.status, await xml.text()]).toEqual([413, tooLarge]);
    const json = await post('/billing/api/system_version_get', 'application/json', chunked('{"u":"', MAX_BODY_BYTES));
    expect([json.status, await json.text()]).toEqual([413, tooLarge]);
  });

  it('refuses a tRPC JSON body over the limit, chunked or declared, with PAYLOAD_TOO_LARGE', async () => {
    const auth = { authorization: `Bearer ${TEST.adminToken}` };
    const streamed = await post(
      '/trpc/users.create',
      'application/json',
      chunked('{"username":"', MAX_BODY_BYTES),
      auth,
    );
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: { data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } } });
    const declared = await api.app.app.request('/trpc/users.create', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1), ...auth },
      body: '{}',
    });
    expect(declared.status).toBe(413);
    // Under the limit, chunked: answered as usual (here: a validation error, not a size one).
    const small = await post('/trpc/users.create', 'application/json', chunked('{"username":"', 10), auth);
    expect(small.status).toBe(400);
  });
});
