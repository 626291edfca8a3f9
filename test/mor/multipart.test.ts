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

describe('parseMultipart', () => {
  it('reads fields and files exactly as Request.formData() does', async () => {
    const form = new FormData();
    form.append('u', 'admin');
    form.append('name', 'Vilnius – šviesa "quoted"\r\nline two');
    form.append('empty', '');
    form.append('u', 'second wins later');
    form.append(
      'file',
      new File([new Uint8Array([0, 13, 10, 45, 45, 255, 128])], 'rates "v2".csv', { type: 'text/csv' }),
    );
    form.append('blank', new File([], ''));
    const { ours, reference } = await both(form);
    expect(ours).toEqual(reference);
    expect(ours).toHaveLength(6);
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
    const form = new FormData();
    form.append('u', 'admin');
    form.append('prefix', '37060012345');
    form.append('note', 'a "quoted" value\r\nwith CRLF -- and dashes');
    form.append('file', new File(['prefix,rate\r\n370,0.1\r\n'], 'rates.csv', { type: 'text/csv' }));
    const { ours, reference } = await both(form);
    expect(ours).toEqual(reference);
    expect(ours).toHaveLength(4);
  });
});
