import { describe, expect, it } from 'vitest';
import { multipartBoundary, parseMultipart } from '../../src/mor/multipart.ts';

/** What Request.formData() (undici) reads from the same bytes: the reference parseMultipart must match. */
async function both(form: FormData) {
  const request = new Request('http://x/', { method: 'POST', body: form });
  const type = request.headers.get('content-type')!;
  const bytes = new Uint8Array(await request.clone().arrayBuffer());
  const ours = parseMultipart(bytes, multipartBoundary(type)!);
  const reference: { name: string; value: string | File }[] = [];
  (await request.formData()).forEach((value, name) => {
    reference.push({ name, value });
  });
  const flat = async (parts: { name: string; value: string | File }[]) =>
    Promise.all(
      parts.map(async ({ name, value }) =>
        typeof value === 'string'
          ? [name, value]
          : [name, 'file', value.name, value.type, new Uint8Array(await value.arrayBuffer()).join(',')],
      ),
    );
  return { ours: await flat(ours), reference: await flat(reference) };
}

/** parseMultipart reads a FormData of `fields` part for part as Request.formData() does; our parts, flattened. */
async function readsAsFormData(fields: [string, string | File][]) {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  const { ours, reference } = await both(form);
  expect(ours).toEqual(reference);
  expect(ours).toHaveLength(fields.length);
  return ours;
}

describe('parseMultipart', () => {
  it('reads fields and files exactly as Request.formData() does', async () => {
    await readsAsFormData([
      ['u', 'admin'],
      ['name', 'Vilnius – šviesa "quoted"\r\nline two'],
      ['empty', ''],
      ['u', 'second wins later'],
      ['file', new File([new Uint8Array([0, 13, 10, 45, 45, 255, 128])], 'rates "v2".csv', { type: 'text/csv' })],
      ['blank', new File([], '')],
    ]);
  });

  it('throws on a body that is not multipart (the caller ignores it) and reads quoted boundaries', () => {
    expect(() => parseMultipart(new TextEncoder().encode('u=admin'), 'b')).toThrow();
    expect(() => parseMultipart(new TextEncoder().encode('--b\r\nno end'), 'b')).toThrow();
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary=XyZ')).toBe('XyZ');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    const body = '--XyZ\r\nContent-Disposition: form-data; name="u"\r\n\r\nadmin\r\n--XyZ--\r\n';
    expect(parseMultipart(new TextEncoder().encode(body), 'XyZ')).toEqual([{ name: 'u', value: 'admin' }]);
  });
});

describe('parseMultipart on an all-ASCII body (sliced without decoding each part)', () => {
  it('reads the same fields and files as Request.formData()', async () => {
    await readsAsFormData([
      ['u', 'admin'],
      ['prefix', '37060012345'],
      ['note', 'a "quoted" value\r\nwith CRLF -- and dashes'],
      ['file', new File(['prefix,rate\r\n370,0.1\r\n'], 'rates.csv', { type: 'text/csv' })],
    ]);
  });
});

describe('parseMultipart: plain field parts read without the header patterns', () => {
  // Plain names and the ones the plain path must leave to the patterns (none holds a `|`).
  const names = 'u|sp ace|ünïcode|a;b|a%22b|back\\slash|x; filename="y"|filename=x|=|tab\tx'.split('|');
  const bodyOf = (disposition: string) =>
    new TextEncoder().encode(
      `${names.map((name, k) => `--b\r\n${disposition}: form-data; name="${name}"\r\n\r\nvalue ${k}\r\n`).join('')}--b--\r\n`,
    );

  it('reads every name as the patterns read it (a lower-case header name takes the patterns)', () => {
    const plain = parseMultipart(bodyOf('Content-Disposition'), 'b');
    expect(plain).toEqual(parseMultipart(bodyOf('content-disposition'), 'b'));
    expect(plain.slice(0, 3)).toEqual([
      { name: 'u', value: 'value 0' },
      { name: 'sp ace', value: 'value 1' },
      { name: 'ünïcode', value: 'value 2' },
    ]);
  });

  it('reads the fields a FormData sends as Request.formData() reads them', async () => {
    const names = ['u', 'sp ace', 'ünïcode', 'quo"te', 'a%22b', 'filename=x', '='];
    await readsAsFormData([
      ...names.map((name): [string, string] => [name, `${name}!`]),
      ['file', new File(['x'], 'f.txt', { type: 'text/plain' })],
    ]);
  });

  it('reads a hand-written part whose headers differ from the plain form through the patterns', () => {
    const body = [
      '--b\r\ncontent-disposition: form-data; name="lower"\r\n\r\n1\r\n',
      '--b\r\nContent-Disposition: form-data; name="typed"\r\nContent-Type: text/plain\r\n\r\n2\r\n',
      '--b\r\nContent-Disposition: form-data; name=bare\r\n\r\n3\r\n',
      '--b\r\nContent-Disposition: form-data; name="\r\n\r\n4\r\n',
      '--b\r\nContent-Disposition: form-data; name="esc\\"aped"\r\n\r\n5\r\n',
      '--b--\r\n',
    ].join('');
    expect(parseMultipart(new TextEncoder().encode(body), 'b')).toEqual([
      { name: 'lower', value: '1' },
      { name: 'typed', value: '2' },
      { name: 'bare', value: '3' },
      { name: '"', value: '4' },
      { name: 'esc"aped', value: '5' },
    ]);
  });
});

describe('parseMultipart on a body over 64 KB (an upload: ASCII told by a scan)', () => {
  it('reads an all-ASCII upload and one with UTF-8 text as Request.formData() does', async () => {
    const rows = Array.from({ length: 6000 }, (_, k) => `370${k},0.1${k % 10}\r\n`).join('');
    for (const note of ['plain', 'Vilnius – šviesa']) {
      const ours = await readsAsFormData([
        ['u', 'admin'],
        ['note', note],
        ['file', new File([rows], 'rates.csv', { type: 'text/csv' })],
      ]);
      expect(rows.length).toBeGreaterThan(64 * 1024);
      expect(ours[1]).toEqual(['note', note]);
    }
  });
});
